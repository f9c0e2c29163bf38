/* The master-worker farm of pool_mpi, as functions the program and the tests share: rank 0 hands
 * out job numbers on demand (a worker gets the next job as soon as it returns a result), ranks
 * 1..P-1 run them; with 1 rank, rank 0 runs every job itself. Job j costs pk_job_units(seed, j,
 * max_units) (or pk_job_units_rising) units of unit_steps LCG steps; every rank computes the costs, so
 * only job numbers and results travel. Waiting ranks poll with short sleeps (pk_mpi_wait_idle). */
#ifndef PARKIT_FARM_H
#define PARKIT_FARM_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_farm_cfg {
    uint64_t njobs, max_units, unit_steps, seed;
    int rising; /* costs pk_job_units_rising instead of pk_job_units */
} pk_farm_cfg;

typedef struct pk_farm {
    pk_farm_cfg cfg;
    int rank, size, workers, nworkers; /* workers = size - 1; nworkers = max(workers, 1) */
    uint64_t *units;                   /* every rank: the cost of each job */
    /* rank 0, per job: */
    uint64_t *value;
    int *runs, *worker_of;             /* results received, and from which worker (rank - 1) */
    /* rank 0, per worker: */
    double *busy;                      /* seconds in jobs, as the workers measured them */
    uint64_t *tally;                   /* jobs counted by the master */
    uint64_t *own;                     /* jobs counted by the workers themselves (gathered) */
    uint64_t mine;                     /* this worker's own count in the last run */
} pk_farm;

/* Collective. Returns 0 on every rank, or -1 on every rank when any rank ran out of memory. */
int pk_farm_open(pk_farm *f, const pk_farm_cfg *cfg);
/* Collective: one run (barrier first). Returns this rank's elapsed time. */
double pk_farm_run(pk_farm *f);
/* Collective: gathers the workers' own counts and checks the run on rank 0: every job came back
 * exactly once with the right result (independent jump-ahead), and each worker's count matches the
 * master's. Returns 1/0 on rank 0 (with why), 1 elsewhere. */
int pk_farm_verify(pk_farm *f, char *why, size_t len);
void pk_farm_close(pk_farm *f);

#ifdef __cplusplus
}
#endif
#endif
