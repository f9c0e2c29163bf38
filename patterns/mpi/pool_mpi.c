/* pool_mpi: a master-worker farm -- the tutorial's pool of workers taking jobs from a queue, with
 * processes: rank 0 hands out job numbers on demand (a worker gets the next job as soon as it
 * returns a result), ranks 1..P-1 run them. Jobs have uneven, reproducible costs, so handing them out
 * on demand balances the load better than a fixed split decided in advance.
 *   mpirun -np 6 --oversubscribe ./pool_mpi            (10 jobs, 5 workers: the tutorial's numbers)
 *   mpirun -np 3 ./pool_mpi --jobs 40 --max-units 16 --json
 * With 1 rank there are no workers: rank 0 runs every job itself (the report says so).
 * Every result is checked on rank 0 against an independent jump-ahead; every job must come back
 * exactly once, and each worker's own count must match what rank 0 saw. While waiting, ranks poll
 * with short sleeps instead of spinning, so an idle master leaves the cores to the workers.
 * Exit: 0 every job done once and right in every run, 1 otherwise, 2 usage (all ranks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/farm.h"
#include "parkit/mpi_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/pool_report.h"

static double farm_run(void *f) { return pk_farm_run(f); }
static int farm_check(void *f, char *why, size_t len) { return pk_farm_verify(f, why, len); }

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "master-worker farm: rank 0 hands uneven jobs to worker ranks on demand; load balance "
                          "vs a static split";
    pk_pool_jobs jobs = PK_POOL_JOBS_DEFAULT;
    pk_pat_common c = {.repeat = 5, .warmup = 1};
    pk_opt opts[PK_POOL_NOPTS];
    size_t nopts = pk_pool_options(&jobs, opts);
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, nopts, &c, PK_PAT_TIMED,
                                NULL, &rank, &size);
    if (code >= 0) return code;
    pk_mpi_warn_oversubscription(prog, 1);
    pk_farm_cfg cfg = {jobs.njobs, jobs.max_units, jobs.unit_steps, jobs.seed, strcmp(jobs.costs, "rising") == 0};

    pk_farm f;
    double *times = calloc(c.repeat, sizeof *times);
    int opened = pk_farm_open(&f, &cfg) == 0;
    if (!pk_pat_mpi_all_ok(opened && times, rank, prog, "out of memory for the jobs")) {
        if (opened) pk_farm_close(&f);
        free(times);
        return PK_EXIT_FAIL;
    }
    /* the cost of a unit on a free core, measured by rank 0 while the others wait without spinning */
    double spu = rank == 0 ? pk_pool_seconds_per_unit(cfg.unit_steps) : 0;
    pk_mpi_barrier_idle(MPI_COMM_WORLD);
    char why[400] = "";
    int pass = pk_pat_mpi_checked_runs(&c, farm_run, farm_check, &f, times, why, sizeof why);

    if (rank == 0) {
        pk_report rep;
        pk_pat_mpi_report_init(&rep, prog, summary, "mpi");
        pk_pool_describe(&jobs, &rep);
        pk_report_num(&rep, "ranks", "%d", size);
        if (f.workers)
            pk_report_str(&rep, "roles", "rank 0 hands out jobs on demand, ranks 1..%d run them (worker w = rank "
                          "w+1)", f.workers);
        else
            pk_report_str(&rep, "roles", "1 rank: no workers, rank 0 ran every job itself");
        pk_report_num(&rep, "workers", "%d", f.nworkers);
        pk_pat_report_verdict(&rep, pass, why);
        pk_pat_report_times(&rep, &c, times, c.repeat);
        pk_report_str(&rep, "breakdown", "of the last run");
        pk_table t;
        pk_table_init(&t, pk_pool_cols, pk_pool_ncols);
        pk_pool_run run = {cfg.njobs, f.units, f.worker_of, f.nworkers, f.busy, times[c.repeat - 1], spu};
        pk_pool_report(&run, &rep, &t);
        pk_pat_print(&rep, &t, c.json, stdout);
        pk_table_free(&t);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    pk_farm_close(&f);
    free(times);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
