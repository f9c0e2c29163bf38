/* The one program flow for every kernel program, whatever the programming model:
 * parse the command line, check the environment, set up data, warm up, time the repeats,
 * reduce, verify, report. A backend (serial, OpenMP, MPI, hybrid) supplies the parallel parts. */
#ifndef PARKIT_DRIVER_H
#define PARKIT_DRIVER_H
#include <stdint.h>
#include "parkit/balance.h"
#include "parkit/cli.h"
#include "parkit/kernel.h"
#include "parkit/partition.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Workers of a run, as numbers: ranks x threads per rank (threads counted on rank 0). */
typedef struct pk_workers {
    int ranks, threads;
} pk_workers;

#define PK_BACKEND_MAX_OPTS 2

/* A programming model as the driver sees it. How blocks are shared among workers is the
 * backend's decision alone (threads: OMP_SCHEDULE; ranks: the rank schedule): the driver asks for
 * whole runs over [0, nblocks) and never splits the index space itself. */
typedef struct pk_backend {
    const char *model; /* "serial", "omp", "mpi", "hybrid" */
    int rank, size;    /* this process in the job; 0 and 1 without MPI */
    void *state;       /* the backend's own (e.g. the rank schedule and its MPI window) */

    /* The backend's own command-line options (e.g. --rank-schedule), offered beside the kernel's. */
    pk_opt opts[PK_BACKEND_MAX_OPTS];
    size_t nopts;

    /* After the command line is parsed: checks the environment and the backend's options for this
     * kernel and its parameters, and prepares to run it. Every rank reaches the same verdict.
     * Returns 0, or PK_EXIT_USAGE / PK_EXIT_FAIL with one line in err. May print warnings (rank 0)
     * once everything is valid. May be NULL. */
    int (*configure)(struct pk_backend *b, const pk_kernel *k, const void *params, const char *program, char *err,
                     size_t errlen);
    /* Collective: 1 when `ok` is nonzero on every rank. */
    int (*all_ok)(int ok);
    /* Collective, before anything else: 0 when every rank was started with the same inputs -- the
     * program and its arguments (`argc`, `argv`) and whatever of the environment the backend reads
     * (e.g. the rank schedule) -- else PK_EXIT_USAGE on every rank with one line in err naming the
     * first difference (an MPMD launch, a variable set on one node). NULL: one process. */
    int (*same_inputs)(const struct pk_backend *b, int argc, char **argv, char *err, size_t errlen);
    /* Collective: the code and message of the lowest rank whose `code` is nonzero, on every rank (0
     * when there is none), so that a check that fails on some ranks only (a node-local directory, an
     * environment set on one node) ends every rank the same way. NULL: one process. */
    int (*first_error)(const struct pk_backend *b, int code, char *err, size_t errlen);
    /* The blocks whose data this process holds (kernels with setup): set up and first-touched
     * here, then read by whatever the schedule gives this process. */
    pk_range (*owned)(const struct pk_backend *b, uint64_t nblocks);
    void (*touch)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1);
    /* Collective: one run over the blocks [b0, b1), shared among workers as the backend decides;
     * the combined result in `global` on rank 0. Adds this process's blocks and busy time to `mine`
     * (NULL: not counted, e.g. warm-up). */
    void (*run)(const struct pk_backend *b, const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1,
                void *global, pk_share *mine);
    /* Collective: all ranks start together (MPI barrier); no-op without MPI. */
    void (*barrier)(void);
    double (*wtime)(void);
    /* Collective: the maximum of t over ranks, valid on rank 0. */
    double (*max_over_ranks)(double t);
    /* Collective: v[i] = the maximum of v[i] over ranks, on every rank (rank 0's decisions reach
     * all ranks by the others proposing 0; any rank's signal reaches all). No-op in one process. */
    void (*agree)(uint64_t *v, int count);
    /* Collective: the host names of the job ("n1,n2"; "n1..n9 (9 hosts)" when long), on rank 0. */
    void (*hosts)(const struct pk_backend *b, char *buf, size_t len);
    /* Collective: every process's share summarized, and every thread's (which the backend counted in
     * its timed runs: `mine` is this process's), valid on rank 0. */
    pk_balance (*balance)(const pk_share *mine);
    pk_workers (*workers)(const struct pk_backend *b);
    /* Adds threads/ranks/schedule fields to the report (rank 0). */
    void (*describe)(const struct pk_backend *b, pk_report *r);
} pk_backend;

struct pk_program;
/* Runs the kernel program and returns its exit code (PK_EXIT_*). Every rank must call it. The
 * program's kernel is checked first (pk_kernel_resolve: exit 5 when it breaks the contract). */
int pk_drive(const struct pk_program *program, pk_backend *b, int argc, char **argv);

/* The serial backend (one process, one thread): the reference the other models are tested against. */
pk_backend pk_serial_backend(void);

/* Pieces every one-process backend (serial, OpenMP) shares: it holds all blocks, and its balance
 * is its own share. */
pk_range pk_owned_all(const pk_backend *b, uint64_t nblocks);
/* A run in this process: compute(k, job, b0, b1, global), counted into mine (may be NULL). */
typedef void (*pk_compute_fn)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out);
/* The same, also adding each thread's blocks and busy seconds to `threads` (NULL: not counted). */
typedef void (*pk_tally_fn)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out,
                            pk_tally *threads);
void pk_run_in_process(const pk_backend *b, pk_compute_fn compute, const pk_kernel *k, const pk_job *job, uint64_t b0,
                       uint64_t b1, void *global, pk_share *mine);
void pk_agree_single(uint64_t *v, int count);

/* What computes inside one process of a multi-process backend: one thread, or a team of threads
 * (omp/ provides pk_omp_team). The MPI backend takes one, so that mpi/ needs no OpenMP and a
 * hybrid program is just "ranks x a team". */
typedef struct pk_team {
    int (*check_env)(char *err, size_t errlen); /* NULL: nothing to check */
    int (*count)(void);                          /* workers in the team */
    pk_compute_fn compute;
    pk_tally_fn compute_tallied;                 /* NULL: one thread, whose share is the process's */
    void (*touch)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1);
    void (*describe)(pk_report *r);              /* threads, schedule, runtime fields */
} pk_team;
/* One thread: pk_compute_serial, threads = 1, no OpenMP runtime. */
extern const pk_team pk_single_thread;
void pk_hosts_single(const pk_backend *b, char *buf, size_t len);
/* One process of one thread: `mine` is both its process share and its thread share. */
pk_balance pk_balance_single(const pk_share *mine);

#ifdef __cplusplus
}
#endif
#endif
