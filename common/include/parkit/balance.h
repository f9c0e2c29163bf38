/* Load balance of a run: how many blocks and how much busy time (computing partials, not waiting
 * for work or for the reduction) each worker had, summarized as min/median/max and the imbalance
 * max busy / mean busy (1.0 is perfect; 2.0 means the slowest worker worked twice the average while
 * the others idled). Two levels: the processes (ranks) and the threads (every thread of every
 * rank; a process of one thread is its own thread). */
#ifndef PARKIT_BALANCE_H
#define PARKIT_BALANCE_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/report.h"
#include "parkit/stats.h"
#ifdef __cplusplus
extern "C" {
#endif

/* One worker's part of the timed runs, summed over them: its blocks (a whole number, held exactly
 * by the double up to 2^53) and its busy seconds. */
typedef struct pk_share {
    double blocks;
    double busy_s;
} pk_share;

/* Adds blocks and busy seconds to *share; NULL (an untimed run) adds nothing. */
void pk_share_add(pk_share *share, uint64_t blocks, double busy_s);

/* The threads of one process over the timed runs: thread i's share in of[i] for i < used (the
 * most threads any counted run had), room for `capacity`. `lost`: out of memory once, so the
 * counts are incomplete and not reported. */
typedef struct pk_tally {
    pk_share *of;
    size_t used, capacity;
    int lost;
} pk_tally;

/* Room for `threads` slots (new ones zero). 0, or -1 with `lost` set when out of memory. */
int pk_tally_reserve(pk_tally *t, size_t threads);
/* Counts threads [0, threads) as workers of the runs (idle ones keep a zero share). 0 or -1 as above. */
int pk_tally_join(pk_tally *t, size_t threads);
/* Back to no threads and no loss (keeps its memory), for a new program run. */
void pk_tally_reset(pk_tally *t);
void pk_tally_free(pk_tally *t);

typedef struct pk_balance {
    /* processes: blocks are totals over the timed runs, busy seconds per run (see the report) */
    pk_stats blocks, busy_s;
    double imbalance; /* busy max / busy mean; 1 when nobody was busy */
    int has_threads;  /* the thread part below is filled */
    pk_stats thread_blocks, thread_busy_s;
    double thread_imbalance;
} pk_balance;

/* The process part of the balance of `count` shares (the thread part empty). The median of the
 * block counts is the lower of the two middle counts when count is even: a count some worker had,
 * a whole number like every other block field. */
pk_balance pk_balance_of(const pk_share *shares, size_t count);
/* Fills the thread part from `count` thread shares (count 0: left empty). */
void pk_balance_add_threads(pk_balance *b, const pk_share *threads, size_t count);
/* Adds rank_blocks_{min,median,max}, rank_busy_s_{min,median,max} and rank_imbalance, and with a
 * thread part the same as thread_*. Blocks are whole numbers, each worker's total over the timed
 * runs (the workers' totals add up to blocks x repeat); busy seconds are per run (the sums divided
 * by `runs`), comparable with the run times. */
void pk_balance_report(pk_report *r, const pk_balance *b, uint64_t runs);

#ifdef __cplusplus
}
#endif
#endif
