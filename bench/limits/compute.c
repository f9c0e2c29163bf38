/* Compute throughput of a core: the ceiling of a CPU-bound kernel.
 *
 * int add: vector 64-bit integer additions (vpaddq on the widest registers the build targets).
 * fma:     vector double-precision fused multiply-adds, 2 flops each (vfmadd on AVX-512/AVX2).
 * div:     vector double-precision divisions (vdivpd at the widest width): the ceiling of pi's
 *          midpoint rule, one division 4/(1+x^2) per point (the divider is not pipelined like
 *          the FMA units, so a division costs several FMAs' time).
 * mandel:  the Mandelbrot step of mandel_core.c (4 multiplies, 4 adds, a compare, a mask and a
 *          count per lane) on independent points that never escape: the ceiling of mandel's
 *          iterations per second (lane steps per second).
 * Twelve (add), sixteen (fma), eight (div), five (mandel) independent dependency chains hide the
 * instruction latency, so the loop is bound by throughput. Every accumulator passes through an empty asm statement each
 * iteration: the compiler can no longer fold `iters` additions into one multiplication, and the
 * instructions really execute (objdump -d parkit_limits shows them). The results are checked, so
 * a loop that did not run cannot report a rate. Run on 1 thread (per core) and on all threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__AVX__) || defined(__AVX512F__)
#include <immintrin.h>
#endif
#include <omp.h>

#include "limits.h"
#include "parkit/error.h"
#include "parkit/timer.h"

#if defined(__AVX512F__)
#define VBYTES 64
#elif defined(__AVX__)
#define VBYTES 32
#else
#define VBYTES 16
#endif
#define LANES (VBYTES / 8)
typedef int64_t vec_i64 __attribute__((vector_size(VBYTES)));
typedef double vec_f64 __attribute__((vector_size(VBYTES)));

#define ADD_CHAINS 12
#define FMA_CHAINS 16
#define DIV_CHAINS 8    /* vdivpd latency / throughput is about 2-3 here: 8 chains leave margin */
#define MANDEL_CHAINS 5 /* a step's dependency chain is ~9-12 cycles deep, its 11 operations issue in ~3:
                          * 5 chains in flight; 6 measured slower (6 x 6 vectors of state + the
                          * constants no longer fit in 32 registers: GCC spills) */
typedef int64_t vec_mask __attribute__((vector_size(VBYTES)));

/* x = x*m + c with one rounding where the hardware fuses it (the point of the probe). */
static inline vec_f64 fma_vec(vec_f64 x, vec_f64 m, vec_f64 c)
{
#if defined(__AVX512F__)
    return (vec_f64)_mm512_fmadd_pd((__m512d)x, (__m512d)m, (__m512d)c);
#elif defined(__FMA__)
    return (vec_f64)_mm256_fmadd_pd((__m256d)x, (__m256d)m, (__m256d)c);
#else
    return x * m + c; /* no FMA unit targeted: a multiply and an add, still 2 flops */
#endif
}

static const char *fma_instruction(void)
{
#if defined(__AVX512F__)
    return "vfmadd (zmm, AVX-512)";
#elif defined(__FMA__)
    return "vfmadd (ymm, FMA3)";
#else
    return "mul+add (no FMA targeted)";
#endif
}

