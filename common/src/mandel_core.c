/* Mandelbrot escape-time lines (see mandel_core.h).
 *
 * The vector loop runs TILE = LANES * GROUPS points at once: GROUPS independent vectors hide the
 * latency of the multiply/add chain of one step. Each lane keeps an "active" mask (all ones until
 * |z|^2 > 4, then zero for good) and adds the mask to its step count, so a lane that escaped stops
 * counting while its neighbours go on; the whole tile stops when every lane has escaped (tested
 * every CHECK steps, which only costs a few wasted steps). Lanes past the end start inactive.
 * Every lane does exactly the scalar loop's operations in the same order, so the counts are the
 * same whatever LANES the instruction set gives. */
#include "parkit/mandel_core.h"

#include "parkit/simd.h"

#if defined(__AVX__)
#include <immintrin.h>
#endif

#define LANES PK_LANES64
#define GROUPS 5 /* 5 x 8 lanes on AVX-512, as many chains as parkit_limits' probe: 6% more iterations/s than 4 (quiet core, 2026-12-05), 6 no better */
#define TILE (LANES * GROUPS)
#define CHECK 8

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

/* Whether a tile goes on is asked every CHECK steps of every tile: one test instruction where
 * the ISA has one (vptestmq + kortest, vptest). GCC turns the portable loop into 8 lane extracts
 * and ORs, which cost about 4% of the kernel's time at CHECK = 8 (measured, 2048^2 grid). */
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

/* One tile: points k0 .. k0 + TILE - 1 of the line (those >= k_hi are padding). */
static void tile(const pk_mandel_grid *g, double cx_s, uint64_t k0, uint64_t k_hi, uint64_t k_lo,
                 pk_mandel_counts *c, uint32_t *per_point)
{
    const vd two = (vd){0} + 2.0, four = (vd){0} + 4.0, cx = (vd){0} + cx_s;
    vd cy[GROUPS], zr[GROUPS], zi[GROUPS], zr2[GROUPS], zi2[GROUPS];
    vl active[GROUPS], cnt[GROUPS];
    for (int q = 0; q < GROUPS; q++) {
        for (int l = 0; l < LANES; l++) {
            uint64_t k = k0 + (uint64_t)(q * LANES + l);
            cy[q][l] = k < k_hi ? pk_mandel_y(g, k) : 0.0;
            active[q][l] = k < k_hi ? -1 : 0;
        }
        zr[q] = zi[q] = zr2[q] = zi2[q] = (vd){0};
        cnt[q] = (vl){0};
    }
    for (uint32_t k = 0; k < g->iters;) {
        uint32_t m = g->iters - k < CHECK ? g->iters - k : CHECK;
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
        k += m;
        vl any = active[0];
        for (int q = 1; q < GROUPS; q++) any |= active[q];
        if (!any_lane(any)) break;
    }
    for (int q = 0; q < GROUPS; q++)
        for (int l = 0; l < LANES; l++) {
            uint64_t k = k0 + (uint64_t)(q * LANES + l);
            if (k >= k_hi) continue;
            c->iterations += (uint64_t)cnt[q][l];
            c->inside += active[q][l] != 0;
            if (per_point) per_point[k - k_lo] = active[q][l] ? 0 : (uint32_t)cnt[q][l];
        }
}

pk_mandel_counts pk_mandel_line(const pk_mandel_grid *g, uint64_t line, uint64_t k_lo, uint64_t k_hi,
                                uint32_t *per_point)
{
    pk_mandel_counts c = {0, 0};
    const double cx = pk_mandel_x(g, line);
    for (uint64_t k0 = k_lo; k0 < k_hi; k0 += TILE) tile(g, cx, k0, k_hi, k_lo, &c, per_point);
    return c;
}
