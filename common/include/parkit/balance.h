/* Load balance across the processes of a run: how many blocks and how much busy time (computing
 * partials, not waiting for work or for the reduction) each one had, summarized as min/median/max
 * and the imbalance max busy / mean busy (1.0 is perfect; 2.0 means the slowest process worked
 * twice the average while the others idled). */
#ifndef PARKIT_BALANCE_H
#define PARKIT_BALANCE_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/report.h"
#include "parkit/stats.h"
#ifdef __cplusplus
extern "C" {
#endif

/* One process's part of the timed runs (summed over them). */
typedef struct pk_share {
    double blocks;
    double busy_s;
} pk_share;

typedef struct pk_balance {
    pk_stats blocks, busy_s;
    double imbalance; /* busy max / busy mean; 1 when nobody was busy */
} pk_balance;

pk_balance pk_balance_of(const pk_share *shares, size_t count);
/* Adds rank_blocks_{min,median,max}, rank_busy_s_{min,median,max} and rank_imbalance, each per run
 * (the sums divided by `runs`). */
void pk_balance_report(pk_report *r, const pk_balance *b, uint64_t runs);

#ifdef __cplusplus
}
#endif
#endif
