// The sum kernel: exact for every n, edge sizes, the honest range loop near 2^64, the array source.
#include <gtest/gtest.h>
#include <cstdint>
#include <cstring>
#include <string>
#include "parkit/kernels.h"
#include "parkit/partition.h"
#include "parkit/u128.h"

namespace {
const pk_kernel *sum() { return pk_kernel_find("sum"); }

std::string text(pk_u128 v)
{
    char buf[48];
    return pk_u128_to_string(v, buf, sizeof buf);
}

// Result of the kernel over [lo, hi) as one partial (range source).
pk_u128 partial(uint64_t lo, uint64_t hi)
{
    pk_params params;
    std::memset(&params, 0, sizeof params);
    sum()->defaults(&params);
    pk_job job = {hi, &params, nullptr, 0, 0, nullptr, nullptr};
    pk_result r;
    sum()->partial(&job, lo, hi, &r);
    pk_u128 v;
    std::memcpy(&v, r.bytes, sizeof v);
    return v;
}

pk_u128 naive(uint64_t lo, uint64_t hi)
{
    pk_u128 s = 0;
    for (uint64_t i = lo; i < hi; i++) s += i;
    return s;
}

std::string run_serial(uint64_t n, const char *source)
{
    const pk_kernel *k = sum();
    pk_params params;
    std::memset(&params, 0, sizeof params);
    k->defaults(&params);
    char err[256];
    EXPECT_EQ(k->opts[0].set(&params, source, err, sizeof err), 0);
    EXPECT_EQ(k->finish(&params, &n, 1, err, sizeof err), 0) << err;
    pk_job job = {n, &params, nullptr, 0, n, nullptr, nullptr};
    EXPECT_EQ(k->setup(&job, err, sizeof err), 0) << err;
    uint64_t blocks = pk_block_count(n, k->block);
    pk_touch_serial(k, &job, 0, blocks);
    pk_result r;
    pk_compute_serial(k, &job, 0, blocks, &r);
    char why[256];
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 1) << why;
    char buf[128];
    pk_result_text(k, &job, &r, buf, sizeof buf);
    k->teardown(&job);
    return buf;
}
} // namespace

TEST(U128, Triangular)
{
    EXPECT_EQ(text(pk_triangular(0)), "0");
    EXPECT_EQ(text(pk_triangular(1)), "0");
    EXPECT_EQ(text(pk_triangular(2)), "1");
    EXPECT_EQ(text(pk_triangular(10)), "45");
    EXPECT_EQ(text(pk_triangular(10000000000ull)), "49999999995000000000");
    // (2^64-1)(2^64-2)/2 = 170141183460469231704017187605319778305 (checked with Python's big ints)
    EXPECT_EQ(text(pk_triangular(UINT64_MAX)), "170141183460469231704017187605319778305");
    EXPECT_EQ(text(pk_triangular(1ull << 32)), "9223372034707292160");
}

TEST(U128, ToStringEdges)
{
    EXPECT_EQ(text(0), "0");
    pk_u128 max = ~(pk_u128)0;
    EXPECT_EQ(text(max), "340282366920938463463374607431768211455");
}

TEST(SumKernel, EdgeSizes)
{
    EXPECT_EQ(run_serial(0, "range"), "0");
    EXPECT_EQ(run_serial(1, "range"), "0");
    EXPECT_EQ(run_serial(2, "range"), "1");
    EXPECT_EQ(run_serial(3, "range"), "3");
    EXPECT_EQ(run_serial(100, "range"), "4950");
}

TEST(SumKernel, PartialMatchesNaiveLoop)
{
    // every tail length of the 4-accumulator vector loop, at several starting points
    for (uint64_t lo : {0ull, 1ull, 7ull, 1000003ull, (1ull << 32) - 5})
        for (uint64_t len = 0; len < 80; len++)
            ASSERT_EQ(text(partial(lo, lo + len)), text(naive(lo, lo + len))) << "lo=" << lo << " len=" << len;
}

TEST(SumKernel, Near2To64)
{
    // values close to 2^64: every 64-bit lane wraps, the exact result must not
    uint64_t hi = UINT64_MAX, lo = UINT64_MAX - 1000;
    EXPECT_EQ(text(partial(lo, hi)), text(naive(lo, hi)));
    EXPECT_EQ(text(partial(hi - (1u << 20), hi)), text(naive(hi - (1u << 20), hi)));
    // the closed form over [0, 2^64-1) minus the sum below lo equals the partial at the top
    EXPECT_EQ(text(pk_triangular(UINT64_MAX) - pk_triangular(lo)), text(partial(lo, hi)));
}

TEST(SumKernel, TwoTo32AndBeyond)
{
    uint64_t n = (1ull << 32) + 3;
    // one full block at the 2^32 boundary, exact against the naive 128-bit loop
    EXPECT_EQ(text(partial(n - (1u << 20), n)), text(naive(n - (1u << 20), n)));
    EXPECT_EQ(run_serial(1ull << 24, "range"), text(pk_triangular(1ull << 24)));
    // the whole of n = 2^32 (4096 blocks), serially: the answer needs 63 bits
    EXPECT_EQ(run_serial(1ull << 32, "range"), "9223372034707292160");
}

TEST(SumKernel, TenToTheTenBlocksAddUp)
{
    // 10^10 is too slow for a unit test serially; the sum of the first and last blocks and a
    // middle one checks the 128-bit recovery where it matters (results above 2^64).
    const uint64_t n = 10000000000ull, block = sum()->block;
    uint64_t blocks = pk_block_count(n, block);
    pk_range last = pk_block_range(n, block, blocks - 1);
    EXPECT_EQ(text(partial(last.lo, last.hi)), text(naive(last.lo, last.hi)));
    EXPECT_EQ(text(pk_triangular(n) - pk_triangular(last.lo)), text(partial(last.lo, last.hi)));
}

TEST(SumKernel, ArraySourceSameAnswer)
{
    for (uint64_t n : {0ull, 1ull, 2ull, 1000ull, 3ull * (1u << 20) + 17})
        EXPECT_EQ(run_serial(n, "array"), run_serial(n, "range")) << "n=" << n;
}

TEST(SumKernel, RejectsUnknownSourceAndHugeArray)
{
    const pk_kernel *k = sum();
    pk_params params;
    std::memset(&params, 0, sizeof params);
    k->defaults(&params);
    char err[256] = "";
    EXPECT_EQ(k->opts[0].set(&params, "disk", err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("range or array"), std::string::npos);
    ASSERT_EQ(k->opts[0].set(&params, "array", err, sizeof err), 0);
    uint64_t n = (1ull << 40) + 1;
    EXPECT_EQ(k->finish(&params, &n, 1, err, sizeof err), -1);
}

TEST(SumKernel, VerifyCatchesAWrongAnswer)
{
    const pk_kernel *k = sum();
    pk_params params;
    std::memset(&params, 0, sizeof params);
    k->defaults(&params);
    pk_job job = {100, &params, nullptr, 0, 100, nullptr, nullptr};
    pk_result r;
    k->identity(&r);
    pk_u128 wrong = 4951;
    std::memcpy(r.bytes, &wrong, sizeof wrong);
    char why[256];
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("4950"), std::string::npos) << why;
}
