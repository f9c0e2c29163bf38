/* Mandelbrot escape-time lines (see mandel_core.h).
 *
 * The vector loop streams the points of a line piece through LANES * GROUPS lanes. Each lane
 * keeps an "active" mask (all ones until |z|^2 > 4, then zero) and adds the mask to its step
 * count, so a lane that escaped stops counting while its neighbours go on. Every CHECK steps
 * (a window) the lanes that escaped, or reached the limit, are retired (their counts summed) and
 * refilled with the next points of the piece, so a lane does not sit idle until the slowest
 * point beside it is done: on the default grid that lifted the lanes' useful share from 0.84 to
 * 0.92 (a simulation on the real counts) and iterations/s by 13-17% (measured). A window never
 * takes a lane past the limit: `left`, a lower bound on the steps every live lane may still do,
 * caps the window, and is made exact from the lanes' counts when it runs low. The run ends when
 * no lane is live (the piece is used up and every lane retired).
 * Every lane does exactly the scalar loop's operations in the same order, so the counts are the
 * same whatever LANES the instruction set gives. */
#include "parkit/mandel_core.h"

#include "parkit/simd.h"

#if defined(__AVX__)
#include <immintrin.h>
#endif

#define LANES PK_LANES64
/* GROUPS independent vectors hide the latency of a step's multiply/add chain, as many as fit in the
 * register file with the lanes' state: 5 x 8 lanes with AVX-512's 32 registers (as many chains as
 * parkit_limits' probe; 6 no better), 3 with AVX's or SSE's 16 (17% more iterations/s than 5,
 * which spills, and 4: 2026-12-06, -march=x86-64-v3 and x86-64 on this machine). */
#if defined(__AVX512F__)
#define GROUPS 5
#else
#define GROUPS 3
#endif
#define CHECK 16 /* steps per window: 0.848 of the step limit, 8 gave 0.829, 24 0.836 (2026-12-06, bench/compare --only ceiling) */

typedef double vd __attribute__((vector_size(LANES * sizeof(double))));
typedef int64_t vl __attribute__((vector_size(LANES * sizeof(int64_t))));

pk_mandel_grid pk_mandel_grid_make(uint64_t side, uint32_t iters)
{
    pk_mandel_grid g = {side, iters, side ? PK_MANDEL_SPAN / (double)side : 0.0};
    return g;
}

double pk_mandel_x(const pk_mandel_grid *g, uint64_t line) { return PK_MANDEL_X0 + ((double)line + 0.5) * g->step; }
double pk_mandel_y(const pk_mandel_grid *g, uint64_t k) { return PK_MANDEL_Y0 + ((double)k + 0.5) * g->step; }

uint32_t pk_mandel_point(double cx, double cy, uint32_t iters)
{
    double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
    for (uint32_t k = 0; k < iters; k++) {
        zi = 2.0 * zr * zi + cy;
        zr = zr2 - zi2 + cx;
        zr2 = zr * zr;
        zi2 = zi * zi;
        if (!(zr2 + zi2 <= 4.0)) return k + 1;
    }
    return 0;
}

pk_mandel_counts pk_mandel_line_scalar(const pk_mandel_grid *g, uint64_t line)
{
    pk_mandel_counts c = {0, 0};
    const double cx = pk_mandel_x(g, line);
    for (uint64_t k = 0; k < g->side; k++) {
        uint32_t s = pk_mandel_point(cx, pk_mandel_y(g, k), g->iters);
        c.iterations += s ? s : g->iters;
        c.inside += s == 0;
    }
    return c;
}

/* Whether any lane is set is asked after every window: one test instruction where the ISA has
 * one (vptestmq + kortest, vptest). GCC turns the portable loop into 8 lane extracts and ORs,
 * which cost about 4% of the kernel's time at CHECK = 8 (measured, 2048^2 grid). */
static inline int any_lane(vl m)
{
#if defined(__AVX512F__) && LANES == 8
    return _mm512_test_epi64_mask((__m512i)m, (__m512i)m) != 0;
#elif defined(__AVX__) && LANES == 4
    return !_mm256_testz_si256((__m256i)m, (__m256i)m);
#else
    int64_t acc = 0;
    for (int l = 0; l < LANES; l++) acc |= m[l];
    return acc != 0;
#endif
}

/* How many lanes of m are set. */
static inline unsigned lane_bits(vl m)
{
#if defined(__AVX512F__) && LANES == 8
    return _mm512_test_epi64_mask((__m512i)m, (__m512i)m);
#elif defined(__AVX__) && LANES == 4
    return (unsigned)_mm256_movemask_pd((__m256d)m);
#else
    unsigned bits = 0;
    for (int l = 0; l < LANES; l++) bits |= (unsigned)(m[l] != 0) << l;
    return bits;
#endif
}

static inline int count_lanes(vl m) { return __builtin_popcount(lane_bits(m)); }

/* The lanes set in r take the next point numbers, *next, *next + 1, ..., in lane order; the other
 * lanes keep theirs. AVX-512 has the instruction (vpexpandq); elsewhere each lane counts the set
 * lanes below it, without a branch per lane. */
