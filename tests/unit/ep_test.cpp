// The ep kernel (NPB EP): the generator's skip-ahead against plain stepping in an independent
// (double-precision, NPB-style) arithmetic, class S against NPB's published values and counts,
// partials against a literal scalar reference, edge sizes, options, determinism.
#include <gtest/gtest.h>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include "parkit/kernels.h"
#include "parkit/partition.h"

extern "C" {
uint64_t pk_ep_lcg_power(uint64_t a, uint64_t k); // a^k mod 2^46 (common/kernels/ep.c)
uint64_t pk_ep_lcg_state(uint64_t steps);         // the LCG state after `steps` steps from the seed
}

namespace {
const pk_kernel *ep() { return pk_kernel_find("ep"); }

const double kA = 1220703125.0, kSeed = 271828183.0;

// x = a * x mod 2^46 in doubles, splitting both factors into 23-bit halves so that every product
// is exact (NPB's way; written independently of the kernel's 64-bit integer arithmetic).
double mul46(double a, double x)
{
    const double t23 = 8388608.0, r23 = 1.0 / t23, t46 = t23 * t23, r46 = r23 * r23;
    double a_hi = std::floor(r23 * a), a_lo = a - t23 * a_hi;
    double x_hi = std::floor(r23 * x), x_lo = x - t23 * x_hi;
    double mid = a_hi * x_lo + a_lo * x_hi; // < 2^47: exact
    double mid_lo = mid - t23 * std::floor(r23 * mid);
    double full = t23 * mid_lo + a_lo * x_lo; // < 2^46 + 2^46: exact
    return full - t46 * std::floor(r46 * full);
}

// The state after `steps` steps by binary powering in the same double arithmetic.
double reference_state(uint64_t steps)
{
    double x = kSeed, a = kA;
    for (; steps; steps >>= 1) {
        if (steps & 1) x = mul46(a, x);
        a = mul46(a, a);
    }
    return x;
}

struct EpValues {
    double sx = 0, sy = 0, abs_sum = 0;
    uint64_t q[10] = {0};
};

// NPB EP's loop, literally, over pairs [lo, hi), one pair at a time, summing in pair order.
EpValues reference_ep(uint64_t lo, uint64_t hi)
{
    EpValues v;
    double x = reference_state(2 * lo);
    for (uint64_t p = lo; p < hi; p++) {
        x = mul46(kA, x);
        double x1 = 2.0 * (x * 0x1p-46) - 1.0;
        x = mul46(kA, x);
        double x2 = 2.0 * (x * 0x1p-46) - 1.0;
        double t1 = x1 * x1 + x2 * x2;
        if (t1 <= 1.0 && t1 > 0.0) {
            double t2 = std::sqrt(-2.0 * std::log(t1) / t1);
            double t3 = x1 * t2, t4 = x2 * t2;
            int l = (int)std::fmax(std::fabs(t3), std::fabs(t4));
            v.q[l < 9 ? l : 9]++;
            v.sx += t3;
            v.sy += t4;
            v.abs_sum += std::fabs(t3) + std::fabs(t4);
        }
    }
    return v;
}

EpValues parse(const std::string &text)
{
    EpValues v;
    int used = std::sscanf(text.c_str(),
                           "sx=%lf sy=%lf q=%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
                           " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
                           &v.sx, &v.sy, &v.q[0], &v.q[1], &v.q[2], &v.q[3], &v.q[4], &v.q[5], &v.q[6], &v.q[7],
                           &v.q[8], &v.q[9]);
    EXPECT_EQ(used, 12) << text;
    return v;
}

struct EpJob {
    pk_params params;
    pk_job job;
    EpJob(uint64_t n)
    {
        std::memset(&params, 0, sizeof params);
        ep()->defaults(&params);
        job = {n, &params, nullptr, 0, n, nullptr, nullptr};
    }
    std::string text(const pk_result &r)
    {
        char buf[PK_REPORT_MAX_TEXT];
        pk_result_text(ep(), &job, &r, buf, sizeof buf);
        return buf;
    }
    std::string field(const pk_result &r, const char *key)
    {
        pk_report rep;
        pk_report_init(&rep, nullptr);
        ep()->report(&job, &r, &rep);
        if (ep()->describe) ep()->describe(&job, &rep);
        const pk_field *f = pk_report_get(&rep, key);
        return f ? f->text : "";
    }
    pk_result partial(uint64_t lo, uint64_t hi)
    {
        pk_result r;
        ep()->partial(&job, lo, hi, &r);
        return r;
    }
    pk_result serial()
    {
        pk_result r;
        pk_compute_serial(ep(), &job, 0, pk_block_count(job.n, ep()->block), &r);
        return r;
    }
    int verify(const pk_result &r, std::string *why = nullptr)
    {
        char buf[512] = "";
        int ok = ep()->verify(&job, &r, buf, sizeof buf);
        if (why) *why = buf;
        return ok;
    }
};

// Options, as the driver applies them: set each, then finish.
int configure(pk_params *params, const char *cls, uint64_t *n, int n_given, std::string *err)
{
    std::memset(params, 0, sizeof *params);
    ep()->defaults(params);
    char buf[256] = "";
    int rc = 0;
    if (cls) rc = ep()->opts[0].set(params, cls, buf, sizeof buf);
    if (rc == 0) rc = ep()->finish(params, n, n_given, buf, sizeof buf);
    if (err) *err = buf;
    return rc;
}
} // namespace

