/* pool_omp: a pool of worker threads taking jobs of uneven cost as they become free -- the
 * tutorial's "10 jobs, 5 workers" queue -- with OpenMP tasks: one thread creates a task per job,
 * every idle thread of the team picks the next one.
 *   OMP_NUM_THREADS=5 ./pool_omp                          (10 jobs of 1..8 units)
 *   OMP_NUM_THREADS=2 ./pool_omp --jobs 40 --max-units 16 --json
 * Each job runs a chain of units x unit-steps LCG steps (CPU-bound; job costs are pseudo-random but
 * reproducible from --seed), and its result is checked against an independent jump-ahead. The
 * report says which thread ran how many jobs, the load balance, and the makespan in units beside
 * those of static splits of the same jobs (block = schedule(static), cyclic = round robin).
 * Exit: 0 when every job ran exactly once with the right result in every run, 1 otherwise, 2 usage. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"
#include "parkit/pattern_work.h"
#include "parkit/pool_report.h"

typedef struct pool {
    pk_pool_jobs jobs;
    uint64_t *units, *result;
    int *runs, *worker_of;
    double *busy; /* per thread */
    int threads;
} pool;

/* One run of all jobs as tasks; returns the wall time. */
static double run_pool(pool *p)
{
    memset(p->runs, 0, p->jobs.njobs * sizeof *p->runs);
    memset(p->busy, 0, (size_t)p->threads * sizeof *p->busy);
    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(p->threads)
#pragma omp single
    for (uint64_t j = 0; j < p->jobs.njobs; j++) {
        /* the creating thread moves on; whoever is idle (it too, after the loop) runs the task */
#pragma omp task firstprivate(j)
        {
            int me = omp_get_thread_num();
            double s = omp_get_wtime();
            p->result[j] = pk_pool_job_run(p->jobs.seed, j, p->units[j], p->jobs.unit_steps);
            p->worker_of[j] = me;
#pragma omp atomic
            p->runs[j]++;
            /* only thread `me` adds to busy[me], but tasks of one thread never overlap: no race */
            p->busy[me] += omp_get_wtime() - s;
        }
    }
    return omp_get_wtime() - t0;
}

/* Every job ran once, with the right result. Returns 1, or 0 with the first problem in why. */
static int check_pool(const pool *p, char *why, size_t len)
{
    for (uint64_t j = 0; j < p->jobs.njobs; j++) {
        if (p->runs[j] != 1) {
            snprintf(why, len, "job %llu ran %d times", (unsigned long long)j, p->runs[j]);
            return 0;
        }
        if (!pk_pool_job_ok(p->jobs.seed, j, p->units[j], p->jobs.unit_steps, p->result[j])) {
            snprintf(why, len, "job %llu: wrong result", (unsigned long long)j);
            return 0;
        }
    }
    snprintf(why, len, "%llu jobs, each run exactly once with the right result, in every run",
             (unsigned long long)p->jobs.njobs);
    return 1;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "a pool of threads taking uneven jobs on demand (OpenMP tasks); load balance vs a "
                          "static split";
    pool p = {PK_POOL_JOBS_DEFAULT, NULL, NULL, NULL, NULL, NULL, 0};
    pk_pat_common c = {.repeat = 5, .warmup = 1};
    pk_opt opts[PK_POOL_NOPTS];
    size_t nopts = pk_pool_options(&p.jobs, opts);
    int code = pk_pat_parse(argc, argv, summary, opts, nopts, &c, PK_PAT_TIMED, pk_omp_check_env, 0);
    if (code >= 0) return code;

    p.threads = pk_omp_count_threads();
    p.units = malloc(p.jobs.njobs * sizeof *p.units);
    p.result = malloc(p.jobs.njobs * sizeof *p.result);
    p.runs = malloc(p.jobs.njobs * sizeof *p.runs);
    p.worker_of = malloc(p.jobs.njobs * sizeof *p.worker_of);
    p.busy = calloc((size_t)p.threads, sizeof *p.busy);
    double *times = calloc(c.repeat, sizeof *times);
    if (!p.units || !p.result || !p.runs || !p.worker_of || !p.busy || !times) {
        pk_error(prog, "out of memory for %llu jobs", (unsigned long long)p.jobs.njobs);
        free(p.units), free(p.result), free(p.runs), free(p.worker_of), free(p.busy), free(times);
        return PK_EXIT_FAIL;
    }
    int rising = strcmp(p.jobs.costs, "rising") == 0;
    for (uint64_t j = 0; j < p.jobs.njobs; j++)
        p.units[j] = pk_pool_units(p.jobs.seed, j, p.jobs.njobs, p.jobs.max_units, rising);

    double spu = pk_pool_seconds_per_unit(p.jobs.unit_steps); /* before the pool: a free core */
    int pass = 1;
    char why[256] = "";
    for (uint64_t r = 0; r < c.warmup + c.repeat; r++) {
        double dt = run_pool(&p);
        if (!check_pool(&p, why, sizeof why)) pass = 0;
        if (!pass) break; /* keep the first problem */
        if (r >= c.warmup) times[r - c.warmup] = dt;
    }

    pk_report rep;
    pk_pat_report_init(&rep, prog, summary, "omp");
    pk_omp_report_runtime(&rep);
    pk_pool_describe(&p.jobs, &rep);
    pk_report_num(&rep, "ranks", "1");
    pk_omp_describe(&rep);
    pk_report_str(&rep, "schedule", "tasks (one per job, taken by idle threads)");
    pk_report_num(&rep, "workers", "%d", p.threads);
    pk_pat_report_verdict(&rep, pass, why);
    pk_pat_report_times(&rep, &c, times, pass ? c.repeat : 0);
    pk_table t;
    pk_table_init(&t, pk_pool_cols, pk_pool_ncols);
    pk_pool_run run = {p.jobs.njobs, p.units, p.worker_of, p.threads, p.busy, pass ? times[c.repeat - 1] : 0, spu};
    pk_report_str(&rep, "breakdown", "of the last run");
    pk_pool_report(&run, &rep, &t);
    pk_pat_print(&rep, &t, c.json, stdout);
    pk_table_free(&t);

    free(p.units);
    free(p.result);
    free(p.runs);
    free(p.worker_of);
    free(p.busy);
    free(times);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
