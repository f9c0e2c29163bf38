/* wrongsum: the sum of 0..n-1 with a planted bug (block 0 counts one too many), so that its programs
 * compute a wrong result and verification must FAIL: the end-to-end tests check that this gives
 * exit code 1 on threads and under mpiexec (where every rank must return rank 0's verdict). A test
 * fixture only: it is built for the test suite and never installed. Written on the light contract
 * (a stock reducer; no identity, combine, report or work of its own). */
#include <stdio.h>

#include "parkit/kernel.h"
#include "parkit/u128.h"

PK_KERNEL_RESULT(pk_u128);

static void wrong_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    pk_u128 s = 0;
    for (uint64_t i = lo; i < hi; i++) s += i;
    *result_of(out) = s + (lo == 0 && hi > 0); /* the planted off-by-one */
}

static int verify(const pk_job *job, const void *result, char *why, size_t len)
{
    char got[48], want[48];
    pk_u128_to_string(*cresult_of(result), got, sizeof got);
    pk_u128_to_string(pk_triangular(job->n), want, sizeof want);
    snprintf(why, len, "got %s, n(n-1)/2 = %s", got, want);
    return *cresult_of(result) == pk_triangular(job->n) ? PK_PASS : PK_FAIL;
}

const pk_kernel pk_kernel_wrongsum = {
    .name = "wrongsum",
    .summary = "test fixture: the sum of 0..n-1 with a planted off-by-one (verification must fail)",
    .default_n = 1000000,
    .block = (uint64_t)1 << 16,
    .reducer = &pk_sum_u128,
    .partial = wrong_partial,
    .verify = verify,
};