TEST(EpGenerator, SkipAheadEqualsStepping)
{
    EXPECT_EQ(pk_ep_lcg_power(1220703125ull, 0), 1u);
    EXPECT_EQ(pk_ep_lcg_power(1220703125ull, 1), 1220703125ull);
    // step by step in the independent double arithmetic, against the integer skip-ahead
    double x = kSeed;
    for (uint64_t k = 0; k <= 3 * 131072 + 5; k++) {
        if (k < 3000 || k % 65536 < 3 || k % 65536 > 65533) {
            ASSERT_EQ((double)pk_ep_lcg_state(k), x) << "step " << k;
        }
        x = mul46(kA, x);
    }
    // far jumps: binary powering in double arithmetic, and composition of integer jumps
    for (uint64_t k : {1ull << 17, (1ull << 25) + 17, 1ull << 41, (1ull << 44) - 1, 1ull << 44}) {
        EXPECT_EQ((double)pk_ep_lcg_state(k), reference_state(k)) << "k=" << k;
        uint64_t half = k / 3;
        uint64_t composed = (pk_ep_lcg_state(half) * pk_ep_lcg_power(1220703125ull, k - half)) & ((1ull << 46) - 1);
        EXPECT_EQ(composed, pk_ep_lcg_state(k)) << "k=" << k;
    }
    // the period of a = 5^13 mod 2^46 is 2^44
    EXPECT_EQ(pk_ep_lcg_state(1ull << 44), pk_ep_lcg_state(0));
    EXPECT_NE(pk_ep_lcg_state(1ull << 43), pk_ep_lcg_state(0));
}

TEST(EpKernel, ClassSPassesNpbVerification)
{
    uint64_t n = 0;
    EpJob j(0);
    std::string err;
    ASSERT_EQ(configure(&j.params, "S", &n, 0, &err), 0) << err;
    ASSERT_EQ(n, 1ull << 24);
    j.job.n = j.job.data_hi = n;
    pk_result r = j.serial();
    std::string why;
    EXPECT_EQ(j.verify(r, &why), 1) << why;
    EXPECT_NE(why.find("class S"), std::string::npos) << why;
    // the counts NPB 3.3 prints for class S
    EpValues v = parse(j.text(r));
    const uint64_t npb_q[10] = {6140517, 5865300, 1100361, 68546, 1648, 17, 0, 0, 0, 0};
    for (int l = 0; l < 10; l++) EXPECT_EQ(v.q[l], npb_q[l]) << "q[" << l << "]";
    EXPECT_EQ(j.field(r, "gaussian_pairs"), "13176389");
    EXPECT_EQ(j.field(r, "class"), "S");
    EXPECT_NEAR(v.sx, -3.247834652034740e+3, 1e-8 * 3.3e3);
    EXPECT_NEAR(v.sy, -6.958407078382297e+3, 1e-8 * 7e3);
    // a wrong answer fails: the run counted twice
    pk_result twice = r;
    ep()->combine(&twice, &r);
    EXPECT_EQ(j.verify(twice, &why), 0) << why;
}

