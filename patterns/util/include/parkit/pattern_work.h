/* The work the pattern programs hand out, with independent checks of its results:
 *  - CPU-bound work: a chain of linear congruential steps x = a*x + c (mod 2^64). Each step needs
 *    the previous one, so it cannot be vectorized or skipped by the compiler, and its cost is
 *    proportional to the step count; the check jumps ahead in O(log steps) (a different algorithm).
 *  - waiting: nanosleep, a bounded simulated latency (a blocking I/O call that costs no CPU).
 *  - uneven job costs: deterministic pseudo-random units per job, and the makespans of a static
 *    split of those jobs (what a pool with on-demand hand-out is compared against). */
#ifndef PARKIT_PATTERN_WORK_H
#define PARKIT_PATTERN_WORK_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* x after `steps` LCG steps, one at a time (the work). */
uint64_t pk_lcg_run(uint64_t x, uint64_t steps);
/* The same value in O(log steps) (the check). */
uint64_t pk_lcg_jump(uint64_t x, uint64_t steps);
/* A well-mixed 64-bit hash (splitmix64's finalizer): deterministic pseudo-random numbers. */
uint64_t pk_mix64(uint64_t x);
/* LCG steps per second on this core, measured over about `seconds`. */
double pk_lcg_steps_per_second(double seconds);

/* Sleeps for `seconds` (resumes after signals). Returns the time really slept (>= seconds). */
double pk_sleep(double seconds);

/* Job j's cost in units, 1..max_units, from a seed: uneven but reproducible. */
uint64_t pk_job_units(uint64_t seed, uint64_t job, uint64_t max_units);
/* Job j of njobs costs 1 + (max_units - 1) * j / (njobs - 1) units: rising with j, like the rows
 * of a triangular loop -- the worst case for a block split, which gives the last worker the heaviest. */
uint64_t pk_job_units_rising(uint64_t job, uint64_t njobs, uint64_t max_units);
/* The starting value of job j's LCG chain. */
uint64_t pk_job_start(uint64_t seed, uint64_t job);

/* Makespan in units when jobs [0, njobs) are split statically over `workers`:
 * block = contiguous balanced blocks in job order (OpenMP schedule(static)),
 * cyclic = job j on worker j % workers (round robin). */
uint64_t pk_makespan_block(const uint64_t *units, uint64_t njobs, uint64_t workers);
uint64_t pk_makespan_cyclic(const uint64_t *units, uint64_t njobs, uint64_t workers);
/* No schedule can beat max(ceil(total / workers), largest job). */
uint64_t pk_makespan_bound(const uint64_t *units, uint64_t njobs, uint64_t workers);

/* ---- the shared counter's histogram ---- */
#define PK_COUNTER_BINS 7 /* a count and 7 bins: one thread's tally fills one 64-byte line */
/* Update i goes to bin i % PK_COUNTER_BINS: the exact expected count of bin b after n updates. */
uint64_t pk_counter_bin_expected(uint64_t n, unsigned b);
/* counter_omp's check of one run that made n updates and ended with `count` and hist[0..BINS):
 * returns 1 when the count is n and every bin is exact, else 0. *lost = n - count and *hist_lost =
 * the bins' shortfall, summed (a racy count only loses updates, it never exceeds n). */
int pk_counter_check(uint64_t n, uint64_t count, const uint64_t hist[PK_COUNTER_BINS], uint64_t *lost,
                     uint64_t *hist_lost);

#ifdef __cplusplus
}
#endif
#endif
