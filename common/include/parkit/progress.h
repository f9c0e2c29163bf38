/* Progress lines for long runs (--progress): on stderr, rank 0 only, at most about once a second,
 * so that stdout (and --json) stays clean:
 *   sum_omp: progress: run 2/6 (timed 1/5): 45.2% of 9537 blocks, 5.1e+10 elements/s, 3.1 s, ETA 3.8 s */
#ifndef PARKIT_PROGRESS_H
#define PARKIT_PROGRESS_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_progress {
    const char *program;
    int enabled;
    uint64_t run, runs, warmup; /* run in progress (0-based) of runs, the first `warmup` untimed */
    uint64_t nblocks, block, n;
    uint64_t start_block;       /* blocks done before this session (resumed) */
    double t_start;             /* this run's start */
    double t_last;              /* the last line printed, over all runs; -1 before the first */
    double interval;            /* seconds between lines (1) */
} pk_progress;

/* Starts a run: resets the run's clock (not the lines' pace). */
void pk_progress_run(pk_progress *p, uint64_t run, uint64_t start_block, double now);
/* Blocks [0, done) of the run are done; prints a line when the interval has passed since the last
 * line. `run_ended`: the run is complete, which is worth a line too, but still at most one per
 * interval (2000 short repeats print a few lines, not 2000), except the very last run's. */
void pk_progress_update(pk_progress *p, uint64_t done, double now, int run_ended);

#ifdef __cplusplus
}
#endif
#endif
