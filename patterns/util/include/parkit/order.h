/* The orders in which workers' lines came out, over many runs: how many distinct orders were seen,
 * how often each, and whether every run listed every worker exactly once (order_omp, order_mpi).
 * Neither OpenMP nor MPI. */
#ifndef PARKIT_ORDER_H
#define PARKIT_ORDER_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/pattern.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_order_log {
    uint32_t workers, runs, cap;
    uint32_t *seq; /* runs x workers: the worker of each line, in output order */
} pk_order_log;

typedef struct pk_order_summary {
    uint32_t distinct;        /* distinct orders among the runs */
    uint32_t top_run;         /* a run with the most frequent order */
    uint32_t top_count;       /* how many runs had it */
    int every_run_complete;   /* every run listed each worker exactly once */
    int all_in_worker_order;  /* every run was 0, 1, ..., workers-1 */
} pk_order_summary;

/* 0, or -1 when out of memory. */
int pk_order_init(pk_order_log *log, uint32_t workers, uint32_t runs);
void pk_order_free(pk_order_log *log);
/* The slots of run r, to be filled with the worker of line 0, 1, ... */
uint32_t *pk_order_run(pk_order_log *log, uint32_t r);
/* Summary over runs [0, log->runs); a run that is not a permutation makes every_run_complete 0 and
 * `why` says which run and which worker. */
pk_order_summary pk_order_summarize(const pk_order_log *log, char *why, size_t whylen);
/* Up to `show` distinct orders, in order of first appearance: first_run[k] is a run that had order k,
 * count[k] how many runs had it. Returns how many were written. */
uint32_t pk_order_distinct(const pk_order_log *log, uint32_t show, uint32_t *first_run, uint32_t *count);
/* "3 0 1 2" (at most the first 32 workers, then "..."). */
void pk_order_text(const pk_order_log *log, uint32_t r, char *buf, size_t len);

/* The verdict of order_omp / order_mpi: every run listed every worker once (and its work checked:
 * work_ok), and, when `ordered`, every run gave the one order 0, 1, ..., W-1. Unordered runs are not
 * judged by how many orders they showed: one order over K runs is possible, just unlikely. Returns
 * 1 for PASS; `why` says what was seen. */
int pk_order_verdict(const pk_order_log *log, int ordered, int work_ok, char *why, size_t len);
/* The report fields (runs, workers, distinct_orders, most_frequent_order, its count) and a table of
 * up to `show` distinct orders: Order, Runs, Sequence. */
void pk_order_report(const pk_order_log *log, uint32_t show, pk_report *r, pk_table *t);
/* The table's columns (for pk_table_init). */
extern const pk_col pk_order_cols[];
extern const size_t pk_order_ncols;

#ifdef __cplusplus
}
#endif
#endif
