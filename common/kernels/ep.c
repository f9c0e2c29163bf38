/* ep: the NAS Parallel Benchmarks "Embarrassingly Parallel" kernel (NPB EP): Gaussian pairs by the
 * Marsaglia polar method from NPB's linear congruential generator, their sums sx, sy and the
 * counts q[l] of pairs in the square annuli l <= max(|X|,|Y|) < l+1.
 *
 * Index space: Gaussian-pair candidates p = 0..n-1 (n = 2^M for class M). Pair p uses the LCG
 * states 2p+1 and 2p+2 of x_{k+1} = a x_k mod 2^46, a = 5^13, x_0 = 271828183, uniforms
 * x_k / 2^46: exactly NPB's stream (NPB's batch k of 2^16 pairs starts at state 2^17 k). One block
 * is one NPB batch, 2^16 pairs; any worker starts any block by skip-ahead (a^k mod 2^46 by repeated
 * squaring). Any n is accepted, not only powers of two: a short last block is a prefix of a batch.
 *
 * Speed: NPB's classic randlc emulates the 46-bit product in doubles; its randi8 build already uses
 * 64-bit integers (measured side by side here: NPB 3.4 EP class A, gfortran -O3, 142 Mop/s per core
 * against ~370 for this kernel), so the gain is mostly vectorization and loop structure. The LCG is
 * exact 64-bit integer arithmetic (the product mod 2^64, then mod 2^46, is the product mod 2^46)
 * in 8 vector lanes stepping by a^16. Each chunk of EP_CHUNK pairs goes through: generate x1, x2,
 * t1 (vector) and keep the pairs with 0 < t1 <= 1 (AVX-512 compress, else a branch-free scalar
 * compaction: same pairs, same order); log(t1) (scalar libm calls: the same bits on every worker,
 * which a vector log would not promise; about 2/3 of the time); then sqrt, products, sums and
 * annulus counts (vector; sqrt and divide are correctly rounded in any vector width).
 *
 * Reproducibility: within a block the sums run in 8 fixed lanes (C order, independent of the vector
 * ISA) reduced in a fixed tree; block sums are combined exactly (pk_xsum), counts are integers.
 * Deviations from NPB, both outside anything a class can reach: t1 == 0 is rejected (NPB would
 * take log(0)), and max(|X|,|Y|) >= 10 counts in q[9] (NPB would index past q; this needs
 * t1 < e^-50, never met in 2^40 pairs).
 *
 * Verification: --class S|W|A|B|C|D|E (or --n equal to a class size 2^M): sx and sy against NPB's
 * published values with NPB's relative tolerance 1e-8, and the pair count against NPB 3.4's
 * published count (tolerance 1e-8 too, as NPB). Any other n has no published reference: the check
 * is then statistical and says so: the accepted count (binomial, p = pi/4), sx and sy (normal,
 * variance = count) and each q[l] (binomial, p_l from P(max(|X|,|Y|) < t) = erf(t/sqrt 2)^2) must
 * lie within 6 standard deviations (+1 for small counts) of their expectations.
 * Default: class W (2^25 pairs, a fraction of a second). Rate: NPB's Mop/s = 2^(M+1) / time / 1e6
 * (random numbers generated), reported as mops_per_s. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parkit/kernel.h"
#include "parkit/xsum.h"

/* AVX-512 compresses the accepted pairs in registers; elsewhere a scalar loop does the same job
 * (same pairs, same order, same bits). -DEP_VECTOR_COMPRESS=0 forces the portable loop. */
#ifndef EP_VECTOR_COMPRESS
#if defined(__AVX512F__)
#define EP_VECTOR_COMPRESS 1
#else
#define EP_VECTOR_COMPRESS 0
#endif
#endif
#if EP_VECTOR_COMPRESS
#include <immintrin.h>
#endif

#define EP_A 1220703125ull /* 5^13 */
#define EP_SEED 271828183ull
#define EP_MASK ((1ull << 46) - 1)
#define EP_BLOCK ((uint64_t)1 << 16) /* one NPB batch */
#define EP_MAX_N ((uint64_t)1 << 40) /* class E; the LCG's period is 2^44 states = 2^43 pairs */
#define EP_LANES 8
#define EP_CHUNK 512 /* pairs per pass through the four loops: the buffers stay in L1 */
#define EP_NQ 10
#define EP_SIGMAS 6.0

typedef uint64_t lanes_u64 __attribute__((vector_size(EP_LANES * sizeof(uint64_t))));
typedef double lanes_f64 __attribute__((vector_size(EP_LANES * sizeof(double))));

