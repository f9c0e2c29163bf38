/* mandel: the area of the Mandelbrot set by counting the points of a grid that do not escape,
 * the classic load-imbalanced CPU-bound example (a point costs 1 to --iters steps).
 *
 * Grid: --n points, rounded down to a square side x side (n = 10^6: 1000 x 1000), at the pixel
 * centres of the square [-2, 0.5] x [-1.25, 1.25] (area 6.25, it holds the whole set; no symmetry
 * is used, every point is computed).
 * Index space: the points, line by line, where a line is a vertical line of the picture (fixed x):
 * point i is on line i / side at height i % side. Blocks: 1024 consecutive points (line chunks).
 * Lines through the set cost up to side * iters steps, lines near the left and right edges a few
 * steps per point. Lines are vertical on purpose: the halves of [0, n) are then the left and the
 * right half of the picture, which hold very different amounts of the set (the right half holds
 * the main cardioid), so even on 2 threads the schedule (OMP_SCHEDULE) decides the speedup.
 * Iteration (mandel_core.h): vector lanes of doubles with a per-lane "still inside" mask; inside =
 * not escaped (|z|^2 > 4) after --iters steps (default 1000).
 * Result: exact integer counts (inside points, steps summed over points), plus the counts of 16
 * sample lines, so combining is exact and the result is the same for any worker count.
 * Area estimate: inside / side^2 * 6.25, reported beside the published 1.50659177.
 * Verification (both must hold):
 *  - exactness: the counts are recomputed by a plain scalar loop, point by point: the whole grid
 *    when that is at most 2^25 steps, else the sample lines (as many as fit in 2^28 steps);
 *  - the area: |area - 1.50659177| <= 10/iters + 5/side. Measured with this code: the iteration
 *    limit biases the area up by b with b * iters between 3.7 and 7.9 (4.4, 3.96, 1.74, 0.52,
 *    0.040, 0.0037, 0.0003 at iters = 1, 2, 4, 10, 100, 1000, 10^4: the most at 2..4, ~4/iters
 *    from 100 on), and the grid scatters it by at most ~1.7/side (side = 1 .. 2048, e.g. +0.013 at
 *    128, -0.0015 at 256, +0.0005 at 512 with iters = 10^4); the bound covers both with a margin.
 * --image FILE.png (rank 0, after the run): the picture with escape-time colours, recomputed
 * serially at min(side, 1024) pixels a side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/kernel.h"
#include "parkit/mandel_core.h"
#include "parkit/output_path.h"
#include "parkit/png.h"
#include "parkit/sieve.h" /* pk_isqrt */
#include "parkit/size.h"
#include "parkit/u128.h"

#define MANDEL_MAX_SIDE ((uint64_t)1 << 20) /* 2^40 points: steps stay below 2^60 */
#define MANDEL_BLOCK 1024
#define MANDEL_MAX_ITERS 1000000u
#define MANDEL_SAMPLES 16
#define MANDEL_FULL_CHECK ((uint64_t)1 << 25)   /* steps the scalar loop recomputes in full */
#define MANDEL_SAMPLE_CHECK ((uint64_t)1 << 28) /* steps it spends on sample lines otherwise */
#define MANDEL_IMAGE_MAX 1024

typedef struct mandel_params {
    uint32_t iters;
    const char *image; /* points into argv; NULL: no picture */
} mandel_params;

typedef struct mandel_result {
    uint64_t inside, iterations;
    uint64_t sample_inside[MANDEL_SAMPLES], sample_iterations[MANDEL_SAMPLES];
} mandel_result;

_Static_assert(sizeof(mandel_params) <= PK_PARAMS_MAX, "params fit");
_Static_assert(sizeof(mandel_result) <= PK_RESULT_MAX, "result fits");

static uint64_t side_of(uint64_t n) { return pk_isqrt(n); }

/* Sample line s: spread over the grid, fixed by the side alone. */
static uint64_t sample_line(uint64_t side, int s) { return (2 * (uint64_t)s + 1) * side / (2 * MANDEL_SAMPLES); }

static double area_of(uint64_t inside, uint64_t side)
{
    return (double)inside / ((double)side * (double)side) * PK_MANDEL_REGION_AREA;
}

static double area_tolerance(uint64_t side, uint32_t iters) { return 10.0 / iters + 5.0 / (double)side; }

