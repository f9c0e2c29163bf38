/* The bounded producer/consumer queue of queue_mpi, as functions the program and the tests share.
 * Rank 0 produces the integers 1..items and deals them out in batches, round robin, to ranks
 * 1..P-1, with at most `depth` batches in flight per consumer (MPI_Issend completes only once the
 * consumer has taken the batch: backpressure, like Queue(maxsize)). Consumers square and sum them.
 * With 1 rank, rank 0 consumes its own items without messages. */
#ifndef PARKIT_QUEUE_H
#define PARKIT_QUEUE_H
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_queue_cfg {
    uint64_t items, batch, depth;
} pk_queue_cfg;

/* What one consumer did in one run (travels to rank 0 as bytes). */
typedef struct pk_queue_tally {
    uint64_t items, batches, duplicates, out_of_range;
    uint64_t sum_lo, sum_hi; /* sum of squares, 128 bits */
} pk_queue_tally;

typedef struct pk_queue {
    pk_queue_cfg cfg;
    int rank, size, consumers; /* consumers = size - 1 */
    uint8_t *seen;             /* bitmap of the items this rank consumed: bit v-1 for item v */
    uint8_t *seen_or;          /* rank 0: the OR of every consumer's bitmap */
    size_t seen_bytes;
    uint64_t *slots;           /* batch buffers: depth per consumer on rank 0, one elsewhere */
    MPI_Request *reqs;
    size_t nslots;
    pk_queue_tally mine;
    pk_queue_tally *all;       /* rank 0: the consumers' tallies (first, count: see pk_queue_tallies) */
} pk_queue;

/* Collective. Allocates; returns 0 on every rank, or -1 on every rank when any rank ran out of memory. */
int pk_queue_open(pk_queue *q, const pk_queue_cfg *cfg);
/* Collective: one run (barrier first). Returns this rank's elapsed time. */
double pk_queue_run(pk_queue *q);
/* Collective: gathers tallies and bitmaps on rank 0 and checks the run. Returns 1/0 on rank 0
 * (with why), 1 elsewhere. */
int pk_queue_verify(pk_queue *q, char *why, size_t len);
void pk_queue_close(pk_queue *q);

/* What a consumer does with each batch it takes (pk_queue_run calls the same code): every item is
 * marked in this rank's bitmap (q->seen) and counted in q->mine -- as a duplicate when its bit was
 * already set, out of range when it is not in 1..items -- and its square is added to q->mine's sum.
 * Not collective; for tests that feed a consumer doctored batches. */
void pk_queue_consume(pk_queue *q, const uint64_t *items, int n);

/* Rank 0, after pk_queue_verify: the consumers' tallies (rank k's at index k - first). */
const pk_queue_tally *pk_queue_tallies(const pk_queue *q, int *first, int *count);

/* The check itself (no MPI): tallies of `n` consumers and the OR of their bitmaps. Every item
 * 1..items must be marked (the OR covers them all) and the counts must add up to items: N marks from
 * N consumed items means each exactly once. The sum of squares must be items(items+1)(2items+1)/6. */
int pk_queue_check(const pk_queue_cfg *cfg, const pk_queue_tally *t, int n, const uint8_t *seen_or, char *why,
                   size_t len);

#ifdef __cplusplus
}
#endif
#endif
