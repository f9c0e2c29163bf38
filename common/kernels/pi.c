/* pi: the midpoint rule for pi = integral_0^1 4/(1+x^2) dx with n intervals, the classic
 * CPU-bound floating-point example (a divide per element, no memory traffic).
 *
 * Element i is the interval [i/n, (i+1)/n); its term is f(x_i) = 4/(1+x_i^2) at the midpoint
 * x_i = (i+0.5)*h, h = 1/n. The estimate is (sum of f(x_i)) / n.
 *
 * Bitwise reproducibility: each block (PI_BLOCK intervals) is summed in one fixed order: 32 lanes
 * (4 accumulators of 8 doubles, GNU vector types, so the order is the same whatever the vector ISA:
 * AVX-512, AVX2 or SSE2 only change how many instructions one 8-wide operation takes), reduced in a
 * fixed tree, then the leftover (< 32) terms serially. Block sums are combined exactly (pk_xsum);
 * the exact total is rounded once and divided by n once.
 *
 * Speed: the loop is bound by the divider (one vdivpd per 8 points; the multiplies and adds issue
 * beside it). Four independent divisions per iteration cover its latency: the loop alone runs at
 * the division throughput that parkit_limits measures (div_1t_ops_per_s; 6.4-6.5e9 points and
 * divisions per CPU-second on the 2-core EPYC of bench/README.md). More accumulators (8, 16) or
 * n^2-scaled terms (4n^2 / (n^2 + t^2), one multiply less) measured the same; a reciprocal
 * (vrcp14pd) refined by two Newton steps measured 11% slower than the division, and would change
 * the rounding analysis below. One pk_xsum_add per 65536 points costs nothing measurable.
 *
 * Error bound (verification), with u = 2^-53, gamma_k = k u / (1 - k u), M = (1/n) sum f(x_i):
 *  - discretization: |M - pi| <= max|f''| / (24 n^2). f''(x) = 8(3x^2 - 1)/(1+x^2)^3 rises
 *    monotonically on [0,1] (f''' = 96x(1-x^2)/(1+x^2)^4 >= 0) from -8 to 2, so max|f''| = 8 and
 *    D = 1/(3 n^2).
 *  - one term: h = fl(1/n), x = fl(t h) with t = i+0.5 exact (i < 2^52): x carries (1+e)^2;
 *    x^2 carries (1+e)^5; 1 + x^2 then has relative error <= 2.5u + u (x^2/(1+x^2) <= 1/2);
 *    the divide adds u: |f^_i - f(x_i)| <= gamma_5 f(x_i) (4.5u + O(u^2) < gamma_5).
 *  - block sum: every term goes through at most k = PI_BLOCK/32 lane additions + 2 accumulator
 *    additions + 3 lane-tree additions + 31 tail additions, so |error| <= gamma_k sum|f^_i|.
 *  - the exact total is rounded once (u), divided by n once (u).
 *  => |est - M| <= (pi + D) (c + (1 + c)(2u + u^2)), c = gamma_5 + gamma_k + gamma_5 gamma_k,
 *     using M <= pi + D. The check is |est - M_PI| <= D + that + |pi - M_PI| (< 1.23e-16, the
 *     rounding of the reference itself); est - M_PI is computed exactly (Sterbenz). The bound is
 *     computed in double and then widened by 2^-30 relative to cover its own rounding.
 * For n = 2*10^9 the bound is about 7.3e-13 (rounding dominates; D = 8e-20); the actual error is
 * reported beside it (typically below 1e-15). */
#include <math.h>
#include <stdio.h>

#include "parkit/kernel.h"
#include "parkit/xsum.h"

#define PI_BLOCK ((uint64_t)1 << 16)
#define PI_MAX_N ((uint64_t)1 << 52) /* i + 0.5 must be exact in a double */
#define PI_LANES 8                   /* doubles per vector value: fixed, whatever the ISA */
#define PI_ACCS 4                    /* independent accumulators: 32 lanes in all */
#define PI_STRIDE (PI_LANES * PI_ACCS)
#define PI_FLOPS_PER_ELEMENT 5.0     /* t*h, x*x, 1+, 4/, sum+ */
#define PI_REF_ERROR 1.23e-16        /* |pi - M_PI| = 1.2246e-16 */

typedef double lanes_f64 __attribute__((vector_size(PI_LANES * sizeof(double))));

/* the result: the exact sum of the block sums of f(x_i) (the stock reducer pk_sum_double combines it) */
PK_KERNEL_RESULT(pk_xsum);

static double term(double t, double h)
{
    double x = t * h;
    return 4.0 / (1.0 + x * x);
}

