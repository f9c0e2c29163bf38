/* primes: pi(n), the number of primes <= n, by a segmented sieve of Eratosthenes (sieve.h):
 * mod-30 wheel, one bit per candidate, pre-sieved up to 163, sieving primes grouped by class and
 * tiered by size (L1 pieces, unrolled cycles sorted by wheel position, buckets), popcount. CPU-bound,
 * cache-resident.
 *
 * Index space: element i stands for the integer i+1, so [0, n) is 1..n, the block [lo, hi) counts
 * the primes in (lo, hi] (= pi(hi) - pi(lo)) and the total over [0, n) is pi(n).
 * Blocks: PK_SIEVE_BLOCK_SEGMENTS segments of 1 MiB of bits = 62914560 integers, the same for
 * every worker count. A block computes its sieving primes' first multiples from lo itself (one
 * division each) and fills its own buckets, so any worker can take any block; with 2 segments per
 * block that set-up is about 2% of the block's time near 10^11 and 4% near 10^12.
 * Sieving primes (<= sqrt(n)): built once per process in setup, shared read-only by its threads.
 * Verification: the published pi(10^k) / pi(2^k) when n is one of them, else Legendre's formula
 * in dynamic-programming form (primecount.h), which counts without sieving [1, n].
 * Largest n: 10^13 (the Legendre reference then takes a few seconds and 40 MB; the sieve itself
 * takes about an hour per core). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/kernel.h"
#include "parkit/partition.h"
#include "parkit/primecount.h"
#include "parkit/sieve.h"

#define PRIMES_BLOCK PK_SIEVE_BLOCK_SPAN

typedef struct primes_result {
    uint64_t count;
    uint64_t failed; /* blocks that could not allocate their segment (then verification fails) */
} primes_result;

_Static_assert(sizeof(primes_result) <= PK_RESULT_MAX, "result fits");

static int primes_setup(pk_job *job, char *err, size_t errlen)
{
    pk_sieve_primes *sp = malloc(sizeof *sp);
    uint64_t root = pk_isqrt(job->n);
    if (!sp || pk_sieve_primes_init(sp, root) != 0) {
        free(sp);
        snprintf(err, errlen, "out of memory for the sieving primes up to %llu", (unsigned long long)root);
        return -1;
    }
    job->data = sp;
    return 0;
}

static void primes_teardown(pk_job *job)
{
    if (job->data) pk_sieve_primes_free(job->data);
    free(job->data);
    job->data = NULL;
}

static void primes_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    primes_result *r = out;
    memset(r, 0, sizeof *r);
    const pk_sieve_primes *sp = job->data;
    pk_sieve_primes own;
    int owned = 0;
    if (!sp) { /* a caller that skipped setup: this block's own sieving primes (slower, same count) */
        if (pk_sieve_primes_init(&own, pk_isqrt(hi)) == 0) {
            sp = &own;
            owned = 1;
        }
    }
    uint64_t c = sp ? pk_sieve_count(sp, lo, hi) : UINT64_MAX;
    if (owned) pk_sieve_primes_free(&own);
    if (c == UINT64_MAX) r->failed = 1;
    else r->count = c;
}

static void primes_combine(void *acc, const void *part)
{
    primes_result *a = acc;
    const primes_result *b = part;
    a->count += b->count;
    a->failed += b->failed;
}

static int primes_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    const primes_result *r = result;
    if (r->failed) {
        snprintf(why, whylen, "%llu blocks could not allocate their sieve segment", (unsigned long long)r->failed);
        return 0;
    }
    uint64_t want;
    const char *source;
    char ref[160];
    if (pk_prime_count_published(job->n, &want, &source)) {
        snprintf(ref, sizeof ref, "the published pi(%s) = %llu (OEIS %s)", source, (unsigned long long)want,
                 source[0] == '1' ? "A006880" : "A007053");
    } else {
        want = pk_prime_count_legendre(job->n);
        if (want == UINT64_MAX) {
            snprintf(why, whylen, "no reference: Legendre's count of pi(%llu) ran out of memory",
                     (unsigned long long)job->n);
            return PK_UNVERIFIED; /* the sieve's count may well be right: nothing to say it is */
        }
        snprintf(ref, sizeof ref, "pi(%llu) = %llu by Legendre's formula (dynamic programming, no sieve)",
                 (unsigned long long)job->n, (unsigned long long)want);
    }
    if (r->count == want) {
        snprintf(why, whylen, "equals %s", ref);
        return 1;
    }
    snprintf(why, whylen, "got %llu, expected %s", (unsigned long long)r->count, ref);
    return 0;
}

static void primes_report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    pk_report_num(r, "result", "%llu", (unsigned long long)((const primes_result *)result)->count);
}

static void primes_describe(const pk_job *job, pk_report *r)
{
    pk_report_str(r, "counts", "primes <= n (element i is the integer i+1)");
    pk_report_str(r, "sieve", "mod-30 wheel bits, %llu KiB segments, %d per block, pre-sieved to 163, buckets",
                  (unsigned long long)(PK_SIEVE_SEGMENT_BYTES >> 10), PK_SIEVE_BLOCK_SEGMENTS);
    pk_report_num(r, "sieving_prime_limit", "%llu", (unsigned long long)pk_isqrt(job->n));
}

static pk_work primes_work(const pk_job *job, const void *result)
{
    (void)result;
    pk_work w = {0};
    w.elements = (double)job->n; /* integers sieved */
    return w;
}

/* Below hi there are at most hi/2 + 1 primes (2 and odd numbers), and no more failed blocks than blocks. */
static int primes_plausible(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen)
{
    (void)job;
    const primes_result *r = partial;
    if (r->count > hi / 2 + 1) {
        snprintf(why, whylen, "%llu primes below %llu", (unsigned long long)r->count, (unsigned long long)hi);
        return 0;
    }
    if (r->failed > pk_block_count(hi, PRIMES_BLOCK)) {
        snprintf(why, whylen, "more failed blocks than blocks");
        return 0;
    }
    return 1;
}

const pk_kernel pk_kernel_primes = {
    .name = "primes",
    .summary = "pi(n), the number of primes <= n, by a segmented wheel sieve of Eratosthenes",
    .default_n = 1000000000ull,
    .max_n = PK_PRIME_COUNT_MAX,
    .test_n = 9 * PRIMES_BLOCK + 12345,
    .block = PRIMES_BLOCK,
    .result_size = sizeof(primes_result),
    .opts = {{NULL, NULL, NULL, NULL}},
    .setup = primes_setup,
    .teardown = primes_teardown,
    .partial = primes_partial,
    .combine = primes_combine,
    .verify = primes_verify,
    .plausible = primes_plausible,
    .report = primes_report,
    .describe = primes_describe,
    .work = primes_work,
};
