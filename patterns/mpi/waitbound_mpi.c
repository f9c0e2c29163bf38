/* waitbound_mpi: waiting-bound vs CPU-bound tasks on 1..8 ranks -- the same lesson as
 * waitbound_omp with processes: a rank that waits (nanosleep, a bounded simulated latency) holds no
 * core, so waiting-bound work keeps speeding up with ranks past the core count, while CPU-bound work
 * stops at it. One launch measures every worker count: for a count of W, ranks 0..W-1 run the tasks
 * (split evenly) and the others sit out, waiting with short sleeps so they do not take a core.
 *   mpirun -np 8 --oversubscribe ./waitbound_mpi                 (1, 2, 4, 8 ranks; 64 tasks of 2 ms)
 *   mpirun -np 4 --oversubscribe ./waitbound_mpi --workers 1,4 --tasks 16 --wait-us 20000
 * Time of a run = the slowest participating rank, from a common barrier. Every task is checked (CPU
 * result against an independent jump-ahead, a wait at least as long as asked) and counted: the counts
 * must add up to the task count. Exit: 0 verified, 1 a task wrong or missing, 2 usage (all ranks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/partition.h"
#include "parkit/pattern_mpi.h"
#include "parkit/pattern_work.h"
#include "parkit/stats.h"
#include "parkit/waitbound.h"

/* One run of one kind on ranks 0..workers-1. Returns the run's time on rank 0; adds to *bad the task
 * checks that failed (on rank 0: over all ranks, plus a wrong total count). */
static double run(int kind, int workers, const pk_wb_config *cfg, int rank, uint64_t *bad)
{
    double wait_s = (double)cfg->wait_us * 1e-6, dt = 0;
    uint64_t mine[2] = {0, 0}, sum[2] = {0, 0}; /* tasks done, checks failed */
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    if (rank < workers) {
        pk_range r = pk_partition(cfg->tasks, (uint64_t)workers, (uint64_t)rank);
        for (uint64_t t = r.lo; t < r.hi; t++) {
            mine[1] += !pk_wb_task(kind, t, wait_s, cfg->cpu_steps);
            mine[0]++;
        }
        dt = MPI_Wtime() - t0;
    }
    /* ranks that are done (or sat out) wait without spinning, leaving the cores to the others */
    pk_mpi_barrier_idle(MPI_COMM_WORLD);
    double slowest = dt;
    MPI_Reduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(mine, sum, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) *bad += sum[1] + (sum[0] != cfg->tasks);
    return slowest;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "waiting-bound vs CPU-bound tasks on 1..P ranks: waiting keeps speeding up past the "
                          "cores, computing stops at them";
    pk_wb_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.tasks = 64;
    cfg.wait_us = 2000;
    cfg.max_workers = 1u << 20; /* checked against the rank count after start-up */
    pk_pat_common c = {.repeat = 3, .warmup = 1};
    pk_opt opts[8];
    size_t nopts = pk_wb_options(&cfg, opts);
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, nopts, &c, PK_PAT_TIMED, NULL, &rank,
                                &size);
    if (code >= 0) return code;
    if (cfg.counts_given && cfg.counts[cfg.ncounts - 1] > (uint64_t)size)
        return pk_pat_mpi_usage(rank, prog, "--workers: %llu ranks asked, the job has %d (mpirun -np %llu)",
                                (unsigned long long)cfg.counts[cfg.ncounts - 1], size,
                                (unsigned long long)cfg.counts[cfg.ncounts - 1]);
    cfg.max_workers = (uint64_t)size;
    pk_wb_finish(&cfg);
    /* calibrated once, on rank 0, so that every rank runs the same work per task */
    double rate = rank == 0 ? pk_lcg_steps_per_second(0.1) : 0;
    MPI_Bcast(&rate, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    cfg.cpu_steps = (uint64_t)((double)cfg.cpu_us * 1e-6 * rate);

    double *wait_med = calloc((size_t)cfg.ncounts, sizeof *wait_med);
    double *cpu_med = calloc((size_t)cfg.ncounts, sizeof *cpu_med);
    double *times = calloc(c.repeat, sizeof *times);
    if (!pk_pat_mpi_all_ok(wait_med && cpu_med && times, rank, prog, "out of memory")) {
        free(wait_med);
        free(cpu_med);
        free(times);
        return PK_EXIT_FAIL;
    }
    uint64_t bad = 0;
    for (int i = 0; i < cfg.ncounts; i++) {
        for (int kind = PK_WB_WAIT; kind <= PK_WB_CPU; kind++) {
            for (uint64_t r = 0; r < c.warmup + c.repeat; r++) {
                double dt = run(kind, (int)cfg.counts[i], &cfg, rank, &bad);
                if (r >= c.warmup) times[r - c.warmup] = dt;
            }
            double med = pk_stats_of(times, c.repeat).median;
            if (kind == PK_WB_WAIT) wait_med[i] = med;
            else cpu_med[i] = med;
        }
    }

    int pass = bad == 0;
    if (rank == 0) {
        pk_report rep;
        pk_pat_mpi_report_init(&rep, prog, summary, "mpi");
        pk_report_num(&rep, "ranks", "%d", size);
        pk_report_str(&rep, "workers", "per row: ranks 0..W-1 run the tasks, the others sit out");
        pk_table t;
        pk_wb_report(&cfg, wait_med, cpu_med, &rep, &t);
        char why[256];
        if (pass)
            snprintf(why, sizeof why, "every task of every run done once and checked out (%llu tasks x %d counts x "
                     "2 kinds x %llu runs)", (unsigned long long)cfg.tasks, cfg.ncounts,
                     (unsigned long long)(c.warmup + c.repeat));
        else
            snprintf(why, sizeof why, "%llu task checks failed (missing, wrong result or short wait)",
                     (unsigned long long)bad);
        pk_pat_report_verdict(&rep, pass, why);
        pk_pat_report_runs(&rep, &c);
        pk_pat_print(&rep, &t, c.json, stdout);
        pk_table_free(&t);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    free(wait_med);
    free(cpu_med);
    free(times);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