/* Sum over all lanes of all accumulators: iters * ADD_CHAINS * LANES when every add ran. */
__attribute__((noinline)) static uint64_t int_add_loop(uint64_t iters)
{
    vec_i64 one, a[ADD_CHAINS];
    for (int l = 0; l < LANES; l++) one[l] = 1;
    for (int k = 0; k < ADD_CHAINS; k++)
        for (int l = 0; l < LANES; l++) a[k][l] = 0;
    vec_i64 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
    vec_i64 a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11];
    for (uint64_t it = 0; it < iters; it++) {
        a0 += one, a1 += one, a2 += one, a3 += one, a4 += one, a5 += one;
        a6 += one, a7 += one, a8 += one, a9 += one, a10 += one, a11 += one;
        LIMITS_OPAQUE_VEC(a0); LIMITS_OPAQUE_VEC(a1); LIMITS_OPAQUE_VEC(a2); LIMITS_OPAQUE_VEC(a3);
        LIMITS_OPAQUE_VEC(a4); LIMITS_OPAQUE_VEC(a5); LIMITS_OPAQUE_VEC(a6); LIMITS_OPAQUE_VEC(a7);
        LIMITS_OPAQUE_VEC(a8); LIMITS_OPAQUE_VEC(a9); LIMITS_OPAQUE_VEC(a10); LIMITS_OPAQUE_VEC(a11);
    }
    vec_i64 s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    uint64_t t = 0;
    for (int l = 0; l < LANES; l++) t += (uint64_t)s[l];
    return t;
}

#define FMA_M (1.0 - 1.0 / 1048576.0)
#define FMA_C (1.0 / 1024.0)

/* Sixteen chains x = x*M + C from 0; returns the smallest and largest lane value at the end. */
__attribute__((noinline)) static void fma_loop(uint64_t iters, double *lo, double *hi)
{
    vec_f64 m, c, z;
    for (int l = 0; l < LANES; l++) m[l] = FMA_M, c[l] = FMA_C, z[l] = 0.0;
    vec_f64 x0 = z, x1 = z, x2 = z, x3 = z, x4 = z, x5 = z, x6 = z, x7 = z;
    vec_f64 x8 = z, x9 = z, x10 = z, x11 = z, x12 = z, x13 = z, x14 = z, x15 = z;
    for (uint64_t it = 0; it < iters; it++) {
        x0 = fma_vec(x0, m, c), x1 = fma_vec(x1, m, c), x2 = fma_vec(x2, m, c), x3 = fma_vec(x3, m, c);
        x4 = fma_vec(x4, m, c), x5 = fma_vec(x5, m, c), x6 = fma_vec(x6, m, c), x7 = fma_vec(x7, m, c);
        x8 = fma_vec(x8, m, c), x9 = fma_vec(x9, m, c), x10 = fma_vec(x10, m, c), x11 = fma_vec(x11, m, c);
        x12 = fma_vec(x12, m, c), x13 = fma_vec(x13, m, c), x14 = fma_vec(x14, m, c), x15 = fma_vec(x15, m, c);
        LIMITS_OPAQUE_VEC(x0); LIMITS_OPAQUE_VEC(x1); LIMITS_OPAQUE_VEC(x2); LIMITS_OPAQUE_VEC(x3);
        LIMITS_OPAQUE_VEC(x4); LIMITS_OPAQUE_VEC(x5); LIMITS_OPAQUE_VEC(x6); LIMITS_OPAQUE_VEC(x7);
        LIMITS_OPAQUE_VEC(x8); LIMITS_OPAQUE_VEC(x9); LIMITS_OPAQUE_VEC(x10); LIMITS_OPAQUE_VEC(x11);
        LIMITS_OPAQUE_VEC(x12); LIMITS_OPAQUE_VEC(x13); LIMITS_OPAQUE_VEC(x14); LIMITS_OPAQUE_VEC(x15);
    }
    vec_f64 all[FMA_CHAINS] = {x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15};
    *lo = INFINITY, *hi = -INFINITY;
    for (int k = 0; k < FMA_CHAINS; k++)
        for (int l = 0; l < LANES; l++) {
            if (all[k][l] < *lo) *lo = all[k][l];
            if (all[k][l] > *hi) *hi = all[k][l];
        }
}

/* The value every chain must reach: C (1 - M^iters) / (1 - M), to within rounding. */
static int fma_ok(uint64_t iters, double lo, double hi)
{
    double want = FMA_C * (1.0 - pow(FMA_M, (double)iters)) / (1.0 - FMA_M);
    double tol = 1e-6 * want + 1e-12;
    return lo == hi && fabs(lo - want) <= tol;
}

