/* The rank schedule: how the blocks of a kernel are shared among MPI ranks. static deals chunks
 * out in advance; dynamic and guided let every rank claim the next chunk when it is free, from a
 * counter in an MPI window on rank 0 (MPI-3 one-sided MPI_Fetch_and_op, passive target), so there
 * is no master rank: every rank computes. The chunks themselves come from parkit/schedule.h. */
#ifndef PARKIT_RANK_SCHEDULE_H
#define PARKIT_RANK_SCHEDULE_H
#include <mpi.h>
#include "parkit/balance.h"
#include "parkit/driver.h"
#include "parkit/kernel.h"
#include "parkit/schedule.h"
#ifdef __cplusplus
extern "C" {
#endif

#define PK_RANK_SCHEDULE_ENV "PARKIT_RANK_SCHEDULE"

/* What `--rank-schedule` (option, NULL when not given) or else PARKIT_RANK_SCHEDULE asks for, or
 * the default: guided (balances uneven blocks with few claims and needs no tuning), except for
 * kernels that hold data per rank (holds_data), where only static is possible. A non-static
 * request for such a kernel is a usage error. `source` says where the choice came from. Returns 0,
 * or -1 with one line in err. */
int pk_rank_schedule_choose(const char *option, int holds_data, pk_schedule *s, const char **source, char *err,
                            size_t errlen);

typedef struct pk_rank_schedule {
    pk_schedule requested;
    pk_schedule schedule; /* in force: the requested one, or its static stand-in (fallback) */
    int fallback;         /* 1 when this MPI could not make the counter's window between these ranks */
    pk_chunks chunks;     /* of the latest run */
    MPI_Comm comm;
    int rank, size;
    MPI_Comm wcomm;    /* on-demand schedules: the window's communicator, probed by rank 0 for progress */
    MPI_Win win;       /* on-demand schedules: the chunk counter, on rank 0 */
    uint64_t *counter;
} pk_rank_schedule;

/* Collective over comm: the schedule `s` and, for on-demand kinds, the counter's window. Where the
 * MPI library cannot make the window (no one-sided transport between the job's nodes), dynamic and
 * guided fall back to static,C (C = the requested chunk, or 1) and `fallback` says so. */
void pk_rank_schedule_open(pk_rank_schedule *rs, const pk_schedule *s, MPI_Comm comm);
/* Collective: frees the window. */
void pk_rank_schedule_close(pk_rank_schedule *rs);


/* Collective: one run over the blocks [b0, b1). Every rank computes the chunks the schedule gives
 * it (the schedule cuts b1 - b0 blocks, offset by b0) with its team: serially (pk_single_thread)
 * or on its OpenMP threads (pk_omp_team, called by the master thread only), and combines them
 * into `local` (the kernel's identity when it gets none); adds its blocks and busy time to `mine`
 * (may be NULL), and its threads' to `threads` when the team counts them (compute_tallied; threads
 * NULL: not counted). The caller reduces `local` across ranks. */
void pk_rank_schedule_run(pk_rank_schedule *rs, const pk_team *team, pk_tally *threads, const pk_kernel *k,
                          const pk_job *job, uint64_t b0, uint64_t b1, void *local, pk_share *mine);

/* On-demand schedules (not after a fallback): the next chunk index, atomically (one
 * MPI_Fetch_and_op on rank 0's counter plus a flush); every index below chunks.count goes to
 * exactly one claim per run. Exposed for parkit_mpi_latency, which times it. */
uint64_t pk_rank_schedule_claim(const pk_rank_schedule *rs);

#ifdef __cplusplus
}
#endif
#endif