static inline vl take_next(vl idx, vl r, uint64_t *next)
{
    const unsigned bits = lane_bits(r);
#if defined(__AVX512F__) && LANES == 8
    const __m512i seq = _mm512_add_epi64(_mm512_set1_epi64((long long)*next), _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
    idx = (vl)_mm512_mask_expand_epi64((__m512i)idx, (__mmask8)bits, seq);
#else
    vl seq;
    for (int l = 0; l < LANES; l++) seq[l] = (int64_t)(*next + (uint64_t)__builtin_popcount(bits & ((1u << l) - 1)));
    idx = (seq & r) | (idx & ~r);
#endif
    *next += (uint64_t)__builtin_popcount(bits);
    return idx;
}

/* The largest lane of m (all lanes >= 0). */
static inline int64_t max_lane(vl m)
{
#if defined(__AVX512F__) && LANES == 8
    return _mm512_reduce_max_epi64((__m512i)m);
#else
    int64_t most = 0;
    for (int l = 0; l < LANES; l++) most = m[l] > most ? m[l] : most;
    return most;
#endif
}

static inline vd select_d(vl r, vd a, vd b) { return (vd)(((vl)a & r) | ((vl)b & ~r)); }

/* Written once, compiled twice (with and without per_point): the lane-by-lane stores of the
 * per-point steps would otherwise keep the compiler from holding the lanes in registers. */
static inline __attribute__((always_inline)) pk_mandel_counts
line_lanes(const pk_mandel_grid *g, uint64_t line, uint64_t k_lo, uint64_t k_hi, uint32_t *per_point, const int keep_points)
{
    pk_mandel_counts c = {0, 0};
    if (k_lo >= k_hi) return c;
    const vd two = (vd){0} + 2.0, four = (vd){0} + 4.0, cx = (vd){0} + pk_mandel_x(g, line);
    const vd y0 = (vd){0} + PK_MANDEL_Y0, half = (vd){0} + 0.5, step = (vd){0} + g->step;
    const vl end = (vl){0} + (int64_t)k_hi, limit = (vl){0} + (int64_t)g->iters, none = (vl){0};
    vd cy[GROUPS], zr[GROUPS], zi[GROUPS], zr2[GROUPS], zi2[GROUPS];
    vl idx[GROUPS], cnt[GROUPS], active[GROUPS], live[GROUPS];
    vl iterations = none;
    uint64_t next = k_lo;
    for (int q = 0; q < GROUPS; q++) {
        idx[q] = take_next(none, ~none, &next);
        live[q] = active[q] = (vl)(idx[q] < end);
        /* the same operations in the same order as pk_mandel_y: the same bits */
        cy[q] = y0 + (__builtin_convertvector(idx[q], vd) + half) * step;
        zr[q] = zi[q] = zr2[q] = zi2[q] = (vd){0};
        cnt[q] = none;
    }
    /* Every live lane has at least `left` steps to go before the limit, so a window of
     * min(CHECK, left) steps never takes a lane past it; a refilled lane has the whole limit. */
    uint32_t left = g->iters;
    for (;;) {
        const uint32_t m = left < CHECK ? left : CHECK;
        for (uint32_t s = 0; s < m; s++) {
            for (int q = 0; q < GROUPS; q++) {
                zi[q] = two * zr[q] * zi[q] + cy[q];
                zr[q] = zr2[q] - zi2[q] + cx;
                zr2[q] = zr[q] * zr[q];
                zi2[q] = zi[q] * zi[q];
                cnt[q] -= active[q];
                active[q] &= (vl)(zr2[q] + zi2[q] <= four);
            }
        }
        left -= m;
        /* retire the lanes that escaped, and at left == 0 those that reached the limit */
        vl r[GROUPS], any = none;
        for (int q = 0; q < GROUPS; q++) {
            r[q] = live[q] & ~active[q];
            if (left == 0) r[q] |= live[q] & (vl)(cnt[q] == limit);
            any |= r[q];
        }
        if (any_lane(any)) {
            for (int q = 0; q < GROUPS; q++) {
                if (!any_lane(r[q])) continue;
                iterations += cnt[q] & r[q];
                c.inside += (uint64_t)count_lanes(r[q] & active[q]);
                if (keep_points)
                    for (int l = 0; l < LANES; l++)
                        if (r[q][l]) per_point[(uint64_t)idx[q][l] - k_lo] = active[q][l] ? 0 : (uint32_t)cnt[q][l];
                idx[q] = take_next(idx[q], r[q], &next);
                const vl fresh = r[q] & (vl)(idx[q] < end);
                live[q] = (live[q] & ~r[q]) | fresh;
                active[q] = (active[q] & ~r[q]) | fresh;
                cy[q] = select_d(r[q], y0 + (__builtin_convertvector(idx[q], vd) + half) * step, cy[q]);
                zr[q] = select_d(r[q], (vd){0}, zr[q]);
                zi[q] = select_d(r[q], (vd){0}, zi[q]);
                zr2[q] = select_d(r[q], (vd){0}, zr2[q]);
                zi2[q] = select_d(r[q], (vd){0}, zi2[q]);
                cnt[q] &= ~r[q];
            }
            vl any_live = none;
            for (int q = 0; q < GROUPS; q++) any_live |= live[q];
            if (!any_lane(any_live)) break;
        }
        if (left < CHECK) { /* the bound ran low: make it exact, from the lane that started first */
            vl most = none;
            for (int q = 0; q < GROUPS; q++) {
                const vl c_q = cnt[q] & live[q], more = (vl)(c_q > most);
                most = (c_q & more) | (most & ~more);
            }
            left = g->iters - (uint32_t)max_lane(most);
        }
    }
    for (int l = 0; l < LANES; l++) c.iterations += (uint64_t)iterations[l];
    return c;
}

pk_mandel_counts pk_mandel_line(const pk_mandel_grid *g, uint64_t line, uint64_t k_lo, uint64_t k_hi,
                                uint32_t *per_point)
{
    return per_point ? line_lanes(g, line, k_lo, k_hi, per_point, 1) : line_lanes(g, line, k_lo, k_hi, NULL, 0);
}
