/* OpenMP synchronisation overheads, measured the EPCC syncbench way: the time of a loop whose
 * body is a short fixed delay inside the construct, minus the time of the same delays without
 * it, divided by the number of constructs. Reported: the median over the outer repetitions
 * (seconds per construct) of
 *   parallel:  `#pragma omp parallel { delay; }`                   vs  delay
 *   barrier:   inside one region, `delay; #pragma omp barrier`      vs  delay
 *   reduction: `#pragma omp parallel reduction(+:x) { delay; x++; }` vs  delay; x++
 * on the all-cores thread count (OMP_WAIT_POLICY and OMP_PROC_BIND apply as set). */
#include <stdio.h>
#include <stdlib.h>

#include <omp.h>

#include "limits.h"
#include "parkit/error.h"
#include "parkit/stats.h"
#include "parkit/timer.h"

/* A fixed amount of work the optimizer cannot remove or shorten (EPCC's delay()). */
__attribute__((noinline)) static void delay(int len)
{
    int64_t x = 0;
    for (int i = 0; i < len; i++) {
        x += i;
        LIMITS_OPAQUE(x);
    }
}

enum construct { C_PARALLEL, C_BARRIER, C_REDUCTION };

static double reference(int inner, int len)
{
    int64_t x = 0;
    double t0 = pk_wtime();
    for (int j = 0; j < inner; j++) {
        delay(len);
        x++;
        LIMITS_OPAQUE(x);
    }
    return pk_wtime() - t0;
}

static double test(enum construct c, int threads, int inner, int len)
{
    double t0 = pk_wtime();
    if (c == C_PARALLEL) {
        for (int j = 0; j < inner; j++) {
#pragma omp parallel num_threads(threads)
            delay(len);
        }
    } else if (c == C_BARRIER) {
#pragma omp parallel num_threads(threads)
        for (int j = 0; j < inner; j++) {
            delay(len);
#pragma omp barrier
        }
    } else {
        int64_t x = 0;
        for (int j = 0; j < inner; j++) {
#pragma omp parallel num_threads(threads) reduction(+ : x)
            {
                delay(len);
                x++;
            }
        }
        LIMITS_OPAQUE(x);
    }
    return pk_wtime() - t0;
}

/* Median overhead per construct over `reps` outer repetitions into *out; -1 without memory. */
static int overhead(enum construct c, int threads, int inner, int len, uint64_t reps, double *out)
{
    double *v = calloc(reps, sizeof *v);
    if (!v) return -1;
    test(c, threads, inner, len); /* warm-up: create the thread team */
    for (uint64_t r = 0; r < reps; r++) {
        double ref = reference(inner, len);
        double t = test(c, threads, inner, len);
        v[r] = (t - ref) / inner;
    }
    *out = pk_stats_of(v, (size_t)reps).median;
    free(v);
    return 0;
}

int limits_overhead(const limits_opts *o, pk_report *r)
{
    /* EPCC's default delay is about 0.1 us: long enough to be a real body, short against the
     * construct. Calibrate the loop length to that on this core. */
    int len = 64;
    for (;;) {
        double t = reference(1000, len) / 1000;
        if (t >= 0.1e-6 || len > (1 << 20)) break;
        len *= 2;
    }
    const int inner = 1000;
    pk_report_num(r, "omp_threads", "%d", o->threads);
    pk_report_num(r, "omp_delay_s", "%.3e", reference(inner, len) / inner);
    static const struct {
        enum construct c;
        const char *key, *what;
    } probes[] = {{C_PARALLEL, "omp_parallel_overhead_s", "parallel region"},
                  {C_BARRIER, "omp_barrier_overhead_s", "barrier"},
                  {C_REDUCTION, "omp_reduction_overhead_s", "parallel reduction"}};
    for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
        limits_progress(o, "OpenMP %s overhead, %d threads", probes[i].what, o->threads);
        double v = 0;
        if (overhead(probes[i].c, o->threads, inner, len, o->overhead_reps, &v) != 0) {
            pk_error(o->program, "out of memory for timings");
            return -1;
        }
        pk_report_num(r, probes[i].key, "%.3e", v);
    }
    return 0;
}
