/* Shared by the MPI pattern programs (queue, pingpong, pool, waitbound, where): start-up with the
 * kit's CLI, and waiting for a message or a barrier without keeping a core busy. */
#ifndef PARKIT_PATTERN_MPI_H
#define PARKIT_PATTERN_MPI_H
#include <mpi.h>
#include "parkit/pattern.h"
#ifdef __cplusplus
extern "C" {
#endif

/* pk_mpi_init with `required`, then pk_pat_parse on every rank (same argv everywhere, so every rank
 * reaches the same verdict without talking; only rank 0 prints). Returns -1 to go on with MPI
 * initialized and *rank, *size set; otherwise the exit code to return, MPI already finalized. */
int pk_pat_mpi_start(int *argc, char ***argv, int required, const char *summary, const pk_opt *opts,
                     size_t nopts, pk_pat_common *c, int timed, int (*check_env)(char *, size_t), int *rank,
                     int *size);

/* For a usage error found after start-up: rank 0 prints the line, every rank finalizes MPI and
 * returns PK_EXIT_USAGE. */
int pk_pat_mpi_usage(int rank, const char *program, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Collective check of a per-rank step (typically allocation): returns 1 when `ok` holds on every
 * rank. Otherwise every rank where it failed prints "rank R: <what>", every rank finalizes MPI, and 0
 * is returned: the caller returns PK_EXIT_FAIL. No rank goes on alone into a collective. */
int pk_pat_mpi_all_ok(int ok, int rank, const char *program, const char *what);

/* warmup + repeat collective runs of run(ctx). A run's time is the max over ranks (into times[] on
 * rank 0, timed runs only); every run, warm-ups included, is checked by check(ctx) off the clock.
 * `why` keeps the first problem ("run K: ...") or else the last check's line + ", in every run".
 * Returns 1 when every check passed (the verdict is rank 0's). */
int pk_pat_mpi_checked_runs(const pk_pat_common *c, double (*run)(void *ctx),
                            int (*check)(void *ctx, char *why, size_t len), void *ctx, double *times, char *why,
                            size_t len);

/* Waits for `req` polling MPI_Test with short sleeps in between. Blocking MPI calls busy-poll (Open
 * MPI, MPICH): a rank that only waits would take a core from the ranks that compute, which on an
 * oversubscribed node (8 ranks, 2 cores) falsifies every CPU-bound timing. Costs up to ~0.1 ms of
 * latency per wait: use it where waits are long, never inside a latency measurement. */
void pk_mpi_wait_idle(MPI_Request *req, MPI_Status *status);
/* A barrier that waits the same way. */
void pk_mpi_barrier_idle(MPI_Comm comm);

/* Collective: every rank records where its threads run (hybrid 1: each OpenMP thread of a parallel
 * region; 0: the rank itself) and rank 0 receives all records in *all (n of them; free() it),
 * unsorted. Other ranks get NULL and 0. Returns 0, or -1 on every rank when a rank ran out of memory. */
struct pk_place;
int pk_where_gather(int hybrid, struct pk_place **all, size_t *n);

/* pk_where_gather's and pk_where_mpi_main's `hybrid`: one record per rank, or per thread of each rank. */
enum { PK_WHERE_RANKS = 0, PK_WHERE_THREADS = 1 };
/* The whole main of where_mpi (PK_WHERE_RANKS: one thread per rank) and where_hybrid (PK_WHERE_THREADS: the
 * OpenMP threads of every rank, MPI_THREAD_FUNNELED). */
int pk_where_mpi_main(int argc, char **argv, int hybrid);

/* pk_pat_report_init plus the MPI library (rank 0; hosts names rank 0's host). */
void pk_pat_mpi_report_init(pk_report *r, const char *program, const char *summary, const char *model);

#ifdef __cplusplus
}
#endif
#endif
