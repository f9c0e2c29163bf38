// pk_kernel_resolve: every mandatory field is checked (one line naming it), optional ones get their
// documented defaults, and the stock reducers combine and print exactly.
#include <gtest/gtest.h>
#include <cstring>
#include <string>
#include "parkit/kernels.h"
#include "parkit/program.h"
#include "parkit/u128.h"
#include "parkit/xsum.h"

namespace {
void count(const pk_job *, uint64_t lo, uint64_t hi, void *out) { *static_cast<uint64_t *>(out) = hi - lo; }
int verify(const pk_job *, const void *, char *, size_t) { return PK_PASS; }
void add(void *a, const void *b) { *static_cast<uint64_t *>(a) += *static_cast<const uint64_t *>(b); }
void report(const pk_job *, const void *, pk_report *) {}
int set(void *, const char *, char *, size_t) { return 0; }
int setup(pk_job *, char *, size_t) { return 0; }

pk_kernel sound()
{
    pk_kernel k;
    std::memset(&k, 0, sizeof k);
    k.name = "tiny";
    k.summary = "a test kernel";
    k.block = 64;
    k.reducer = &pk_sum_u64;
    k.partial = count;
    k.verify = verify;
    return k;
}

// The resolve verdict: "" when it passes, else its error line.
std::string check(const pk_kernel &k, const char *expected = nullptr)
{
    pk_kernel out;
    char err[512] = "";
    int rc = pk_kernel_resolve(&k, expected, &out, err, sizeof err);
    EXPECT_EQ(rc == 0, err[0] == '\0') << err;
    return err;
}
}  // namespace

TEST(KernelCheck, SoundKernelGetsItsDefaults)
{
    pk_kernel k = sound(), out;
    char err[256] = "";
    ASSERT_EQ(pk_kernel_resolve(&k, "tiny", &out, err, sizeof err), 0) << err;
    EXPECT_EQ(out.result_size, sizeof(uint64_t));
    EXPECT_EQ(out.combine, pk_sum_u64.combine);
    EXPECT_EQ(out.report, pk_sum_u64.report);
    EXPECT_EQ(out.max_n, UINT64_MAX);
    EXPECT_EQ(out.test_n, 5u * 64 + 3);
    ASSERT_NE(out.identity, nullptr);
    pk_result r;
    std::memset(&r, 0xAB, sizeof r);
    out.identity(&r);
    for (unsigned char b : r.bytes) ASSERT_EQ(b, 0) << "the default identity is a zeroed result";
    ASSERT_NE(out.work, nullptr);
    pk_job job = {12345, nullptr, nullptr, 0, 0, nullptr, nullptr};
    pk_work w = out.work(&job, &r);
    EXPECT_EQ(w.elements, 12345.0);
    EXPECT_EQ(w.flops, 0.0);
}

TEST(KernelCheck, OwnFieldsWinOverTheReducer)
{
    pk_kernel k = sound();
    k.combine = add;
    k.report = report;
    pk_kernel out;
    char err[256];
    ASSERT_EQ(pk_kernel_resolve(&k, nullptr, &out, err, sizeof err), 0) << err;
    EXPECT_EQ(out.combine, add);
    EXPECT_EQ(out.report, report);
}

