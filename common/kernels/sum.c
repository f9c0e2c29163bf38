/* sum: the sum of the integers 0..n-1, the tutorials' CPU-bound example, exact for every 64-bit n.
 *
 * --source range (CPU-bound): each block adds its integers i in 64-bit vector lanes. A compiler
 *   would replace such a loop by n(n-1)/2, so the lane counters pass through an empty asm
 *   statement every iteration: the compiler can no longer prove what they hold, and the additions
 *   really happen (objdump shows the vpaddq loop). The lanes wrap modulo 2^64; the exact block sum
 *   is recovered from its known lower bound len*lo, since the true sum exceeds that bound by
 *   less than 2^64 (blocks hold at most 2^20 elements).
 * --source array (memory-bound twin): the same numbers stored in an int64 array, first-touched by
 *   the worker that reads them, summed from memory.
 * Verification: n(n-1)/2 computed independently (pk_triangular). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/kernel.h"
#include "parkit/simd.h"
#include "parkit/u128.h"

enum { SOURCE_RANGE = 0, SOURCE_ARRAY = 1 }; /* range is the default: params start zeroed */

#define SUM_BLOCK ((uint64_t)1 << 20)
#define SUM_ARRAY_MAX_N ((uint64_t)1 << 40) /* 8 TiB: beyond any node; keeps block sums < 2^60 */
#define SUM_ARRAY_DEFAULT_N ((uint64_t)1 << 27) /* 1 GiB: far beyond any cache */

typedef struct sum_params {
    int source;
} sum_params;

/* the result: one exact 128-bit sum (the stock reducer pk_sum_u128 combines and prints it) */
PK_KERNEL_TYPES(sum_params, pk_u128);

/* ---- the honest vector loop ---------------------------------------------------------------- */
#define LANES PK_LANES64
typedef uint64_t lanes_u64 __attribute__((vector_size(LANES * sizeof(uint64_t))));

/* Hide a value from the optimizer without emitting any instruction. */
#if defined(__x86_64__) || defined(__i386__)
#define OPAQUE_VEC(v) __asm__("" : "+v"(v))
#elif defined(__aarch64__)
#define OPAQUE_VEC(v) __asm__("" : "+w"(v))
#else
#define OPAQUE_VEC(v) __asm__ volatile("" : "+m"(v))
#endif
#define OPAQUE_SCALAR(x) __asm__("" : "+r"(x))

/* (lo + (lo+1) + ... + (hi-1)) mod 2^64, with four independent accumulators for throughput. */
static uint64_t sum_range_mod64(uint64_t lo, uint64_t hi)
{
    enum { STRIDE = 4 * LANES };
    lanes_u64 i0, a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (int l = 0; l < LANES; l++) i0[l] = lo + (uint64_t)l;
    lanes_u64 i1 = i0 + LANES, i2 = i0 + 2 * LANES, i3 = i0 + 3 * LANES;
    uint64_t x = lo;
    for (; hi - x >= STRIDE; x += STRIDE) {
        a0 += i0;
        a1 += i1;
        a2 += i2;
        a3 += i3;
        i0 += STRIDE;
        i1 += STRIDE;
        i2 += STRIDE;
        i3 += STRIDE;
        OPAQUE_VEC(i0);
        OPAQUE_VEC(i1);
        OPAQUE_VEC(i2);
        OPAQUE_VEC(i3);
    }
    lanes_u64 a = a0 + a1 + a2 + a3;
    uint64_t s = 0;
    for (int l = 0; l < LANES; l++) s += a[l];
    for (; x < hi; x++) {
        OPAQUE_SCALAR(x);
        s += x;
    }
    return s;
}

/* ---- kernel interface ------------------------------------------------------------------------ */
static int sum_set_source(void *params, const char *value, char *err, size_t errlen)
{
    sum_params *p = params_mut(params);
    if (strcmp(value, "range") == 0) p->source = SOURCE_RANGE;
    else if (strcmp(value, "array") == 0) p->source = SOURCE_ARRAY;
    else {
        snprintf(err, errlen, "expected range or array");
        return -1;
    }
    return 0;
}

