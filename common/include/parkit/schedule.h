/* Schedules of blocks over workers, written once in pure C (no OpenMP, no MPI): the grammar
 * shared with OMP_SCHEDULE (`static|dynamic|guided[,CHUNK]`) and the chunks each kind cuts the
 * blocks [0, nblocks) into. The MPI runner hands these chunks to ranks (mpi/rank_schedule.c);
 * keeping the cut here makes it testable without MPI and identical on every rank.
 *
 *  static      one contiguous, balanced chunk per worker (pk_partition); chunk w belongs to w
 *  static,C    chunks of C blocks dealt round-robin: chunk i belongs to worker i % workers
 *  dynamic[,C] chunks of C blocks (default 1), claimed on demand by whichever worker is free
 *  guided[,C]  claimed on demand; chunk sizes shrink: ceil(remaining / (2 x workers)), at least C
 *              (default 1). Large chunks first keep claims few (O(workers x log blocks)); small
 *              ones last even out the finish. Halving by 2 x workers rather than OpenMP's
 *              remaining / workers is the "factoring" rule: the first chunks can no longer hold
 *              half of the work each when costs per block are uneven.
 * Results do not depend on the schedule: the kernels' combine is exact. */
#ifndef PARKIT_SCHEDULE_H
#define PARKIT_SCHEDULE_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/partition.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef enum pk_sched_kind { PK_SCHED_STATIC, PK_SCHED_DYNAMIC, PK_SCHED_GUIDED } pk_sched_kind;

typedef struct pk_schedule {
    pk_sched_kind kind;
    uint64_t chunk; /* blocks; 0 = the kind's default (static: one slice per worker; else 1) */
} pk_schedule;

#define PK_SCHEDULE_MAX_CHUNK (UINT64_C(1) << 40)

/* Parses `static|dynamic|guided[,C]` (case-insensitive, blanks around allowed, C a positive
 * integer up to PK_SCHEDULE_MAX_CHUNK). Returns 0, or -1 with one line in err saying what is
 * expected. */
int pk_schedule_parse(const char *text, pk_schedule *s, char *err, size_t errlen);
/* "dynamic,4", "static" */
void pk_schedule_format(const pk_schedule *s, char *buf, size_t len);
/* 1 when chunks are claimed at run time (dynamic, guided), 0 when fixed in advance (static). */
int pk_schedule_on_demand(const pk_schedule *s);

/* The chunks of one schedule over nblocks blocks and `workers` workers. No memory is allocated:
 * guided boundaries are walked forward from a cursor (a worker claims increasing chunk indices,
 * so its walk costs O(chunks) per run in all), and only counted at init. */
typedef struct pk_chunks {
    pk_schedule schedule;
    uint64_t nblocks, workers, count;
    uint64_t cursor, cursor_start; /* guided: chunk `cursor` starts at block `cursor_start` */
} pk_chunks;

void pk_chunks_init(pk_chunks *c, const pk_schedule *s, uint64_t nblocks, uint64_t workers);
/* Blocks [lo, hi) of chunk i (i < count; empty past it). Moves the guided cursor. */
pk_range pk_chunks_at(pk_chunks *c, uint64_t i);

#ifdef __cplusplus
}
#endif
#endif