typedef struct ep_class {
    char name;
    int m;
    double sx, sy;  /* NPB 3.3 ep verification values */
    double pairs;   /* NPB 3.4 ep gc_verify_value: Gaussian pairs accepted */
} ep_class;

static const ep_class ep_classes[] = {
    {'S', 24, -3.247834652034740e+3, -6.958407078382297e+3, 13176389.0},
    {'W', 25, -2.863319731645753e+3, -6.320053679109499e+3, 26354769.0},
    {'A', 28, -4.295875165629892e+3, -1.580732573678431e+4, 210832767.0},
    {'B', 30, 4.033815542441498e+4, -2.660669192809235e+4, 843345606.0},
    {'C', 32, 4.764367927995374e+4, -8.084072988043731e+4, 3373275903.0},
    {'D', 36, 1.982481200946593e+5, -1.020596636361769e+5, 53972171957.0},
    {'E', 40, -5.319717441530e+05, -3.688834557731e+05, 863554308186.0},
};
#define EP_NCLASSES (int)(sizeof ep_classes / sizeof ep_classes[0])
#define EP_DEFAULT_CLASS 1 /* W */

typedef struct ep_params {
    int cls;         /* index into ep_classes, or -1 for an n with no published reference */
    int class_given; /* --class seen */
} ep_params;

typedef struct ep_result {
    pk_xsum sx, sy;
    uint64_t q[EP_NQ];
} ep_result;

_Static_assert(sizeof(ep_params) <= PK_PARAMS_MAX, "params fit");
_Static_assert(sizeof(ep_result) <= PK_RESULT_MAX, "result fits");

/* ---- the generator (not static: the unit tests check skip-ahead against stepping) --------------- */
/* a^k mod 2^46 by repeated squaring; products mod 2^64 reduce correctly mod 2^46 */
uint64_t pk_ep_lcg_power(uint64_t a, uint64_t k)
{
    uint64_t r = 1;
    for (a &= EP_MASK; k; k >>= 1) {
        if (k & 1) r = (r * a) & EP_MASK;
        a = (a * a) & EP_MASK;
    }
    return r;
}

/* The LCG state after `steps` steps from the seed. */
uint64_t pk_ep_lcg_state(uint64_t steps) { return (EP_SEED * pk_ep_lcg_power(EP_A, steps)) & EP_MASK; }

/* ---- one block ------------------------------------------------------------------------------- */
typedef struct ep_lanes {
    double sx[EP_LANES], sy[EP_LANES];
    int64_t atleast[EP_NQ][EP_LANES]; /* atleast[l]: pairs with max(|X|,|Y|) >= l (l >= 1) */
    uint64_t accepted;
} ep_lanes;

/* Counts pair j of a lane group into the annuli l >= 4 (rare: about 1 pair in 7000). */
static void count_far(ep_lanes *acc, const double *m)
{
    for (int j = 0; j < EP_LANES; j++)
        for (int l = 4; l < EP_NQ; l++) acc->atleast[l][j] += m[j] >= (double)l;
}

/* Loops 3 and 4 over k compacted pairs. Annulus counts go through "at least l" counters: the
 * vector loop keeps l = 1, 2, 3 and leaves the rare far pairs to count_far. */
static void transform(ep_lanes *acc, const double *t1, const double *x1, const double *x2, double *lg, int k)
{
    for (int i = 0; i < k; i++) lg[i] = log(t1[i]);
    int i = 0;
    for (; i + EP_LANES <= k; i += EP_LANES) {
        double m[EP_LANES];
        int64_t far = 0;
        for (int j = 0; j < EP_LANES; j++) {
            double t2 = sqrt(-2.0 * lg[i + j] / t1[i + j]);
            double t3 = x1[i + j] * t2, t4 = x2[i + j] * t2;
            double a3 = fabs(t3), a4 = fabs(t4);
            m[j] = a3 > a4 ? a3 : a4;
            acc->sx[j] += t3;
            acc->sy[j] += t4;
            acc->atleast[1][j] += m[j] >= 1.0;
            acc->atleast[2][j] += m[j] >= 2.0;
            acc->atleast[3][j] += m[j] >= 3.0;
            far |= m[j] >= 4.0;
        }
        if (far) count_far(acc, m);
    }
    if (i < k) { /* the tail continues the lane order; unused lanes count nothing */
        double m[EP_LANES] = {0};
        for (int j = 0; i < k; i++, j++) {
            double t2 = sqrt(-2.0 * lg[i] / t1[i]);
            double t3 = x1[i] * t2, t4 = x2[i] * t2;
            double a3 = fabs(t3), a4 = fabs(t4);
            m[j] = a3 > a4 ? a3 : a4;
            acc->sx[j] += t3;
            acc->sy[j] += t4;
            for (int l = 1; l < 4; l++) acc->atleast[l][j] += m[j] >= (double)l;
        }
        count_far(acc, m);
    }
    acc->accepted += (uint64_t)k;
}