static int sum_finish(void *params, uint64_t *n, int n_given, char *err, size_t errlen)
{
    const sum_params *p = params_in(params);
    if (p->source == SOURCE_ARRAY) {
        if (!n_given) *n = SUM_ARRAY_DEFAULT_N;
        if (*n > SUM_ARRAY_MAX_N) {
            snprintf(err, errlen, "--n %llu: too large for --source array (at most 2^40 elements)",
                     (unsigned long long)*n);
            return -1;
        }
    }
    return 0;
}

static int sum_setup(pk_job *job, char *err, size_t errlen)
{
    if (params_of(job)->source != SOURCE_ARRAY || job->data_hi == job->data_lo) return 0;
    uint64_t count = job->data_hi - job->data_lo;
    /* 64-byte alignment for full-width vector loads; no touching here (first touch is per worker) */
    size_t bytes = (size_t)count * sizeof(uint64_t);
    bytes = (bytes + 63) & ~(size_t)63;
    job->data = aligned_alloc(64, bytes);
    if (!job->data) {
        snprintf(err, errlen, "cannot allocate %.2f GiB for --source array", (double)bytes / (1u << 30));
        return -1;
    }
    return 0;
}

static void sum_touch(const pk_job *job, uint64_t lo, uint64_t hi)
{
    if (!job->data) return;
    uint64_t *a = (uint64_t *)job->data - job->data_lo;
    for (uint64_t i = lo; i < hi; i++) a[i] = i;
}

static void sum_teardown(pk_job *job)
{
    free(job->data);
    job->data = NULL;
}

static int sum_holds_data(const void *params) { return params_in(params)->source == SOURCE_ARRAY; }

static void sum_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    if (params_of(job)->source == SOURCE_ARRAY) {
        const uint64_t *a = (const uint64_t *)job->data - job->data_lo;
        uint64_t s = 0; /* values < 2^40, at most 2^20 per block: no overflow */
        for (uint64_t i = lo; i < hi; i++) s += a[i];
        *result_of(out) = s;
        return;
    }
    pk_u128 bound = (pk_u128)(hi - lo) * lo;
    uint64_t excess = sum_range_mod64(lo, hi) - (uint64_t)bound; /* < 2^64, so exact mod 2^64 */
    *result_of(out) = bound + excess;
}

static int sum_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    pk_u128 got = *cresult_of(result), want = pk_triangular(job->n);
    char g[48], w[48];
    pk_u128_to_string(got, g, sizeof g);
    pk_u128_to_string(want, w, sizeof w);
    if (got == want) {
        snprintf(why, whylen, "equals n(n-1)/2 = %s", w);
        return PK_PASS;
    }
    snprintf(why, whylen, "got %s, expected n(n-1)/2 = %s", g, w);
    return PK_FAIL;
}

static void sum_describe(const pk_job *job, pk_report *r)
{
    pk_report_str(r, "source", "%s", params_of(job)->source == SOURCE_ARRAY ? "array" : "range");
}

static pk_work sum_work(const pk_job *job, const void *result)
{
    (void)result;
    double n = (double)job->n;
    return (pk_work){.elements = n, .bytes = params_of(job)->source == SOURCE_ARRAY ? 8.0 * n : 0};
}

/* The sum of 0..hi-1 is known in closed form: a partial is plausible only when it is exactly that
 * (the range source; the array source holds data and never resumes). */
static int sum_plausible(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen)
{
    (void)job;
    pk_u128 want = hi < 2 ? 0 : (pk_u128)hi * (hi - 1) / 2;
    if (*cresult_of(partial) == want) return 1;
    snprintf(why, whylen, "the sum of 0..%llu-1 is not what it holds", (unsigned long long)hi);
    return 0;
}

const pk_kernel pk_kernel_sum = {
    .name = "sum",
    .summary = "sum of the integers 0..n-1, exact (CPU-bound range, or memory-bound array)",
    .default_n = 10000000000ull,
    .test_n = 5 * SUM_BLOCK + 12345,
    .block = SUM_BLOCK,
    .reducer = &pk_sum_u128,
    .opts = {{"source", "range|array", "range: generate the integers (CPU-bound); array: read them from memory",
              sum_set_source},
             {NULL, NULL, NULL, NULL}},
    .finish = sum_finish,
    .setup = sum_setup,
    .touch = sum_touch,
    .teardown = sum_teardown,
    .holds_data = sum_holds_data,
    .partial = sum_partial,
    .verify = sum_verify,
    .plausible = sum_plausible,
    .describe = sum_describe,
    .work = sum_work,
};