TEST(KernelCheck, EachMissingMandatoryFieldIsNamed)
{
    pk_kernel k = sound();
    k.name = nullptr;
    EXPECT_NE(check(k).find(".name is missing"), std::string::npos);
    k = sound(), k.name = "Bad-Name";
    EXPECT_NE(check(k).find(".name must be"), std::string::npos);
    k = sound();
    EXPECT_NE(check(k, "other").find(".name does not match the program it was built as (parkit_add_kernel(other))"),
              std::string::npos);
    k = sound(), k.summary = nullptr;
    EXPECT_NE(check(k).find(".summary is missing"), std::string::npos);
    k = sound(), k.block = 0;
    EXPECT_NE(check(k).find(".block is 0"), std::string::npos);
    k = sound(), k.partial = nullptr;
    EXPECT_NE(check(k).find(".partial is missing"), std::string::npos);
    k = sound(), k.verify = nullptr;
    EXPECT_NE(check(k).find(".verify is missing"), std::string::npos);
    k = sound(), k.reducer = nullptr, k.combine = add, k.report = report;
    EXPECT_NE(check(k).find(".result_size is 0"), std::string::npos);
    k = sound(), k.reducer = nullptr, k.result_size = 8, k.report = report;
    EXPECT_NE(check(k).find(".combine is missing"), std::string::npos);
    k = sound(), k.reducer = nullptr, k.result_size = 8, k.combine = add;
    EXPECT_NE(check(k).find(".report is missing"), std::string::npos);
    k = sound(), k.result_size = PK_RESULT_MAX + 1;
    EXPECT_NE(check(k).find("over PK_RESULT_MAX"), std::string::npos);
    k = sound(), k.result_size = 16;
    EXPECT_NE(check(k).find("differs from its reducer pk_sum_u64's 8 bytes"), std::string::npos);
    k = sound(), k.setup = setup;
    EXPECT_NE(check(k).find(".teardown is missing"), std::string::npos);
    k = sound(), k.default_n = 100, k.max_n = 10;
    EXPECT_NE(check(k).find(".default_n 100 is over its .max_n 10"), std::string::npos);
    k = sound(), k.opts[0] = pk_kernel_opt{"depth", "D", "a depth", nullptr};
    EXPECT_NE(check(k).find("option --depth has no .set function"), std::string::npos);
    k = sound(), k.opts[0] = pk_kernel_opt{"depth", "D", "a depth", set};
    EXPECT_EQ(check(k), "");
}

TEST(KernelCheck, NoKernelAtAll)
{
    pk_kernel out;
    char err[256] = "";
    EXPECT_EQ(pk_kernel_resolve(nullptr, nullptr, &out, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("no kernel"), std::string::npos);
}

TEST(KernelCheck, TheCatalogIsResolved)
{
    for (size_t i = 0; i < pk_kernel_count(); i++) {
        const pk_kernel *k = pk_kernel_at(i);
        ASSERT_NE(k, nullptr);
        EXPECT_NE(k->identity, nullptr) << k->name;
        EXPECT_NE(k->combine, nullptr) << k->name;
        EXPECT_NE(k->report, nullptr) << k->name;
        EXPECT_NE(k->work, nullptr) << k->name;
        EXPECT_GT(k->result_size, 0u) << k->name;
    }
}

TEST(StockReducers, SumsAreExactAndPrintTheirValue)
{
    pk_report r;
    pk_job job = {1, nullptr, nullptr, 0, 0, nullptr, nullptr};
    uint64_t a = 40, b = 2;
    pk_sum_u64.combine(&a, &b);
    EXPECT_EQ(a, 42u);
    pk_report_init(&r, nullptr);
    pk_sum_u64.report(&job, &a, &r);
    EXPECT_STREQ(pk_report_get(&r, "result")->text, "42");

    pk_u128 x = (pk_u128)UINT64_MAX, y = (pk_u128)UINT64_MAX; // past 2^64
    pk_sum_u128.combine(&x, &y);
    pk_report_init(&r, nullptr);
    pk_sum_u128.report(&job, &x, &r);
    EXPECT_STREQ(pk_report_get(&r, "result")->text, "36893488147419103230");

    // 1e16 + 1 - 1e16 in doubles is 0; exactly it is 1, in either order of combining
    pk_xsum s1, s2, s3;
    pk_xsum_zero(&s1), pk_xsum_zero(&s2), pk_xsum_zero(&s3);
    pk_xsum_add(&s1, 1e16);
    pk_xsum_add(&s2, 1.0);
    pk_xsum_add(&s3, -1e16);
    pk_sum_double.combine(&s1, &s2);
    pk_sum_double.combine(&s1, &s3);
    pk_report_init(&r, nullptr);
    pk_sum_double.report(&job, &s1, &r);
    EXPECT_STREQ(pk_report_get(&r, "result")->text, "1");
}