static double lane_total(const double *v)
{
    return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
}

/* The result over pairs [lo, hi). */
static void ep_block(uint64_t lo, uint64_t hi, ep_result *r)
{
    memset(r, 0, sizeof *r);
    if (hi <= lo) return;
    ep_lanes acc;
    memset(&acc, 0, sizeof acc);

    /* lane j holds the first state of pair lo + j; the second state is one step further */
    const uint64_t a1 = EP_A, a_step = pk_ep_lcg_power(EP_A, 2 * EP_LANES);
    uint64_t first = pk_ep_lcg_state(2 * lo + 1), a2j = 1;
    lanes_u64 xs;
    for (int j = 0; j < EP_LANES; j++) {
        xs[j] = (first * a2j) & EP_MASK;
        a2j = (a2j * EP_A * EP_A) & EP_MASK;
    }

    /* compacted pairs; the vector compaction stores whole vectors, hence the spare lanes */
    _Alignas(64) double c1[EP_CHUNK + EP_LANES], c2[EP_CHUNK + EP_LANES], ct[EP_CHUNK + EP_LANES];
    _Alignas(64) double lg[EP_CHUNK + EP_LANES];
#if !EP_VECTOR_COMPRESS
    _Alignas(64) double x1[EP_CHUNK], x2[EP_CHUNK], t1[EP_CHUNK];
#endif
    for (uint64_t p = lo; p < hi; p += EP_CHUNK) {
        int len = hi - p < EP_CHUNK ? (int)(hi - p) : EP_CHUNK;
        int k = 0;
        /* loop 1: uniforms -> x1, x2 in [-1, 1) exactly (x/2^46 * 2 - 1), and t1 = x1^2 + x2^2;
         * loop 2: keep the pairs with 0 < t1 <= 1, in order, without branches */
        for (int i = 0; i < len; i += EP_LANES) {
            lanes_u64 ys = (xs * a1) & EP_MASK;
            lanes_f64 u1 = __builtin_convertvector(xs, lanes_f64) * 0x1p-45 - 1.0;
            lanes_f64 u2 = __builtin_convertvector(ys, lanes_f64) * 0x1p-45 - 1.0;
            lanes_f64 s = u1 * u1 + u2 * u2;
            xs = (xs * a_step) & EP_MASK;
#if EP_VECTOR_COMPRESS
            __mmask8 keep = _mm512_cmp_pd_mask((__m512d)s, _mm512_set1_pd(1.0), _CMP_LE_OQ) &
                            _mm512_cmp_pd_mask((__m512d)s, _mm512_setzero_pd(), _CMP_GT_OQ);
            if (len - i < EP_LANES) keep &= (__mmask8)((1u << (len - i)) - 1);
            _mm512_storeu_pd(&c1[k], _mm512_maskz_compress_pd(keep, (__m512d)u1));
            _mm512_storeu_pd(&c2[k], _mm512_maskz_compress_pd(keep, (__m512d)u2));
            _mm512_storeu_pd(&ct[k], _mm512_maskz_compress_pd(keep, (__m512d)s));
            k += __builtin_popcount(keep);
#else
            memcpy(&x1[i], &u1, sizeof u1);
            memcpy(&x2[i], &u2, sizeof u2);
            memcpy(&t1[i], &s, sizeof s);
#endif
        }
#if !EP_VECTOR_COMPRESS
        for (int i = 0; i < len; i++) {
            c1[k] = x1[i];
            c2[k] = x2[i];
            ct[k] = t1[i];
            k += (t1[i] <= 1.0) & (t1[i] > 0.0);
        }
#endif
        /* loops 3 and 4 */
        transform(&acc, ct, c1, c2, lg, k);
    }

    pk_xsum_add(&r->sx, lane_total(acc.sx));
    pk_xsum_add(&r->sy, lane_total(acc.sy));
    uint64_t atleast[EP_NQ + 1] = {0};
    atleast[0] = acc.accepted;
    for (int l = 1; l < EP_NQ; l++)
        for (int j = 0; j < EP_LANES; j++) atleast[l] += (uint64_t)acc.atleast[l][j];
    for (int l = 0; l < EP_NQ; l++) r->q[l] = atleast[l] - atleast[l + 1];
}

