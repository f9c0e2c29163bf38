/* naivesum: a floating-point sum combined with plain double addition, the first kernel many users
 * write, and the mistake parkit_add_kernel_tests exists to catch: double addition is not
 * associative, so the result depends on how the blocks are grouped, that is, on the worker count
 * and the schedule (the kit's kernels combine exactly, with pk_xsum). A test fixture only: built for
 * the test suite (tests/kernel_tests/), never installed.
 *
 * Element 0 is 2^53 and every other element is 1.0, one element per block. At 2^53 a double's
 * spacing is 2, so 2^53 + 1 rounds back to 2^53 (ties to even): added one by one after the large
 * element, the ones vanish, which is what the serial reference (one thread, blocks in order) does;
 * a second worker adds its ones together first and then to 2^53, so they count. For n = 1000 on 2
 * threads or ranks with the static schedule the result is 2^53 + 500, not 2^53, every time (a rank
 * schedule that hands out chunks of several blocks shows it even on 1 rank). Every result is
 * within n - 1 of the exact sum 2^53 + n - 1, which verify accepts: each run alone says PASS, and only
 * the comparison between runs shows the kernel wrong. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parkit/kernel.h"

#define NAIVE_BIG 0x1p53

static double element(uint64_t i) { return i == 0 ? NAIVE_BIG : 1.0; }

static void naive_identity(void *result) { memset(result, 0, sizeof(double)); }

static void naive_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    double s = 0.0;
    for (uint64_t i = lo; i < hi; i++) s += element(i);
    memcpy(out, &s, sizeof s);
}

/* the planted mistake: a rounded addition where the kit's contract asks for an exact combine */
static void naive_combine(void *acc, const void *part)
{
    double a, b;
    memcpy(&a, acc, sizeof a);
    memcpy(&b, part, sizeof b);
    a += b;
    memcpy(acc, &a, sizeof a);
}

static double result_value(const void *result)
{
    double v;
    memcpy(&v, result, sizeof v);
    return v;
}

static int naive_verify(const pk_job *job, const void *result, char *why, size_t whylen)
{
    double exact = NAIVE_BIG + (double)(job->n ? job->n - 1 : 0), got = result_value(result);
    double tolerance = (double)job->n; /* each element lost at most once in rounding */
    int ok = job->n > 0 && fabs(got - exact) <= tolerance;
    snprintf(why, whylen, "|%.17g - %.17g| %s %.17g", got, exact, ok ? "<=" : "EXCEEDS", tolerance);
    return ok;
}

static void naive_report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    pk_report_num(r, "result", "%.17g", result_value(result)); /* %.17g: one text per double */
}

static pk_work naive_work(const pk_job *job, const void *result)
{
    (void)result;
    pk_work w = {0};
    w.elements = (double)job->n;
    return w;
}

const pk_kernel pk_kernel_naivesum = {
    .name = "naivesum",
    .summary = "test fixture: a double sum combined with plain addition (result depends on the worker count)",
    .default_n = 1000,
    .max_n = (uint64_t)1 << 40,
    .test_n = 1000,
    .block = 1,
    .result_size = sizeof(double),
    .opts = {{NULL, NULL, NULL, NULL}},
    .identity = naive_identity,
    .partial = naive_partial,
    .combine = naive_combine,
    .verify = naive_verify,
    .report = naive_report,
    .work = naive_work,
};
