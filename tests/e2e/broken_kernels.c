/* Kernels that break the kit's contract, one flaw each, for the end-to-end tests: each program must
 * stop at start-up with one line naming the field and exit 5 (PK_EXIT_KERNEL), before any work, on
 * threads and under mpiexec alike (not a SIGSEGV, a wrong PASS, or a rate of nothing). Built with
 * parkit_add_kernel(NAME SOURCES broken_kernels.c SYMBOL pk_kernel_NAME); never installed. */
#include <stdio.h>

#include "parkit/kernel.h"

PK_KERNEL_RESULT(uint64_t);

/* each flaw is the sound kernel with one field overridden: that is the point, not a slip */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif

static void count(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    *result_of(out) = hi - lo;
}

static int verify(const pk_job *job, const void *result, char *why, size_t len)
{
    snprintf(why, len, "%llu elements counted", (unsigned long long)*cresult_of(result));
    return *cresult_of(result) == job->n ? PK_PASS : PK_FAIL;
}

static void add(void *acc, const void *part) { *result_of(acc) += *cresult_of(part); }

static void report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    pk_report_num(r, "result", "%llu", (unsigned long long)*cresult_of(result));
}

static int set_nothing(void *params, const char *value, char *err, size_t errlen)
{
    (void)params, (void)value, (void)err, (void)errlen;
    return 0;
}

#define SOUND .summary = "test fixture: a kernel with one flaw", .default_n = 1000, .block = 64, \
              .reducer = &pk_sum_u64, .partial = count, .verify = verify

/* the sound kernel itself, to show the flaws are the only difference */
const pk_kernel pk_kernel_sound = {.name = "sound", SOUND};
const pk_kernel pk_kernel_nopartial = {.name = "nopartial", SOUND, .partial = NULL};
const pk_kernel pk_kernel_noverify = {.name = "noverify", SOUND, .verify = NULL};
const pk_kernel pk_kernel_nosize = {.name = "nosize", SOUND, .reducer = NULL, .combine = add, .report = report};
const pk_kernel pk_kernel_zeroblock = {.name = "zeroblock", SOUND, .block = 0};
const pk_kernel pk_kernel_misnamed = {.name = "sound", SOUND}; /* built as parkit_add_kernel(misnamed) */
const pk_kernel pk_kernel_optclash = {.name = "optclash", SOUND, .opts = {{"n", "N", "shadows the kit's --n", set_nothing}}};
