/* The stock result types of kernel.h: one exact sum each, with its report's "result" text. */
#include <inttypes.h>
#include <stdint.h>

#include "parkit/kernel.h"
#include "parkit/u128.h"
#include "parkit/xsum.h"

static void u64_combine(void *acc, const void *part) { *(uint64_t *)acc += *(const uint64_t *)part; }
static void u64_report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    pk_report_num(r, "result", "%" PRIu64, *(const uint64_t *)result);
}
const pk_reducer pk_sum_u64 = {"pk_sum_u64", sizeof(uint64_t), u64_combine, u64_report};

static void u128_combine(void *acc, const void *part) { *(pk_u128 *)acc += *(const pk_u128 *)part; }
static void u128_report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    char text[48];
    pk_u128_to_string(*(const pk_u128 *)result, text, sizeof text);
    pk_report_num(r, "result", "%s", text); /* exact in the text even past 2^64 */
}
const pk_reducer pk_sum_u128 = {"pk_sum_u128", sizeof(pk_u128), u128_combine, u128_report};

static void double_combine(void *acc, const void *part) { pk_xsum_add_xsum(acc, part); }
static void double_report(const pk_job *job, const void *result, pk_report *r)
{
    (void)job;
    pk_report_num(r, "result", "%.17g", pk_xsum_round(result)); /* 17 digits: the double, exactly */
}
const pk_reducer pk_sum_double = {"pk_sum_double", sizeof(pk_xsum), double_combine, double_report};