/* Eight chains x = A / x from X0: every second step brings a lane back to X0, up to the rounding of
 * two divisions (a random walk of at most 1 ulp a step); the operands keep full mantissas so no
 * early-out of the divider makes the probe faster than a real kernel's divisions. */
#define DIV_A 3.0
#define DIV_X0 1.7
__attribute__((noinline)) static void div_loop(uint64_t iters, double *lo, double *hi)
{
    vec_f64 a, z;
    for (int l = 0; l < LANES; l++) a[l] = DIV_A, z[l] = DIV_X0;
    vec_f64 x0 = z, x1 = z, x2 = z, x3 = z, x4 = z, x5 = z, x6 = z, x7 = z;
    for (uint64_t it = 0; it < iters; it++) {
        x0 = a / x0, x1 = a / x1, x2 = a / x2, x3 = a / x3;
        x4 = a / x4, x5 = a / x5, x6 = a / x6, x7 = a / x7;
        LIMITS_OPAQUE_VEC(x0); LIMITS_OPAQUE_VEC(x1); LIMITS_OPAQUE_VEC(x2); LIMITS_OPAQUE_VEC(x3);
        LIMITS_OPAQUE_VEC(x4); LIMITS_OPAQUE_VEC(x5); LIMITS_OPAQUE_VEC(x6); LIMITS_OPAQUE_VEC(x7);
    }
    vec_f64 all[DIV_CHAINS] = {x0, x1, x2, x3, x4, x5, x6, x7};
    *lo = INFINITY, *hi = -INFINITY;
    for (int k = 0; k < DIV_CHAINS; k++)
        for (int l = 0; l < LANES; l++) {
            if (all[k][l] < *lo) *lo = all[k][l];
            if (all[k][l] > *hi) *hi = all[k][l];
        }
}

/* After an even number of steps every lane is X0, after an odd number A / X0, to within 1e-6. */
static int div_ok(uint64_t iters, double lo, double hi)
{
    double want = iters % 2 ? DIV_A / DIV_X0 : DIV_X0;
    return lo == hi && fabs(lo - want) <= 1e-6 * want;
}

/* The Mandelbrot step of mandel_core.c, same operations in the same order, on MANDEL_CHAINS
 * vectors of points c = MANDEL_CR + i MANDEL_CI. That c lies in the main cardioid: z converges to
 * the attracting fixed point z* = (1 - sqrt(1 - 4c)) / 2 = -0.38255... + 0.16996... i (|2 z*| =
 * 0.84 < 1) and never escapes, so every lane steps and counts on every iteration. */
#define MANDEL_CR (-0.5)
#define MANDEL_CI 0.3
/* One step of one chain, as in mandel_core.c's window loop. Named variables, not arrays: an array of
 * vectors indexed in a loop ends up on the stack, and the probe would time loads and stores. */
#define MANDEL_STEP(zr, zi, zr2, zi2, act, cnt)                                                                        \
    do {                                                                                                               \
        zi = two * zr * zi + cy;                                                                                       \
        zr = zr2 - zi2 + cx;                                                                                           \
        zr2 = zr * zr;                                                                                                 \
        zi2 = zi * zi;                                                                                                 \
        cnt -= act;                                                                                                    \
        act &= (vec_mask)(zr2 + zi2 <= four);                                                                          \
        LIMITS_OPAQUE_VEC(zr2);                                                                                        \
    } while (0)
#define MANDEL_CHAIN_VARS(k)                                                                                           \
    vec_f64 zr##k = z, zi##k = z, zr2##k = z, zi2##k = z;                                                              \
    vec_mask act##k = on, cnt##k = off
