/* CPU-bound work, waiting, and uneven job costs for the pattern programs (see pattern_work.h). */
#include "parkit/pattern_work.h"

#include <errno.h>
#include <time.h>

#include "parkit/partition.h"
#include "parkit/timer.h"
#include "parkit/u128.h"

/* Knuth's MMIX constants: full period modulo 2^64. */
#define LCG_A 6364136223846793005ULL
#define LCG_C 1442695040888963407ULL

uint64_t pk_lcg_run(uint64_t x, uint64_t steps)
{
    for (uint64_t i = 0; i < steps; i++) x = LCG_A * x + LCG_C;
    return x;
}

uint64_t pk_lcg_jump(uint64_t x, uint64_t steps)
{
    /* compose the affine map x -> a*x + c with itself: (a, c) o (a, c) = (a*a, a*c + c) */
    uint64_t acc_a = 1, acc_c = 0, a = LCG_A, c = LCG_C;
    while (steps) {
        if (steps & 1) {
            acc_a = a * acc_a;
            acc_c = a * acc_c + c;
        }
        c = a * c + c;
        a = a * a;
        steps >>= 1;
    }
    return acc_a * x + acc_c;
}

uint64_t pk_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static volatile uint64_t lcg_sink;

double pk_lcg_steps_per_second(double seconds)
{
    uint64_t steps = 1 << 16, x = 1;
    double best = 0;
    double t_end = pk_wtime() + seconds;
    /* grow the chunk until one takes ~1/8 of the budget, keep the fastest rate seen (least disturbed) */
    do {
        double t0 = pk_wtime();
        x = pk_lcg_run(x, steps);
        double dt = pk_wtime() - t0;
        if (dt > 0 && steps / dt > best) best = steps / dt;
        if (dt < seconds / 8 && steps < (1ULL << 40)) steps *= 2;
    } while (pk_wtime() < t_end);
    lcg_sink = x; /* keeps the chains from being optimized away */
    return best;
}

double pk_sleep(double seconds)
{
    double t0 = pk_wtime();
    if (seconds <= 0) return 0;
    struct timespec req = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)}, rem;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR) req = rem;
    return pk_wtime() - t0;
}

uint64_t pk_job_units(uint64_t seed, uint64_t job, uint64_t max_units)
{
    if (max_units == 0) return 0;
    return 1 + pk_mix64(seed * 0x100000001B3ULL ^ job) % max_units;
}

uint64_t pk_job_units_rising(uint64_t job, uint64_t njobs, uint64_t max_units)
{
    if (max_units == 0) return 0;
    if (njobs < 2) return 1;
    return 1 + (uint64_t)((pk_u128)(max_units - 1) * job / (njobs - 1));
}

uint64_t pk_job_start(uint64_t seed, uint64_t job) { return pk_mix64(~seed ^ (job << 1)); }

uint64_t pk_makespan_block(const uint64_t *units, uint64_t njobs, uint64_t workers)
{
    uint64_t worst = 0;
    for (uint64_t w = 0; w < workers; w++) {
        pk_range r = pk_partition(njobs, workers, w);
        uint64_t sum = 0;
        for (uint64_t j = r.lo; j < r.hi; j++) sum += units[j];
        if (sum > worst) worst = sum;
    }
    return worst;
}

uint64_t pk_makespan_cyclic(const uint64_t *units, uint64_t njobs, uint64_t workers)
{
    uint64_t worst = 0;
    for (uint64_t w = 0; w < workers; w++) {
        uint64_t sum = 0;
        for (uint64_t j = w; j < njobs; j += workers) sum += units[j];
        if (sum > worst) worst = sum;
    }
    return worst;
}

uint64_t pk_makespan_bound(const uint64_t *units, uint64_t njobs, uint64_t workers)
{
    uint64_t total = 0, largest = 0;
    for (uint64_t j = 0; j < njobs; j++) {
        total += units[j];
        if (units[j] > largest) largest = units[j];
    }
    uint64_t even = workers ? (total + workers - 1) / workers : total;
    return even > largest ? even : largest;
}

uint64_t pk_counter_bin_expected(uint64_t n, unsigned b)
{
    return n / PK_COUNTER_BINS + (b < n % PK_COUNTER_BINS ? 1 : 0);
}

int pk_counter_check(uint64_t n, uint64_t count, const uint64_t hist[PK_COUNTER_BINS], uint64_t *lost,
                     uint64_t *hist_lost)
{
    int exact = count == n;
    *lost = n - count; /* a racy count only loses: it never exceeds n */
    *hist_lost = 0;
    for (unsigned b = 0; b < PK_COUNTER_BINS; b++) {
        uint64_t want = pk_counter_bin_expected(n, b);
        if (hist[b] != want) exact = 0;
        *hist_lost += want - hist[b];
    }
    return exact;
}
