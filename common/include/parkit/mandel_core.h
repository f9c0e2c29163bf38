/* The Mandelbrot escape-time iteration on a square grid, one grid line at a time, vectorized
 * across the points of the line; and the plain scalar loop it must agree with bit for bit.
 * Region: the square [-2, 0.5] x [-1.25, 1.25] (area 6.25), which contains the whole set.
 * Grid: side x side points at pixel centres. A grid line is a vertical line of the picture:
 * line j has x = -2 + (j + 1/2) * 2.5/side, and its point k has y = -1.25 + (k + 1/2) * 2.5/side.
 * Iteration: z_0 = 0, z_{k+1} = z_k^2 + c; a point escapes at step k when |z_k|^2 > 4; it is
 * inside when it has not escaped after iters steps. Floating-point contraction is off (CMake), so
 * no fused multiply-add changes a bit between the vector and the scalar loop. */
#ifndef PARKIT_MANDEL_CORE_H
#define PARKIT_MANDEL_CORE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PK_MANDEL_X0 (-2.0)
#define PK_MANDEL_Y0 (-1.25)
#define PK_MANDEL_SPAN 2.5
#define PK_MANDEL_REGION_AREA (PK_MANDEL_SPAN * PK_MANDEL_SPAN)
/* Area of the Mandelbrot set by pixel counting (Foerstemann 2012): 1.50659177 +- 0.00000008 */
#define PK_MANDEL_AREA_PUBLISHED 1.50659177

typedef struct pk_mandel_grid {
    uint64_t side;  /* lines, and points per line */
    uint32_t iters; /* iteration limit, >= 1 */
    double step;    /* 2.5 / side */
} pk_mandel_grid;

typedef struct pk_mandel_counts {
    uint64_t inside;     /* points that did not escape */
    uint64_t iterations; /* steps done, summed over the points */
} pk_mandel_counts;

pk_mandel_grid pk_mandel_grid_make(uint64_t side, uint32_t iters);
double pk_mandel_x(const pk_mandel_grid *g, uint64_t line);
double pk_mandel_y(const pk_mandel_grid *g, uint64_t k);

/* The step (1..iters) at which c escapes, or 0 when it is inside (then iters steps were done):
 * the plain scalar reference. */
uint32_t pk_mandel_point(double cx, double cy, uint32_t iters);

/* Totals over the points [k_lo, k_hi) of a line, vector lanes. per_point (may be NULL) receives
 * point k's escape step at per_point[k - k_lo], 0 for inside, as pk_mandel_point. */
pk_mandel_counts pk_mandel_line(const pk_mandel_grid *g, uint64_t line, uint64_t k_lo, uint64_t k_hi,
                                uint32_t *per_point);
/* Totals over a whole line by the scalar reference, point by point. */
pk_mandel_counts pk_mandel_line_scalar(const pk_mandel_grid *g, uint64_t line);

#ifdef __cplusplus
}
#endif
#endif