#define MANDEL_CHAIN_STEP(k) MANDEL_STEP(zr##k, zi##k, zr2##k, zi2##k, act##k, cnt##k)
#define MANDEL_CHAIN_SAVE(k) zr[k] = zr##k, zi[k] = zi##k, act[k] = act##k, cnt[k] = cnt##k
#define MANDEL_CHAINS_DO(m) m(0); m(1); m(2); m(3); MANDEL_CHAINS_MORE(m)
#if MANDEL_CHAINS == 4
#define MANDEL_CHAINS_MORE(m)
#elif MANDEL_CHAINS == 5
#define MANDEL_CHAINS_MORE(m) m(4)
#elif MANDEL_CHAINS == 6
#define MANDEL_CHAINS_MORE(m) m(4); m(5)
#endif
__attribute__((noinline)) static void mandel_loop(uint64_t iters, double *zr_out, double *zi_out, int64_t *cnt_min,
                                                  int64_t *cnt_max)
{
    vec_f64 two, four, cx, cy, z;
    vec_mask on, off;
    for (int l = 0; l < LANES; l++)
        two[l] = 2.0, four[l] = 4.0, cx[l] = MANDEL_CR, cy[l] = MANDEL_CI, z[l] = 0.0, on[l] = -1, off[l] = 0;
    MANDEL_CHAINS_DO(MANDEL_CHAIN_VARS);
    for (uint64_t it = 0; it < iters; it++) {
        MANDEL_CHAINS_DO(MANDEL_CHAIN_STEP);
    }
    vec_f64 zr[MANDEL_CHAINS], zi[MANDEL_CHAINS];
    vec_mask act[MANDEL_CHAINS], cnt[MANDEL_CHAINS];
    MANDEL_CHAINS_DO(MANDEL_CHAIN_SAVE);
    *zr_out = zr[0][0], *zi_out = zi[0][0];
    *cnt_min = INT64_MAX, *cnt_max = INT64_MIN;
    for (int q = 0; q < MANDEL_CHAINS; q++)
        for (int l = 0; l < LANES; l++) {
            int64_t c = act[q][l] ? cnt[q][l] : -1; /* an escaped lane fails the check */
            if (c < *cnt_min) *cnt_min = c;
            if (c > *cnt_max) *cnt_max = c;
            if (zr[q][l] != *zr_out || zi[q][l] != *zi_out) *cnt_min = -2;
        }
}

/* Every lane counted every step, never escaped, and sits on the fixed point (after > 200 steps). */
static int mandel_ok(uint64_t iters, double zr, double zi, int64_t cnt_min, int64_t cnt_max)
{
    const double fr = -0.38255, fi = 0.16996; /* z*, 5 digits */
    if (cnt_min != (int64_t)iters || cnt_max != (int64_t)iters) return 0;
    return iters < 200 || (fabs(zr - fr) < 1e-4 && fabs(zi - fi) < 1e-4);
}

enum probe { PROBE_ADD, PROBE_FMA, PROBE_DIV, PROBE_MANDEL };

/* Wall time of `iters` iterations on each of `threads` threads; *ok = 0 if a result is wrong. */
static double run(enum probe p, int threads, uint64_t iters, int *ok)
{
    int good = 1;
    double t0 = 0, t1 = 0;
#pragma omp parallel num_threads(threads) reduction(&& : good)
    {
#pragma omp barrier
#pragma omp master
        t0 = pk_wtime();
        if (p == PROBE_ADD) {
            good = int_add_loop(iters) == iters * ADD_CHAINS * LANES;
        } else if (p == PROBE_FMA) {
            double lo, hi;
            fma_loop(iters, &lo, &hi);
            good = fma_ok(iters, lo, hi);
        } else if (p == PROBE_DIV) {
            double lo, hi;
            div_loop(iters, &lo, &hi);
            good = div_ok(iters, lo, hi);
        } else {
            double zr, zi;
            int64_t cmin, cmax;
            mandel_loop(iters, &zr, &zi, &cmin, &cmax);
            good = mandel_ok(iters, zr, zi, cmin, cmax);
        }
#pragma omp barrier
#pragma omp master
        t1 = pk_wtime();
    }
    *ok = good;
    return t1 - t0;
}