/* ---- options --------------------------------------------------------------------------------- */
static int class_of_n(uint64_t n)
{
    for (int c = 0; c < EP_NCLASSES; c++)
        if (n == (uint64_t)1 << ep_classes[c].m) return c;
    return -1;
}

static void ep_defaults(void *params)
{
    ep_params *p = params;
    p->cls = EP_DEFAULT_CLASS;
    p->class_given = 0;
}

static int ep_set_class(void *params, const char *value, char *err, size_t errlen)
{
    ep_params *p = params;
    if (value[0] && !value[1]) {
        char c = value[0] >= 'a' && value[0] <= 'z' ? (char)(value[0] - 'a' + 'A') : value[0];
        for (int i = 0; i < EP_NCLASSES; i++)
            if (ep_classes[i].name == c) {
                p->cls = i;
                p->class_given = 1;
                return 0;
            }
    }
    snprintf(err, errlen, "expected an NPB class: S, W, A, B, C, D or E");
    return -1;
}

static int ep_finish(void *params, uint64_t *n, int n_given, char *err, size_t errlen)
{
    ep_params *p = params;
    if (p->class_given) {
        uint64_t size = (uint64_t)1 << ep_classes[p->cls].m;
        if (n_given && *n != size) {
            snprintf(err, errlen, "--n %llu conflicts with --class %c (2^%d pairs): give one of them",
                     (unsigned long long)*n, ep_classes[p->cls].name, ep_classes[p->cls].m);
            return -1;
        }
        *n = size;
    } else {
        p->cls = class_of_n(*n); /* --n 2^28 is class A and verified as such */
    }
    return 0;
}

/* ---- kernel interface ------------------------------------------------------------------------ */
static void ep_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    ep_block(lo, hi, out);
}

static void ep_combine(void *acc, const void *part)
{
    ep_result *a = acc;
    const ep_result *b = part;
    pk_xsum_add_xsum(&a->sx, &b->sx);
    pk_xsum_add_xsum(&a->sy, &b->sy);
    for (int l = 0; l < EP_NQ; l++) a->q[l] += b->q[l];
}

static uint64_t total_pairs(const ep_result *r)
{
    uint64_t t = 0;
    for (int l = 0; l < EP_NQ; l++) t += r->q[l];
    return t;
}

/* Statistical check for an n without a published reference; returns 1 when plausible. */
static int ep_plausible(uint64_t n, const ep_result *r, double sx, double sy, char *why, size_t whylen)
{
    double count = (double)total_pairs(r), p = M_PI / 4;
    double mean = (double)n * p, sd = sqrt((double)n * p * (1 - p));
    if (fabs(count - mean) > EP_SIGMAS * sd + 1) {
        snprintf(why, whylen, "%.0f pairs accepted of %llu, expected %.1f +- %.1f (6 sigma)", count,
                 (unsigned long long)n, mean, EP_SIGMAS * sd);
        return 0;
    }
    double lim = EP_SIGMAS * sqrt(count) + 1e-9;
    if (!(fabs(sx) <= lim) || !(fabs(sy) <= lim)) {
        snprintf(why, whylen, "sx = %.6e, sy = %.6e: a sum of %.0f standard normals exceeds 6 sigma (%.3e)", sx,
                 sy, count, lim);
        return 0;
    }
    for (int l = 0; l < EP_NQ; l++) {
        double lo = erf(l / M_SQRT2), hi = erf((l + 1) / M_SQRT2);
        double pl = l == EP_NQ - 1 ? 1 - lo * lo : hi * hi - lo * lo;
        double want = count * pl, sdl = sqrt(count * pl * (1 - pl));
        if (fabs((double)r->q[l] - want) > EP_SIGMAS * sdl + 1) {
            snprintf(why, whylen, "q[%d] = %llu, expected %.1f +- %.1f (6 sigma) of %.0f pairs", l,
                     (unsigned long long)r->q[l], want, EP_SIGMAS * sdl, count);
            return 0;
        }
    }
    snprintf(why, whylen,
             "no published NPB reference for n = %llu pairs (classes are n = 2^M): statistical check only: "
             "%.0f pairs, sx, sy and q[0..9] within 6 sigma of expectation",
             (unsigned long long)n, count);
    return 1;
}