static void mandel_defaults(void *params)
{
    mandel_params *p = params;
    p->iters = 1000;
    p->image = NULL;
}

static int mandel_set_iters(void *params, const char *value, char *err, size_t errlen)
{
    uint64_t v;
    if (pk_parse_size(value, &v, err, errlen) != 0) return -1;
    if (v < 1 || v > MANDEL_MAX_ITERS) {
        snprintf(err, errlen, "expected 1..%u iterations", MANDEL_MAX_ITERS);
        return -1;
    }
    ((mandel_params *)params)->iters = (uint32_t)v;
    return 0;
}

static int mandel_set_image(void *params, const char *value, char *err, size_t errlen)
{
    if (!value[0]) {
        snprintf(err, errlen, "expected a file name");
        return -1;
    }
    ((mandel_params *)params)->image = value;
    return 0;
}

static int mandel_finish(void *params, uint64_t *n, int n_given, char *err, size_t errlen)
{
    const mandel_params *p = params;
    (void)n_given;
    /* the picture is written after the run: a path that cannot be written is found now */
    if (p->image && pk_output_path_check(p->image, err, errlen) != 0) return -1;
    if (*n > MANDEL_MAX_SIDE * MANDEL_MAX_SIDE) { /* max_n catches --n; this guards direct callers */
        snprintf(err, errlen, "--n %llu: at most 2^40 points", (unsigned long long)*n);
        return -1;
    }
    const uint64_t side = side_of(*n);
    *n = side * side; /* a square grid */
    return 0;
}

static void mandel_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    const mandel_params *p = job->params;
    mandel_result *r = out;
    memset(r, 0, sizeof *r);
    const uint64_t side = side_of(job->n);
    const pk_mandel_grid g = pk_mandel_grid_make(side, p->iters);
    if (hi > side * side) hi = side * side; /* n is a square after finish; a caller that skipped it */
    for (uint64_t i = lo; i < hi;) { /* the pieces of lines in [lo, hi) */
        const uint64_t line = i / side, k_lo = i % side;
        const uint64_t k_hi = hi - line * side < side ? hi - line * side : side;
        pk_mandel_counts c = pk_mandel_line(&g, line, k_lo, k_hi, NULL);
        r->inside += c.inside;
        r->iterations += c.iterations;
        for (int s = 0; s < MANDEL_SAMPLES; s++)
            if (sample_line(side, s) == line) {
                r->sample_inside[s] += c.inside;
                r->sample_iterations[s] += c.iterations;
            }
        i = line * side + k_hi;
    }
}

static void mandel_combine(void *acc, const void *part)
{
    mandel_result *a = acc;
    const mandel_result *b = part;
    a->inside += b->inside;
    a->iterations += b->iterations;
    for (int s = 0; s < MANDEL_SAMPLES; s++) {
        a->sample_inside[s] += b->sample_inside[s];
        a->sample_iterations[s] += b->sample_iterations[s];
    }
}

/* Exactness: the scalar loop's counts over the whole grid, or over sample rows. Returns 1 when
 * they agree (why says what was checked), 0 with the first difference. */
static int check_exact(const pk_job *job, const mandel_result *r, char *why, size_t whylen)
{
    const mandel_params *p = job->params;
    const uint64_t side = side_of(job->n);
    const pk_mandel_grid g = pk_mandel_grid_make(side, p->iters);
    if (r->iterations <= MANDEL_FULL_CHECK) {
        pk_mandel_counts all = {0, 0};
        for (uint64_t line = 0; line < side; line++) {
            pk_mandel_counts c = pk_mandel_line_scalar(&g, line);
            all.inside += c.inside;
            all.iterations += c.iterations;
        }
        if (all.inside != r->inside || all.iterations != r->iterations) {
            snprintf(why, whylen, "got %llu inside / %llu steps, the scalar loop %llu / %llu",
                     (unsigned long long)r->inside, (unsigned long long)r->iterations,
                     (unsigned long long)all.inside, (unsigned long long)all.iterations);
            return 0;
        }
        snprintf(why, whylen, "all %llu points recomputed by the scalar loop", (unsigned long long)job->n);
        return 1;
    }
    uint64_t spent = 0;
    int checked = 0;
    for (int s = 0; s < MANDEL_SAMPLES; s++) {
        if (spent + r->sample_iterations[s] > MANDEL_SAMPLE_CHECK) continue;
        uint64_t line = sample_line(side, s);
        pk_mandel_counts c = pk_mandel_line_scalar(&g, line);
        if (c.inside != r->sample_inside[s] || c.iterations != r->sample_iterations[s]) {
            snprintf(why, whylen, "line %llu: got %llu inside / %llu steps, the scalar loop %llu / %llu",
                     (unsigned long long)line, (unsigned long long)r->sample_inside[s],
                     (unsigned long long)r->sample_iterations[s], (unsigned long long)c.inside,
                     (unsigned long long)c.iterations);
            return 0;
        }
        spent += c.iterations;
        checked++;
    }
    if (checked) snprintf(why, whylen, "%d sample lines recomputed by the scalar loop", checked);
    else snprintf(why, whylen, "no line recomputed (each sample line needs over 2^28 steps)");
    return 1;
}