/* Operations counted per loop iteration and per thread. */
static double ops_per_iter(enum probe p)
{
    switch (p) {
    case PROBE_ADD: return (double)ADD_CHAINS * LANES;
    case PROBE_FMA: return 2.0 * FMA_CHAINS * LANES;
    case PROBE_DIV: return (double)DIV_CHAINS * LANES;     /* divisions */
    case PROBE_MANDEL: return (double)MANDEL_CHAINS * LANES; /* lane steps */
    }
    return 0;
}

static const char *const probe_name[] = {"integer-add", "FMA", "division", "Mandelbrot-step"};

static int measure(const limits_opts *o, enum probe p, int threads, const char *prefix, pk_report *r)
{
    int ok = 1;
    /* calibrate: grow the iteration count until one run lasts a tenth of the target */
    uint64_t iters = 1 << 12;
    double t = run(p, threads, iters, &ok);
    while (ok && t < o->compute_seconds / 10 && iters < ((uint64_t)1 << 40)) {
        iters *= 4;
        t = run(p, threads, iters, &ok);
    }
    if (ok && t > 0) {
        double scaled = (double)iters * o->compute_seconds / t;
        iters = scaled < 1024 ? 1024 : (uint64_t)scaled;
    }
    double *times = calloc(o->repeat, sizeof *times);
    for (uint64_t rep = 0; ok && times && rep < o->repeat; rep++) times[rep] = run(p, threads, iters, &ok);
    if (!times) {
        pk_error(o->program, "out of memory for timings");
        return -1;
    }
    if (!ok) {
        pk_error(o->program, "%s probe: wrong result (the loop did not compute what it should)",
                 probe_name[p]);
        free(times);
        return -1;
    }
    limits_report_rate(r, prefix, ops_per_iter(p) * (double)iters * threads, times, o->repeat);
    free(times);
    return 0;
}

int limits_compute(const limits_opts *o, pk_report *r)
{
    pk_report_num(r, "vector_bits", "%d", VBYTES * 8);
    pk_report_str(r, "fma_instruction", "%s", fma_instruction());
    limits_progress(o, "vector int64 add throughput, 1 thread");
    if (measure(o, PROBE_ADD, 1, "int_add_1t_ops_per_s", r) != 0) return -1;
    limits_progress(o, "vector int64 add throughput, %d threads", o->threads);
    if (measure(o, PROBE_ADD, o->threads, "int_add_all_ops_per_s", r) != 0) return -1;
    limits_progress(o, "FMA throughput (%s), 1 thread", fma_instruction());
    if (measure(o, PROBE_FMA, 1, "fma_1t_flops_per_s", r) != 0) return -1;
    limits_progress(o, "FMA throughput, %d threads", o->threads);
    return measure(o, PROBE_FMA, o->threads, "fma_all_flops_per_s", r);
}

int limits_div(const limits_opts *o, pk_report *r)
{
    pk_report_str(r, "div_instruction", "vdivpd (%d-bit)", VBYTES * 8);
    limits_progress(o, "division throughput (vdivpd, %d-bit), 1 thread", VBYTES * 8);
    if (measure(o, PROBE_DIV, 1, "div_1t_ops_per_s", r) != 0) return -1;
    limits_progress(o, "division throughput, %d threads", o->threads);
    return measure(o, PROBE_DIV, o->threads, "div_all_ops_per_s", r);
}

int limits_mandel_step(const limits_opts *o, pk_report *r)
{
    pk_report_str(r, "mandel_step_vector", "%d-bit, %d chains of %d lanes", VBYTES * 8, MANDEL_CHAINS, LANES);
    limits_progress(o, "Mandelbrot step throughput (%d-bit), 1 thread", VBYTES * 8);
    if (measure(o, PROBE_MANDEL, 1, "mandel_step_1t_ops_per_s", r) != 0) return -1;
    limits_progress(o, "Mandelbrot step throughput, %d threads", o->threads);
    return measure(o, PROBE_MANDEL, o->threads, "mandel_step_all_ops_per_s", r);
}