static int ep_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    const ep_result *r = result;
    double sx = pk_xsum_round(&r->sx), sy = pk_xsum_round(&r->sy);
    int cls = class_of_n(job->n); /* a class size (from --class or --n) has its published reference */
    if (cls < 0) return ep_plausible(job->n, r, sx, sy, why, whylen);
    const ep_class *c = &ep_classes[cls];
    double ex = fabs((sx - c->sx) / c->sx), ey = fabs((sy - c->sy) / c->sy);
    double count = (double)total_pairs(r), ec = fabs((count - c->pairs) / c->pairs);
    int ok = ex <= 1e-8 && ey <= 1e-8 && ec <= 1e-8; /* false for NaN too */
    snprintf(why, whylen,
             "class %c: sx rel. error %.2e, sy %.2e, pairs %.0f vs %.0f: %s NPB's tolerance 1e-8 (published "
             "sx = %.15e, sy = %.15e)",
             c->name, ex, ey, count, c->pairs, ok ? "within" : "OUTSIDE", c->sx, c->sy);
    return ok;
}

static void ep_report(const pk_job *job, const void *result, pk_report *rep)
{
    (void)job;
    const ep_result *r = result;
    double sx = pk_xsum_round(&r->sx), sy = pk_xsum_round(&r->sy);
    char q[EP_NQ * 24] = "";
    size_t len = 0;
    for (int l = 0; l < EP_NQ; l++)
        len += (size_t)snprintf(q + len, sizeof q - len, "%s%llu", l ? " " : "", (unsigned long long)r->q[l]);
    pk_report_str(rep, "result", "sx=%.17g sy=%.17g q=%s", sx, sy, q);
    pk_report_num(rep, "sx", "%.15e", sx);
    pk_report_num(rep, "sy", "%.15e", sy);
    pk_report_str(rep, "q", "%s", q);
    pk_report_num(rep, "gaussian_pairs", "%llu", (unsigned long long)total_pairs(r));
}

static void ep_describe(const pk_job *job, pk_report *r)
{
    int cls = class_of_n(job->n);
    if (cls >= 0) pk_report_str(r, "class", "%c", ep_classes[cls].name);
    else pk_report_str(r, "class", "none");
    pk_report_num(r, "random_numbers", "%.0f", 2.0 * (double)job->n);
}

static pk_work ep_work(const pk_job *job, const void *result)
{
    (void)result;
    pk_work w = {0};
    w.elements = (double)job->n;        /* pair candidates */
    w.ops = 2.0 * (double)job->n / 1e6; /* millions of random numbers: NPB's Mop/s */
    w.ops_name = "mops";
    return w;
}

/* Every pair lands in at most one annulus: the counts, summed without wrapping, are at most the
 * pairs done (a count that wraps back to the right total fails the sum's overflow check), and the
 * sums of the deviates are finite. */
static int ep_partial_plausible(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen)
{
    (void)job;
    const ep_result *r = partial;
    uint64_t total = 0;
    for (int i = 0; i < EP_NQ; i++) {
        if (r->q[i] > hi || total + r->q[i] < total) {
            snprintf(why, whylen, "annulus %d holds %llu pairs of %llu", i, (unsigned long long)r->q[i],
                     (unsigned long long)hi);
            return 0;
        }
        total += r->q[i];
    }
    if (total > hi) {
        snprintf(why, whylen, "%llu accepted pairs of %llu", (unsigned long long)total, (unsigned long long)hi);
        return 0;
    }
    double sx = pk_xsum_round(&r->sx), sy = pk_xsum_round(&r->sy);
    if (!isfinite(sx) || !isfinite(sy)) {
        snprintf(why, whylen, "the sums of the deviates are not finite");
        return 0;
    }
    return 1;
}

const pk_kernel pk_kernel_ep = {
    .name = "ep",
    .summary = "NPB EP: Gaussian pairs from NPB's LCG by the polar method, sums and annulus counts",
    .default_n = (uint64_t)1 << 25, /* class W */
    .max_n = EP_MAX_N,
    .test_n = 33 * EP_BLOCK + 12345,
    .block = EP_BLOCK,
    .result_size = sizeof(ep_result),
    .opts = {{"class", "S|W|A|B|C|D|E", "NPB problem class: n = 2^24, 2^25, 2^28, 2^30, 2^32, 2^36, 2^40 pairs "
              "(default W)", ep_set_class},
             {NULL, NULL, NULL, NULL}},
    .defaults = ep_defaults,
    .finish = ep_finish,
    .partial = ep_partial,
    .combine = ep_combine,
    .verify = ep_verify,
    .plausible = ep_partial_plausible,
    .report = ep_report,
    .describe = ep_describe,
    .work = ep_work,
};
