/* The report of a worker pool (pool_omp: OpenMP tasks; pool_mpi: a master-worker farm): which
 * worker ran how many jobs, load balance, and the makespan beside that of a static split of the same
 * uneven jobs. Jobs cost pk_job_units(seed, j, max_units) units of `unit_steps` LCG steps each. */
#ifndef PARKIT_POOL_REPORT_H
#define PARKIT_POOL_REPORT_H
#include <stdint.h>
#include "parkit/pattern.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The jobs both pool programs run, set by the same options and reported the same way. */
typedef struct pk_pool_jobs {
    uint64_t njobs, max_units, unit_steps, seed;
    const char *costs; /* "random" or "rising" */
} pk_pool_jobs;
#define PK_POOL_JOBS_DEFAULT {10, 8, 1000000, 1, "random"}
#define PK_POOL_NOPTS 5

/* --jobs, --max-units, --unit-steps, --seed, --costs into opts[0..PK_POOL_NOPTS); returns the count. */
size_t pk_pool_options(pk_pool_jobs *jobs, pk_opt *opts);
/* Adds jobs, max_units, unit_steps, seed and costs to r. */
void pk_pool_describe(const pk_pool_jobs *jobs, pk_report *r);
/* Job j's cost in units: pk_job_units_rising when rising, else pk_job_units. */
uint64_t pk_pool_units(uint64_t seed, uint64_t j, uint64_t njobs, uint64_t max_units, int rising);

typedef struct pk_pool_run {
    uint64_t njobs;
    const uint64_t *units; /* cost of each job in units */
    const int *worker_of;  /* who ran each job (0..nworkers-1) */
    int nworkers;
    const double *busy;    /* seconds each worker spent in jobs (includes time descheduled) */
    double makespan;       /* wall time of the run, seconds */
    double seconds_per_unit; /* one unit on one free core (pk_pool_seconds_per_unit) */
} pk_pool_run;

/* Seconds one unit of `unit_steps` LCG steps takes on one free core, measured over ~0.05 s. */
double pk_pool_seconds_per_unit(uint64_t unit_steps);

/* Checks job j's result against the independent jump-ahead: 1 when right. */
int pk_pool_job_ok(uint64_t seed, uint64_t j, uint64_t units, uint64_t unit_steps, uint64_t result);
/* The work itself: job j's LCG chain of units * unit_steps steps. */
uint64_t pk_pool_job_run(uint64_t seed, uint64_t j, uint64_t units, uint64_t unit_steps);

/* Adds the pool fields to r and one row per worker to t (t initialized with pk_pool_cols). */
extern const pk_col pk_pool_cols[];
extern const size_t pk_pool_ncols;
void pk_pool_report(const pk_pool_run *run, pk_report *r, pk_table *t);

#ifdef __cplusplus
}
#endif
#endif