/* Sum of f(x_i) over [lo, hi) in the fixed order described above. */
static double block_sum(uint64_t lo, uint64_t hi, double h)
{
    lanes_f64 t0, a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (int l = 0; l < PI_LANES; l++) t0[l] = (double)(lo + (uint64_t)l) + 0.5;
    lanes_f64 t1 = t0 + PI_LANES, t2 = t0 + 2 * PI_LANES, t3 = t0 + 3 * PI_LANES;
    uint64_t i = lo;
    for (; hi - i >= PI_STRIDE; i += PI_STRIDE) {
        lanes_f64 x0 = t0 * h, x1 = t1 * h, x2 = t2 * h, x3 = t3 * h;
        a0 += 4.0 / (1.0 + x0 * x0);
        a1 += 4.0 / (1.0 + x1 * x1);
        a2 += 4.0 / (1.0 + x2 * x2);
        a3 += 4.0 / (1.0 + x3 * x3);
        t0 += PI_STRIDE;
        t1 += PI_STRIDE;
        t2 += PI_STRIDE;
        t3 += PI_STRIDE;
    }
    lanes_f64 a = (a0 + a1) + (a2 + a3);
    double s = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
    for (; i < hi; i++) s += term((double)i + 0.5, h);
    return s;
}

/* The proven bound on |estimate - pi| for n intervals (see the banner), without the reference's
 * own rounding. */
static double pi_error_bound(uint64_t n, double *discretization)
{
    const double u = 0x1p-53;
    const double k = (double)(PI_BLOCK / PI_STRIDE + 2 + 3 + (PI_STRIDE - 1));
    double nn = (double)n;
    double d = 1.0 / (3.0 * nn * nn);
    double g5 = 5 * u / (1 - 5 * u), gk = k * u / (1 - k * u);
    double c = g5 + gk + g5 * gk;
    double r = (3.1415926535897936 + d) * (c + (1 + c) * (2 * u + u * u));
    if (discretization) *discretization = d;
    return (d + r) * (1 + 0x1p-30);
}

/* ---- kernel interface ------------------------------------------------------------------------ */
static int pi_finish(void *params, uint64_t *n, int n_given, char *err, size_t errlen)
{
    (void)params;
    (void)n_given;
    if (*n == 0) {
        snprintf(err, errlen, "--n 0: the midpoint rule needs at least one interval");
        return -1;
    }
    return 0;
}

static void pi_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    pk_xsum_zero(result_of(out));
    if (hi > lo) pk_xsum_add(result_of(out), block_sum(lo, hi, 1.0 / (double)job->n));
}

static double pi_estimate(const pk_job *job, const void *result)
{
    if (job->n == 0) return 0.0; /* no intervals, no estimate (finish rejects n = 0) */
    return pk_xsum_round(cresult_of(result)) / (double)job->n;
}

static int pi_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    if (job->n == 0) {
        snprintf(why, whylen, "n = 0: no intervals, no estimate");
        return PK_FAIL;
    }
    double est = pi_estimate(job, result), d;
    double bound = pi_error_bound(job->n, &d) + PI_REF_ERROR;
    double err = fabs(est - M_PI);
    int ok = err <= bound; /* false for NaN too */
    snprintf(why, whylen, "|estimate - pi| = %.3e %s bound %.3e (midpoint 1/(3n^2) = %.3e, plus rounding)",
             err, ok ? "<=" : "EXCEEDS", bound, d);
    return ok ? PK_PASS : PK_FAIL;
}

static void pi_report(const pk_job *job, const void *result, pk_report *r)
{
    double est = pi_estimate(job, result);
    pk_report_num(r, "result", "%.17g", est);
    if (job->n > 0) {
        pk_report_num(r, "abs_error", "%.3e", fabs(est - M_PI));
        pk_report_num(r, "error_bound", "%.3e", pi_error_bound(job->n, NULL) + PI_REF_ERROR);
    }
}

static pk_work pi_work(const pk_job *job, const void *result)
{
    (void)result;
    return (pk_work){.elements = (double)job->n, .flops = PI_FLOPS_PER_ELEMENT * (double)job->n};
}

/* Each term f(x) = 4 / (1 + x^2) lies in [2, 4] on [0, 1]: the sum of hi terms lies in [2 hi, 4 hi]
 * (with a margin for rounding). */
static int pi_plausible(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen)
{
    (void)job;
    double s = pk_xsum_round(cresult_of(partial)), n = (double)hi;
    if (isfinite(s) && s >= 2 * n * (1 - 1e-9) - 1 && s <= 4 * n * (1 + 1e-9) + 1) return 1;
    snprintf(why, whylen, "a sum of %g for %llu terms each in [2, 4]", s, (unsigned long long)hi);
    return 0;
}

const pk_kernel pk_kernel_pi = {
    .name = "pi",
    .summary = "pi by the midpoint rule for the integral of 4/(1+x^2) over [0,1] (CPU-bound, exact combine)",
    .default_n = 2000000000ull, /* ~0.35 s on 2 cores of a 2020s x86 */
    .max_n = PI_MAX_N,
    .test_n = 20 * PI_BLOCK + 777,
    .block = PI_BLOCK,
    .reducer = &pk_sum_double,
    .finish = pi_finish,
    .partial = pi_partial,
    .verify = pi_verify,
    .plausible = pi_plausible,
    .report = pi_report,
    .work = pi_work,
};
