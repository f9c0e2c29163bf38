// The pi kernel: edge sizes, the derived error bound for several n, exact combine, determinism.
#include <gtest/gtest.h>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include "parkit/kernels.h"
#include "parkit/partition.h"
#include "parkit/xsum.h"

namespace {
const pk_kernel *pi() { return pk_kernel_find("pi"); }

struct PiRun {
    pk_params params;
    pk_job job;
    pk_result result;
    std::string text, why;
    int verified = 0;
    double estimate = 0, bound = 0;
};

// The whole run, serially, block by block (the reference the parallel models are compared with).
PiRun run_serial(uint64_t n)
{
    PiRun r;
    const pk_kernel *k = pi();
    std::memset(&r.params, 0, sizeof r.params);
    r.job = {n, &r.params, nullptr, 0, n, nullptr, nullptr};
    pk_compute_serial(k, &r.job, 0, pk_block_count(n, k->block), &r.result);
    char buf[512];
    pk_result_text(k, &r.job, &r.result, buf, sizeof buf);
    r.text = buf;
    r.estimate = std::strtod(buf, nullptr);
    r.verified = k->verify(&r.job, &r.result, buf, sizeof buf);
    r.why = buf;
    pk_report rep;
    pk_report_init(&rep, nullptr);
    k->report(&r.job, &r.result, &rep);
    if (const pk_field *f = pk_report_get(&rep, "error_bound")) r.bound = std::strtod(f->text, nullptr);
    return r;
}

// The midpoint sum by a different route: long double terms, compensated summation.
long double reference_estimate(uint64_t n)
{
    long double s = 0, c = 0, h = 1.0L / n;
    for (uint64_t i = 0; i < n; i++) {
        long double x = (i + 0.5L) * h, y = 4.0L / (1.0L + x * x) - c, t = s + y;
        c = (t - s) - y;
        s = t;
    }
    return s / n;
}
} // namespace

TEST(PiKernel, Registered)
{
    ASSERT_NE(pi(), nullptr);
    EXPECT_LE(pi()->result_size, sizeof(pk_result));
}

TEST(PiKernel, ZeroIntervalsIsAUsageError)
{
    pk_params params;
    std::memset(&params, 0, sizeof params);
    uint64_t n = 0;
    char err[256] = "";
    EXPECT_EQ(pi()->finish(&params, &n, 1, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("at least one interval"), std::string::npos) << err;
    n = 1;
    EXPECT_EQ(pi()->finish(&params, &n, 1, err, sizeof err), 0);
    // the pieces still behave on an empty range: an empty partial is the identity
    pk_job job = {0, &params, nullptr, 0, 0, nullptr, nullptr};
    pk_result a, b;
    pi()->identity(&a);
    pi()->partial(&job, 0, 0, &b);
    EXPECT_EQ(std::memcmp(&a, &b, pi()->result_size), 0);
    char why[256];
    EXPECT_EQ(pi()->verify(&job, &a, why, sizeof why), 0) << why;
}

TEST(PiKernel, EdgeSizes)
{
    PiRun one = run_serial(1); // one interval: 4 / (1 + 1/4) = 3.2 exactly
    EXPECT_EQ(one.estimate, 3.2);
    EXPECT_EQ(one.verified, 1) << one.why;
    PiRun two = run_serial(2); // (4/(1+1/16) + 4/(1+9/16)) / 2
    EXPECT_NEAR(two.estimate, (64.0 / 17 + 64.0 / 25) / 2, 1e-15);
    EXPECT_EQ(two.verified, 1) << two.why;
    for (uint64_t n : {uint64_t(3), uint64_t(31), uint64_t(32), uint64_t(33), uint64_t(1000), pi()->block - 1,
                       pi()->block, pi()->block + 1}) {
        PiRun r = run_serial(n);
        EXPECT_EQ(r.verified, 1) << "n=" << n << ": " << r.why;
    }
}

TEST(PiKernel, ErrorBoundHoldsAndIsDerived)
{
    for (uint64_t n : {1ull, 2ull, 5ull, 10ull, 100ull, 1000ull, 12345ull, 100000ull, 1000000ull, 10000000ull}) {
        PiRun r = run_serial(n);
        double err = std::fabs(r.estimate - M_PI);
        double d = 1.0 / (3.0 * (double)n * (double)n); // the discretization part of the bound
        EXPECT_EQ(r.verified, 1) << "n=" << n << ": " << r.why;
        EXPECT_LE(err, r.bound) << "n=" << n;
        EXPECT_GE(r.bound * (1 + 1e-3), d) << "n=" << n; // (the report prints the bound to 4 digits)
        // the bound is not a loose epsilon: where discretization dominates it is within a factor 8
        // of the true midpoint error ((f'(1) - f'(0)) / (24 n^2) = 1/(12 n^2) to leading order)
        if (n >= 10 && n <= 1000) {
            EXPECT_GE(err, r.bound / 8) << "n=" << n;
        }
        // and where rounding dominates the actual error is far below it
        if (n >= 10000000) {
            EXPECT_LT(err, 1e-14) << "n=" << n;
        }
    }
}

TEST(PiKernel, AgreesWithAnExtendedPrecisionReference)
{
    for (uint64_t n : {7ull, 65536ull + 3, 300001ull}) {
        PiRun r = run_serial(n);
        long double ref = reference_estimate(n);
        EXPECT_LE(std::fabs((double)(r.estimate - ref)), r.bound) << "n=" << n;
        EXPECT_LE(std::fabs((double)(r.estimate - ref)), 1e-14) << "n=" << n;
    }
}

TEST(PiKernel, HugeNLastBlock)
{
    // the largest n: midpoints i + 0.5 near 2^52 are still exact, the terms near f(1) = 2
    const uint64_t n = pi()->max_n, lo = n - 1000;
    pk_params params;
    std::memset(&params, 0, sizeof params);
    pk_job job = {n, &params, nullptr, 0, n, nullptr, nullptr};
    pk_result r;
    pi()->partial(&job, lo, n, &r);
    long double want = 0;
    for (uint64_t i = lo; i < n; i++) {
        long double x = (i + 0.5L) / n;
        want += 4.0L / (1.0L + x * x);
    }
    double got = pk_xsum_round(reinterpret_cast<const pk_xsum *>(r.bytes));
    EXPECT_NEAR(got, (double)want, 1e-12);
    EXPECT_NEAR(got, 2000.0, 1e-9);
}

TEST(PiKernel, VerifyCatchesAWrongAnswer)
{
    PiRun r = run_serial(1000000);
    ASSERT_EQ(r.verified, 1);
    // add n * 1e-11 to the exact sum: the estimate moves by 1e-11, far beyond the ~7e-13 bound
    pk_result wrong = r.result;
    pk_xsum *sum = reinterpret_cast<pk_xsum *>(wrong.bytes);
    pk_xsum_add(sum, 1000000 * 1e-11);
    char why[256];
    EXPECT_EQ(pi()->verify(&r.job, &wrong, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("EXCEEDS"), std::string::npos) << why;
}

TEST(PiKernel, WorkCounts)
{
    pk_params params;
    std::memset(&params, 0, sizeof params);
    pk_job job = {1000, &params, nullptr, 0, 1000, nullptr, nullptr};
    pk_work w = pi()->work(&job, nullptr);
    EXPECT_EQ(w.elements, 1000.0);
    EXPECT_EQ(w.flops, 5000.0);
}
