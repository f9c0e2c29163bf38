/* Memory bandwidth probes: what a memory-bound kernel can hope for.
 *
 * read:  the sum of an int64 array (what `sum_omp --source array` does), 8 bytes per element.
 * triad: a[i] = b[i] + q*c[i] on doubles, STREAM's convention of 24 bytes per element (the
 *        write-allocate read of a[] is not counted, exactly as STREAM does not).
 * Both on 1 thread and on all threads, arrays first-touched by the threads that read them,
 * sized far beyond the last-level cache (--mem-bytes). Rates from the best and the median run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "limits.h"
#include "parkit/error.h"
#include "parkit/partition.h"
#include "parkit/timer.h"

typedef int64_t v_i64 __attribute__((vector_size(64), aligned(64)));

/* Sum of a[lo, hi), four independent vector accumulators so one thread can keep many loads in
 * flight; the array is 64-byte aligned and lo/hi are multiples of 8 except at the very end. */
static int64_t read_chunk(const int64_t *a, uint64_t lo, uint64_t hi)
{
    v_i64 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    uint64_t i = lo;
    for (; i + 32 <= hi; i += 32) {
        const v_i64 *p = (const v_i64 *)(a + i);
        s0 += p[0];
        s1 += p[1];
        s2 += p[2];
        s3 += p[3];
    }
    v_i64 s = s0 + s1 + s2 + s3;
    int64_t t = 0;
    for (int l = 0; l < 8; l++) t += s[l];
    for (; i < hi; i++) t += a[i];
    return t;
}

/* Thread t's share of [0, n) in whole 32-element groups (the last thread takes the tail). */
static pk_range share(uint64_t n, int threads, int t)
{
    pk_range g = pk_partition(n / 32, (uint64_t)threads, (uint64_t)t);
    pk_range r = {g.lo * 32, g.hi * 32};
    if (t == threads - 1) r.hi = n;
    return r;
}

static int read_at(const limits_opts *o, int threads, const char *prefix, pk_report *r)
{
    uint64_t n = o->mem_bytes / sizeof(int64_t);
    if (n < 32) n = 32;
    size_t bytes = ((size_t)n * sizeof(int64_t) + 63) & ~(size_t)63;
    int64_t *a = aligned_alloc(64, bytes);
    if (!a) {
        pk_error(o->program, "cannot allocate %.2f GiB for the read probe", (double)bytes / (1u << 30));
        return -1;
    }
#pragma omp parallel num_threads(threads)
    {
        pk_range mine = share(n, threads, omp_get_thread_num());
        for (uint64_t i = mine.lo; i < mine.hi; i++) a[i] = (int64_t)i;
    }
    double *times = calloc(o->repeat, sizeof *times);
    int64_t got = 0, want = (int64_t)(n * (n - 1) / 2);
    int ok = times != NULL;
    for (uint64_t rep = 0; ok && rep <= o->repeat; rep++) { /* rep 0 is the warm-up */
        int64_t total = 0;
        double t0 = pk_wtime();
#pragma omp parallel num_threads(threads) reduction(+ : total)
        {
            pk_range mine = share(n, threads, omp_get_thread_num());
            total += read_chunk(a, mine.lo, mine.hi);
        }
        double t = pk_wtime() - t0;
        if (rep > 0) times[rep - 1] = t;
        got = total;
        if (got != want) ok = 0;
    }
    if (ok) {
        limits_report_rate(r, prefix, (double)n * sizeof(int64_t), times, o->repeat);
    } else if (times) {
        pk_error(o->program, "read probe: sum %lld, expected %lld", (long long)got, (long long)want);
    } else {
        pk_error(o->program, "out of memory for timings");
    }
    free(times);
    free(a);
    return ok ? 0 : -1;
}

int limits_mem_read(const limits_opts *o, pk_report *r)
{
    uint64_t n = o->mem_bytes / sizeof(int64_t);
    pk_report_num(r, "read_bytes", "%llu", (unsigned long long)(n * sizeof(int64_t)));
    limits_progress(o, "read bandwidth, 1 thread, %.0f MiB int64 array", (double)o->mem_bytes / (1 << 20));
    if (read_at(o, 1, "read_1t_bytes_per_s", r) != 0) return -1;
    limits_progress(o, "read bandwidth, %d threads", o->threads);
    return read_at(o, o->threads, "read_all_bytes_per_s", r);
}

static void triad(double *restrict a, const double *restrict b, const double *restrict c, double q,
                  uint64_t lo, uint64_t hi)
{
    for (uint64_t i = lo; i < hi; i++) a[i] = b[i] + q * c[i];
}

static int triad_at(const limits_opts *o, int threads, const char *prefix, pk_report *r)
{
    uint64_t n = o->mem_bytes / 3 / sizeof(double);
    if (n < 32) n = 32;
    size_t bytes = ((size_t)n * sizeof(double) + 63) & ~(size_t)63;
    double *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes), *c = aligned_alloc(64, bytes);
    double *times = calloc(o->repeat, sizeof *times);
    if (!a || !b || !c || !times) {
        pk_error(o->program, "cannot allocate 3 x %.2f GiB for the triad probe", (double)bytes / (1u << 30));
        free(a), free(b), free(c), free(times);
        return -1;
    }
#pragma omp parallel num_threads(threads)
    {
        pk_range mine = share(n, threads, omp_get_thread_num());
        for (uint64_t i = mine.lo; i < mine.hi; i++) a[i] = 0.0, b[i] = 1.0, c[i] = 2.0;
    }
    const double q = 3.0;
    for (uint64_t rep = 0; rep <= o->repeat; rep++) {
        double t0 = pk_wtime();
#pragma omp parallel num_threads(threads)
        {
            pk_range mine = share(n, threads, omp_get_thread_num());
            triad(a, b, c, q, mine.lo, mine.hi);
        }
        double t = pk_wtime() - t0;
        if (rep > 0) times[rep - 1] = t;
    }
    /* 1 + 3*2 = 7 everywhere: check a few places so a broken loop cannot pass unnoticed */
    int ok = a[0] == 7.0 && a[n / 2] == 7.0 && a[n - 1] == 7.0;
    if (ok) limits_report_rate(r, prefix, 3.0 * (double)n * sizeof(double), times, o->repeat);
    else pk_error(o->program, "triad probe: wrong values (a[0] = %g, expected 7)", a[0]);
    free(a), free(b), free(c), free(times);
    return ok ? 0 : -1;
}

int limits_mem_triad(const limits_opts *o, pk_report *r)
{
    uint64_t n = o->mem_bytes / 3 / sizeof(double);
    pk_report_num(r, "triad_bytes", "%llu", (unsigned long long)(3 * n * sizeof(double)));
    limits_progress(o, "triad bandwidth, 1 thread, 3 arrays of %.0f MiB", (double)n * 8 / (1 << 20));
    if (triad_at(o, 1, "triad_1t_bytes_per_s", r) != 0) return -1;
    limits_progress(o, "triad bandwidth, %d threads", o->threads);
    return triad_at(o, o->threads, "triad_all_bytes_per_s", r);
}