static int mandel_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    const mandel_params *p = job->params;
    const mandel_result *r = result;
    if (job->n == 0) {
        snprintf(why, whylen, "empty grid: nothing to compare");
        return r->inside == 0 && r->iterations == 0;
    }
    char exact[200];
    if (!check_exact(job, r, exact, sizeof exact)) {
        snprintf(why, whylen, "%s", exact);
        return 0;
    }
    const uint64_t side = side_of(job->n);
    const double area = area_of(r->inside, side), tol = area_tolerance(side, p->iters);
    const double err = area - PK_MANDEL_AREA_PUBLISHED;
    if (!(fabs(err) <= tol)) {
        snprintf(why, whylen, "area %.8f is %+.2e from the published %.8f, beyond 10/iters + 5/side = %.2e (%s)",
                 area, err, PK_MANDEL_AREA_PUBLISHED, tol, exact);
        return 0;
    }
    snprintf(why, whylen, "%s; area %.8f within 10/iters + 5/side = %.2e of the published %.8f", exact, area, tol,
             PK_MANDEL_AREA_PUBLISHED);
    return 1;
}

/* FNV-1a over the sample counts: the canonical text then covers the whole result. */
static uint64_t sample_hash(const mandel_result *r)
{
    uint64_t h = 1469598103934665603ull;
    const uint64_t *v[2] = {r->sample_inside, r->sample_iterations};
    for (int a = 0; a < 2; a++)
        for (int s = 0; s < MANDEL_SAMPLES; s++)
            for (int b = 0; b < 8; b++) {
                h ^= (v[a][s] >> (8 * b)) & 0xFF;
                h *= 1099511628211ull;
            }
    return h;
}

static void mandel_report(const pk_job *job, const void *result, pk_report *rep)
{
    const mandel_params *p = job->params;
    const mandel_result *r = result;
    pk_report_str(rep, "result", "inside=%llu iterations=%llu samples=%016llx", (unsigned long long)r->inside,
                  (unsigned long long)r->iterations, (unsigned long long)sample_hash(r));
    pk_report_num(rep, "inside_points", "%llu", (unsigned long long)r->inside);
    pk_report_num(rep, "iterations", "%llu", (unsigned long long)r->iterations);
    if (job->n) {
        const uint64_t side = side_of(job->n);
        const double area = area_of(r->inside, side);
        pk_report_num(rep, "area", "%.8f", area);
        pk_report_num(rep, "area_published", "%.8f", PK_MANDEL_AREA_PUBLISHED);
        pk_report_num(rep, "area_error", "%.3e", area - PK_MANDEL_AREA_PUBLISHED);
        pk_report_num(rep, "area_tolerance", "%.3e", area_tolerance(side, p->iters));
    }
}

static void mandel_describe(const pk_job *job, pk_report *r)
{
    const mandel_params *p = job->params;
    const uint64_t side = side_of(job->n);
    pk_report_str(r, "grid", "%llu x %llu points over [-2, 0.5] x [-1.25, 1.25], by vertical lines",
                  (unsigned long long)side, (unsigned long long)side);
    pk_report_num(r, "iters", "%u", p->iters);
    if (p->image) pk_report_str(r, "image", "%s", p->image);
}

