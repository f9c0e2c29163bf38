/* wrongsum: the sum kernel with a planted bug (block 0 counts one too many), so that its programs
 * compute a wrong result and verification must FAIL: the end-to-end tests check that this gives
 * exit code 1 on threads and under mpiexec (where every rank must return rank 0's verdict). A test
 * fixture only: it is built for the test suite and never installed. */
#include <string.h>

#include "parkit/kernel.h"
#include "parkit/u128.h"

extern const pk_kernel pk_kernel_sum;

static void wrong_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    pk_kernel_sum.partial(job, lo, hi, out);
    if (lo == 0 && hi > 0) {
        pk_result one;
        memset(&one, 0, sizeof one);
        pk_kernel_sum.identity(&one);
        pk_kernel_sum.partial(job, 1, 2, &one); /* the sum over [1, 2) is 1 */
        pk_kernel_sum.combine(out, &one);
    }
}

static void identity(void *r) { pk_kernel_sum.identity(r); }
static void combine(void *a, const void *b) { pk_kernel_sum.combine(a, b); }
static int verify(const pk_job *j, const void *r, char *why, size_t len) { return pk_kernel_sum.verify(j, r, why, len); }
static void report(const pk_job *j, const void *r, pk_report *rep) { pk_kernel_sum.report(j, r, rep); }
static pk_work work(const pk_job *j, const void *r) { return pk_kernel_sum.work(j, r); }
static void defaults(void *p) { pk_kernel_sum.defaults(p); }

const pk_kernel pk_kernel_wrongsum = {
    .name = "wrongsum",
    .summary = "test fixture: the sum of 0..n-1 with a planted off-by-one (verification must fail)",
    .default_n = 1000000,
    .test_n = 1000000,
    .block = (uint64_t)1 << 20,
    .result_size = sizeof(pk_u128), /* sum's result: one 128-bit integer */
    .defaults = defaults,
    .identity = identity,
    .partial = wrong_partial,
    .combine = combine,
    .verify = verify,
    .report = report,
    .work = work,
};
