/* Shared by waitbound_omp and waitbound_mpi: tasks that wait (a bounded simulated latency,
 * nanosleep: the worker holds no core while it waits) vs tasks that compute (an LCG chain that
 * keeps a core busy), run on growing worker counts. Waiting-bound work keeps speeding up past the
 * core count; CPU-bound work stops at it. */
#ifndef PARKIT_WAITBOUND_H
#define PARKIT_WAITBOUND_H
#include <stdint.h>
#include "parkit/pattern.h"
#ifdef __cplusplus
extern "C" {
#endif

enum { PK_WB_WAIT = 0, PK_WB_CPU = 1 };
#define PK_WB_MAX_COUNTS 32

/* The options both programs take; fill with pk_wb_options, then pk_wb_finish after parsing. */
typedef struct pk_wb_config {
    uint64_t tasks, wait_us, cpu_us;
    uint64_t counts[PK_WB_MAX_COUNTS]; /* worker counts, increasing, starting at 1 */
    int ncounts, counts_given, cpu_given;
    uint64_t max_workers;              /* largest count accepted */
    uint64_t cpu_steps;                /* LCG steps per CPU task (calibrated to cpu_us) */
} pk_wb_config;

/* Options --workers, --tasks, --wait-us, --cpu-us into opts[0..3]; returns 4. */
size_t pk_wb_options(pk_wb_config *cfg, pk_opt *opts);
/* Default worker list when none was given (1, 2, 4, ... up to max_workers, and max_workers), and 1
 * put in front when missing (speedups are relative to one worker). */
void pk_wb_finish(pk_wb_config *cfg);

/* Runs task t and checks it: a CPU task's result against the jump-ahead, a waiting task's sleep
 * against the requested time. Returns 1 when right. */
int pk_wb_task(int kind, uint64_t t, double wait_s, uint64_t steps);

/* Report fields and the table (Workers, Wait(s), Speedup, CPU(s), Speedup) from the median times
 * per worker count; t is initialized here. */
void pk_wb_report(const pk_wb_config *cfg, const double *wait_med, const double *cpu_med, pk_report *r,
                  pk_table *t);

#ifdef __cplusplus
}
#endif
#endif