TEST(EpKernel, PartialsMatchTheLiteralNpbLoop)
{
    const uint64_t b = ep()->block;
    struct {
        uint64_t lo, hi;
    } ranges[] = {{0, 1}, {0, 7}, {0, 1000}, {0, b}, {3 * b, 3 * b + 12345}, {5 * b + 511, 5 * b + 513},
                  {1000, 1000 + 8 * 512 + 3}, {(1ull << 30) + 17, (1ull << 30) + 5000},
                  {(1ull << 40) - 3000, 1ull << 40}}; // the end of the largest n (class E)
    for (auto rg : ranges) {
        EpJob j(rg.hi);
        EpValues got = parse(j.text(j.partial(rg.lo, rg.hi))), want = reference_ep(rg.lo, rg.hi);
        for (int l = 0; l < 10; l++) EXPECT_EQ(got.q[l], want.q[l]) << "[" << rg.lo << "," << rg.hi << ") q" << l;
        // only the summation order differs: well within the worst-case bound n u sum|t|
        double tol = 1e-12 * want.abs_sum + 1e-300;
        EXPECT_NEAR(got.sx, want.sx, tol) << "[" << rg.lo << "," << rg.hi << ")";
        EXPECT_NEAR(got.sy, want.sy, tol) << "[" << rg.lo << "," << rg.hi << ")";
    }
}

TEST(EpKernel, EdgeSizes)
{
    for (uint64_t n : {uint64_t(0), uint64_t(1), uint64_t(2), uint64_t(1000), ep()->block - 1, ep()->block + 1}) {
        EpJob j(n);
        uint64_t nn = n;
        std::string err;
        ASSERT_EQ(configure(&j.params, nullptr, &nn, 1, &err), 0) << err;
        pk_result r = j.serial();
        std::string why;
        EXPECT_EQ(j.verify(r, &why), 1) << "n=" << n << ": " << why;
        EXPECT_NE(why.find("statistical"), std::string::npos) << why;
        EXPECT_EQ(j.field(r, "class"), "none");
        EpValues got = parse(j.text(r)), want = reference_ep(0, n);
        for (int l = 0; l < 10; l++) EXPECT_EQ(got.q[l], want.q[l]) << "n=" << n;
        EXPECT_NEAR(got.sx, want.sx, 1e-12 * want.abs_sum + 1e-300);
    }
    EpJob empty(0);
    EXPECT_EQ(empty.text(empty.serial()), "sx=0 sy=0 q=0 0 0 0 0 0 0 0 0 0");
}

TEST(EpKernel, ClassOption)
{
    pk_params params;
    uint64_t n = 0;
    std::string err;
    for (const char *bad : {"Z", "", "AA", "s ", "F", "1"}) {
        n = 0;
        EXPECT_EQ(configure(&params, bad, &n, 0, &err), -1) << bad;
        EXPECT_NE(err.find("S, W, A, B, C"), std::string::npos) << err;
    }
    const struct {
        const char *name;
        int m;
    } classes[] = {{"S", 24}, {"W", 25}, {"A", 28}, {"B", 30}, {"C", 32}, {"D", 36}, {"E", 40}, {"a", 28}};
    for (auto c : classes) {
        n = 0;
        ASSERT_EQ(configure(&params, c.name, &n, 0, &err), 0) << c.name << ": " << err;
        EXPECT_EQ(n, 1ull << c.m) << c.name;
    }
    // --class with a matching --n is fine, with another --n a usage error
    n = 1ull << 28;
    EXPECT_EQ(configure(&params, "A", &n, 1, &err), 0) << err;
    n = 1000;
    EXPECT_EQ(configure(&params, "A", &n, 1, &err), -1);
    EXPECT_NE(err.find("conflicts with --class A"), std::string::npos) << err;
    // no option: class W; --n of a class size is that class
    n = ep()->default_n;
    ASSERT_EQ(configure(&params, nullptr, &n, 0, &err), 0);
    EXPECT_EQ(n, 1ull << 25);
    EpJob w(n), s(1ull << 24), none(1ull << 24 | 1);
    pk_result zero;
    ep()->identity(&zero);
    EXPECT_EQ(w.field(zero, "class"), "W");
    EXPECT_EQ(s.field(zero, "class"), "S");
    EXPECT_EQ(none.field(zero, "class"), "none");
}

TEST(EpKernel, WorkIsNpbMops)
{
    EpJob j(1ull << 24);
    pk_work w = ep()->work(&j.job, nullptr);
    EXPECT_EQ(w.elements, 16777216.0);
    EXPECT_EQ(w.ops, 33554432.0 / 1e6); // 2^(M+1) random numbers, in millions
    EXPECT_STREQ(w.ops_name, "mops");
}
