/* bits: the number of set bits in the integers 0..n-1, a test fixture for the third outcome of
 * verification. Its only reference is an exact recomputation, one integer at a time, affordable up
 * to n = 2^22: beyond that verify says PK_UNVERIFIED (exit 4, `verification: UNVERIFIED`), which
 * no script may count as a PASS. Never installed. */
#include <stdio.h>

#include "parkit/kernel.h"

#define BITS_CHECKED_MAX ((uint64_t)1 << 22)

PK_KERNEL_RESULT(uint64_t);

static void bits_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    uint64_t s = 0;
    for (uint64_t i = lo; i < hi; i++) s += (uint64_t)__builtin_popcountll(i);
    *result_of(out) = s;
}

static int bits_verify(const pk_job *job, const void *result, char *why, size_t len)
{
    if (job->n > BITS_CHECKED_MAX) {
        snprintf(why, len, "no reference for n > 2^22 (the recount would take as long as the run)");
        return PK_UNVERIFIED;
    }
    uint64_t want = 0; /* bit by bit: another method than the kernel's popcount */
    for (uint64_t i = 0; i < job->n; i++)
        for (uint64_t v = i; v; v >>= 1) want += v & 1;
    snprintf(why, len, "recounted bit by bit: %llu", (unsigned long long)want);
    return *cresult_of(result) == want ? PK_PASS : PK_FAIL;
}

const pk_kernel pk_kernel_bits = {
    .name = "bits",
    .summary = "test fixture: set bits in 0..n-1 (UNVERIFIED past 2^22)",
    .default_n = 1000000,
    .block = (uint64_t)1 << 16,
    .reducer = &pk_sum_u64,
    .partial = bits_partial,
    .verify = bits_verify,
};