static pk_work mandel_work(const pk_job *job, const void *result)
{
    pk_work w = {0};
    w.elements = (double)job->n; /* points */
    w.ops = (double)((const mandel_result *)result)->iterations;
    w.ops_name = "iterations";
    return w;
}

/* Escape-time colours: black inside; outside a gradient over log(step) / log(iters). */
static void colour(uint32_t step, uint32_t iters, uint8_t *rgb)
{
    static const struct {
        double t;
        uint8_t c[3];
    } stops[] = {{0.0, {0, 7, 100}},     {0.16, {32, 107, 203}}, {0.42, {237, 255, 255}},
                 {0.6425, {255, 170, 0}}, {0.8575, {120, 2, 0}}, {1.0, {20, 0, 0}}};
    if (step == 0) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    double t = iters > 1 ? log((double)step) / log((double)iters) : 1.0;
    int i = 0;
    while (i < 4 && t > stops[i + 1].t) i++;
    double f = (t - stops[i].t) / (stops[i + 1].t - stops[i].t);
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    for (int k = 0; k < 3; k++) rgb[k] = (uint8_t)lround(stops[i].c[k] + f * (stops[i + 1].c[k] - stops[i].c[k]));
}

static int mandel_emit(const pk_job *job, const void *result, char *err, size_t errlen)
{
    (void)result;
    const mandel_params *p = job->params;
    if (!p->image) return 0;
    const uint64_t n_side = side_of(job->n);
    const uint64_t side = n_side < MANDEL_IMAGE_MAX ? (n_side ? n_side : 1) : MANDEL_IMAGE_MAX;
    const pk_mandel_grid g = pk_mandel_grid_make(side, p->iters);
    uint8_t *rgb = malloc(3 * side * side);
    uint32_t *steps = malloc(side * sizeof *steps);
    if (!rgb || !steps) {
        free(rgb);
        free(steps);
        snprintf(err, errlen, "cannot write %s: out of memory for the picture", p->image);
        return -1;
    }
    for (uint64_t line = 0; line < side; line++) { /* line = picture column; y grows upwards */
        pk_mandel_line(&g, line, 0, side, steps);
        for (uint64_t k = 0; k < side; k++) colour(steps[k], p->iters, rgb + 3 * ((side - 1 - k) * side + line));
    }
    free(steps);
    int rc = pk_png_write_rgb(p->image, rgb, (uint32_t)side, (uint32_t)side, err, errlen);
    free(rgb);
    return rc;
}

/* Each point is inside or not and takes at most --iters steps: a partial over hi points holds at most
 * hi inside and hi x iters iterations. A forged count near 2^64 fails here. */
static int mandel_plausible(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen)
{
    const mandel_params *p = job->params;
    const mandel_result *r = partial;
    if (r->inside > hi) {
        snprintf(why, whylen, "%llu points inside of %llu", (unsigned long long)r->inside, (unsigned long long)hi);
        return 0;
    }
    pk_u128 most = (pk_u128)hi * p->iters;
    if ((pk_u128)r->iterations > most) {
        snprintf(why, whylen, "%llu iterations for %llu points of at most %u", (unsigned long long)r->iterations,
                 (unsigned long long)hi, (unsigned)p->iters);
        return 0;
    }
    return 1;
}

const pk_kernel pk_kernel_mandel = {
    .name = "mandel",
    .summary = "area of the Mandelbrot set by escape-time counting on a grid of n points",
    .default_n = 2048 * 2048,
    .max_n = MANDEL_MAX_SIDE * MANDEL_MAX_SIDE,
    .test_n = 128 * 128,
    .block = MANDEL_BLOCK,
    .result_size = sizeof(mandel_result),
    .opts = {{"iters", "K", "iteration limit: a point is inside when it has not escaped after K steps (default 1000)",
              mandel_set_iters},
             {"image", "FILE.png", "write the picture (escape-time colours, at most 1024 px a side) to FILE.png",
              mandel_set_image},
             {NULL, NULL, NULL, NULL}},
    .defaults = mandel_defaults,
    .finish = mandel_finish,
    .partial = mandel_partial,
    .combine = mandel_combine,
    .verify = mandel_verify,
    .plausible = mandel_plausible,
    .report = mandel_report,
    .describe = mandel_describe,
    .work = mandel_work,
    .emit = mandel_emit,
};
