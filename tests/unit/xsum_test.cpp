// pk_xsum: exact accumulation of doubles, correct rounding, order independence, carries, specials.
#include <gtest/gtest.h>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>
#include "parkit/xsum.h"

namespace {
__extension__ typedef __int128 int128; // (exact integer sums: a GCC/Clang extension)

uint64_t bits_of(double x)
{
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

double xsum_of(const std::vector<double> &v)
{
    pk_xsum s;
    pk_xsum_zero(&s);
    for (double x : v) pk_xsum_add(&s, x);
    return pk_xsum_round(&s);
}

// Random doubles over (nearly) the whole exponent range, both signs, some subnormals.
std::vector<double> wide_values(std::mt19937_64 &rng, size_t count)
{
    std::vector<double> v;
    std::uniform_int_distribution<int> exp(-1074, 1000);
    std::uniform_real_distribution<double> mant(1.0, 2.0);
    for (size_t i = 0; i < count; i++) {
        double x = std::ldexp(mant(rng), exp(rng));
        v.push_back(rng() & 1 ? -x : x);
    }
    return v;
}
} // namespace

TEST(Xsum, ZeroedStructIsZero)
{
    pk_xsum s;
    std::memset(&s, 0, sizeof s);
    EXPECT_EQ(bits_of(pk_xsum_round(&s)), bits_of(0.0));
    EXPECT_LE(sizeof(pk_xsum), 400u); // two of them and more fit in a 1024-byte pk_result
}

TEST(Xsum, ExactWhereNaiveSummationIsWrong)
{
    // 1e100 + 1 - 1e100: naive gives 0
    volatile double naive = 1e100;
    naive = naive + 1.0;
    naive = naive - 1e100;
    EXPECT_EQ(naive, 0.0);
    EXPECT_EQ(xsum_of({1e100, 1.0, -1e100}), 1.0);
    EXPECT_EQ(xsum_of({1.0, 1e100, 1.0, -1e100}), 2.0);

    // many tiny values after a huge one: naive keeps 1.0, the exact sum is 1 + 2^-40
    std::vector<double> v{1.0};
    for (int i = 0; i < (1 << 20); i++) v.push_back(0x1p-60);
    EXPECT_EQ(xsum_of(v), 1.0 + 0x1p-40);

    // alternating signs over a wide range cancel exactly, leaving the small survivor
    std::mt19937_64 rng(42);
    std::vector<double> w = wide_values(rng, 5000), alt;
    for (double x : w) {
        alt.push_back(x);
        alt.push_back(-x);
    }
    alt.push_back(3.0e-300);
    std::shuffle(alt.begin(), alt.end(), rng);
    EXPECT_EQ(xsum_of(alt), 3.0e-300);
}

TEST(Xsum, Subnormals)
{
    const double tiny = std::numeric_limits<double>::denorm_min(); // 2^-1074
    std::vector<double> v(1000, tiny);
    EXPECT_EQ(xsum_of(v), 1000 * tiny);
    // subnormals adding up past the normal threshold, exactly
    const double min_normal = DBL_MIN, half = DBL_MIN / 2; // 2^-1023 is subnormal
    EXPECT_EQ(xsum_of({half, half}), min_normal);
    EXPECT_EQ(xsum_of({min_normal, -tiny}), std::nextafter(min_normal, 0.0));
    EXPECT_EQ(xsum_of({1.0, tiny, -1.0}), tiny);
    EXPECT_EQ(xsum_of({-tiny, -tiny}), -2 * tiny);
}

TEST(Xsum, CorrectRoundingTiesToEven)
{
    const double u = 0x1p-53;
    EXPECT_EQ(xsum_of({1.0, u}), 1.0);                             // tie, 1.0 is even
    EXPECT_EQ(xsum_of({1.0, u, 0x1p-200}), 1.0 + 0x1p-52);          // just above the tie
    EXPECT_EQ(xsum_of({1.0, u, -0x1p-200}), 1.0);                   // just below
    EXPECT_EQ(xsum_of({1.0 + 0x1p-52, u}), 1.0 + 0x1p-51);          // tie, odd rounds up
    EXPECT_EQ(xsum_of({-1.0 - 0x1p-52, -u}), -1.0 - 0x1p-51);       // same, negative
    EXPECT_EQ(xsum_of({0x1p60, 1.0, 0x1p-1000}), 0x1p60);          // far below: sticky only
    EXPECT_EQ(xsum_of({0x1p53, 1.0}), 0x1p53);                      // tie at a binade edge
    EXPECT_EQ(xsum_of({0x1p53, 1.0, 0x1p-1074}), 0x1p53 + 2.0);     // sticky from the lowest bit
}

TEST(Xsum, OneStickyBitRightBelowTheGuardBitRoundsUp)
{
    // Rounding keeps the top 53 bits of the exact sum; the next bit is the guard (half an ulp) and the
    // ones below it the sticky bits. Guard = 1 with exactly one sticky bit, the one right below the
    // guard (a quarter ulp), is above the tie and rounds up whatever the parity; guard = 1 alone is the
    // tie and goes to even. The sums are built from M = 2^e (1 + k 2^-52) (k = 0: even, 1: odd),
    // g = 2^(e-53) (the guard) and s = 2^(e-54) (the sticky bit), directly, through a borrow
    // (2g - s = g + s) and under a large value that cancels, with both signs, for every e that keeps
    // every term and the result normal: the guard and the sticky bit fall at every position inside
    // the 48-bit limbs and across their edges. Reference: the same terms as integer multiples of
    // 2^(e-54), summed exactly in int128 and converted to double by the compiler (correctly rounded,
    // ties to even), then scaled (exactly); and, stated directly, the rounded-up or even neighbour.
    int cases = 0;
    for (int e = -1020; e <= 1023; e++) {
        for (int k = 0; k <= 1; k++) {
            const int128 M = ((int128)1 << 54) + 4 * k, g = 2, s = 1, big = (int128)1 << 114;
            const std::vector<std::vector<int128>> sums = {
                {M, g, s}, {s, g, M}, {M, 2 * g, -s}, {-s, M, 2 * g}, {M, g}, {g, M}, {M, 2 * g, -g}};
            for (std::vector<int128> terms : sums) {
                const bool sticky = std::find(terms.begin(), terms.end(), s) != terms.end() ||
                                    std::find(terms.begin(), terms.end(), -s) != terms.end();
                if (e + 60 <= 1023) { // a large value that cancels around the rest
                    terms.insert(terms.begin(), big);
                    terms.push_back(-big);
                }
                for (int sign : {1, -1}) {
                    std::vector<double> v;
                    int128 exact = 0;
                    for (int128 m : terms) {
                        const int128 a = m < 0 ? -m : m;
                        v.push_back(sign * (m < 0 ? -1 : 1) * std::ldexp((double)a, e - 54)); // exact: <= 53 bits
                        exact += sign * m;
                    }
                    const double want = std::ldexp((double)exact, e - 54);
                    // rounded up (sticky, any parity) or to even (the tie: k = 0 stays, k = 1 goes up)
                    const double stated = sign * std::ldexp(1.0 + (sticky || k ? k + 1 : 0) * 0x1p-52, e);
                    ASSERT_EQ(bits_of(want), bits_of(stated)) << "reference, e=" << e << " k=" << k;
                    ASSERT_EQ(bits_of(xsum_of(v)), bits_of(want))
                        << "e=" << e << " k=" << k << " sign=" << sign << (sticky ? " guard+sticky" : " tie");
                    cases++;
                }
            }
        }
    }
    EXPECT_GT(cases, 50000);
}

TEST(Xsum, MatchesAnIndependentExactReference)
{
    // values k * 2^-30 with |k| < 2^52: their sum is exact in __int128, and converting an
    // __int128 to double rounds correctly; the scale 2^-30 is exact
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 50; trial++) {
        std::vector<double> v;
        int128 exact = 0;
        int count = 1 + (int)(rng() % 3000);
        for (int i = 0; i < count; i++) {
            int64_t k = (int64_t)(rng() >> 12) - ((int64_t)1 << 51);
            k >>= rng() % 40; // varied magnitudes
            v.push_back(std::ldexp((double)k, -30));
            exact += k;
        }
        double want = std::ldexp((double)exact, -30);
        EXPECT_EQ(bits_of(xsum_of(v)), bits_of(want)) << "trial " << trial;
    }
}

TEST(Xsum, OrderIndependentBits)
{
    std::mt19937_64 rng(2024);
    std::vector<double> v = wide_values(rng, 4000);
    // a sum that lands at an ordinary magnitude: add values near 1 so the result is not the largest term
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (int i = 0; i < 4000; i++) v.push_back(unit(rng));
    double first = xsum_of(v);
    for (int round = 0; round < 20; round++) {
        std::shuffle(v.begin(), v.end(), rng);
        EXPECT_EQ(bits_of(xsum_of(v)), bits_of(first));
    }
    // split among k accumulators (like threads or ranks) and merged in a random order
    for (int k : {2, 3, 7, 64}) {
        std::vector<pk_xsum> parts(k);
        for (auto &p : parts) pk_xsum_zero(&p);
        for (size_t i = 0; i < v.size(); i++) pk_xsum_add(&parts[rng() % k], v[i]);
        std::shuffle(parts.begin(), parts.end(), rng);
        pk_xsum total;
        pk_xsum_zero(&total);
        for (auto &p : parts) pk_xsum_add_xsum(&total, &p);
        EXPECT_EQ(bits_of(pk_xsum_round(&total)), bits_of(first)) << k << " parts";
        EXPECT_TRUE(pk_xsum_equal(&total, &total));
        EXPECT_FALSE(pk_xsum_equal(&total, &parts[0])); // the other parts do not cancel
    }
}

TEST(Xsum, RoundTripOfSingleValues)
{
    std::mt19937_64 rng(99);
    std::vector<double> v = wide_values(rng, 20000);
    v.insert(v.end(), {DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, std::numeric_limits<double>::denorm_min(), 1.0,
                       -1.0, 0.1, M_PI, std::nextafter(DBL_MIN, 0.0)});
    for (double x : v) {
        pk_xsum s;
        pk_xsum_zero(&s);
        pk_xsum_add(&s, x);
        ASSERT_EQ(bits_of(pk_xsum_round(&s)), bits_of(x)) << x;
    }
    // an exact zero rounds to +0, also from -0 or from cancellation
    EXPECT_EQ(bits_of(xsum_of({-0.0})), bits_of(0.0));
    EXPECT_EQ(bits_of(xsum_of({-1.5, 1.5})), bits_of(0.0));
}

TEST(Xsum, DeferredCarriesAndMergesOfFullAccumulators)
{
    // far more additions than PK_XSUM_MAX_PENDING, of the largest magnitudes: the carries must not
    // overflow the limbs, and the exact result 150000 * 1.5 * 2^1000 / 1.5 = 150000 * 2^1000 is a double
    const int count = 150000;
    pk_xsum a, b;
    pk_xsum_zero(&a);
    pk_xsum_zero(&b);
    for (int i = 0; i < count; i++) {
        pk_xsum_add(&a, std::ldexp(1.0, 1000));
        pk_xsum_add(&b, -std::ldexp(1.0 + 0x1p-52, 1000));
    }
    EXPECT_EQ(pk_xsum_round(&a), std::ldexp((double)count, 1000));
    // a and b both near their pending limit, merged both ways
    pk_xsum c = a, d = b;
    pk_xsum_add_xsum(&c, &b);
    pk_xsum_add_xsum(&d, &a);
    double want = -std::ldexp((double)count, 1000 - 52); // count * (2^1000 - (2^1000 + 2^948))
    EXPECT_EQ(pk_xsum_round(&c), want);
    EXPECT_EQ(pk_xsum_round(&d), want);
    EXPECT_TRUE(pk_xsum_equal(&c, &d));
    // merging the same accumulator into itself many times doubles it each time
    pk_xsum e;
    pk_xsum_zero(&e);
    pk_xsum_add(&e, 3.0);
    for (int i = 0; i < 40; i++) {
        pk_xsum copy = e;
        pk_xsum_add_xsum(&e, &copy);
    }
    EXPECT_EQ(pk_xsum_round(&e), std::ldexp(3.0, 40));
}

TEST(Xsum, NormalizeIsCanonical)
{
    pk_xsum a, b;
    pk_xsum_zero(&a);
    pk_xsum_zero(&b);
    for (double x : {1e300, -3.5, 2.0e-310, 7.0}) pk_xsum_add(&a, x);
    for (double x : {7.0, 2.0e-310, 1e300, -1.0, -2.5}) pk_xsum_add(&b, x);
    EXPECT_NE(std::memcmp(&a, &b, sizeof a), 0); // different bytes before
    pk_xsum_normalize(&a);
    pk_xsum_normalize(&b);
    EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0); // identical after
    EXPECT_EQ(a.pending, 0);
}

TEST(Xsum, OverflowAndSpecials)
{
    EXPECT_EQ(xsum_of({DBL_MAX, DBL_MAX}), INFINITY);
    EXPECT_EQ(xsum_of({-DBL_MAX, -DBL_MAX}), -INFINITY);
    EXPECT_EQ(xsum_of({DBL_MAX, DBL_MAX, -DBL_MAX}), DBL_MAX); // the exact sum came back into range
    // just below the overflow threshold DBL_MAX + half an ulp rounds down, at it rounds up
    double half_ulp = std::ldexp(1.0, 970);
    EXPECT_EQ(xsum_of({DBL_MAX, std::nextafter(half_ulp, 0.0)}), DBL_MAX);
    EXPECT_EQ(xsum_of({DBL_MAX, half_ulp}), INFINITY);
    EXPECT_EQ(xsum_of({1.0, INFINITY}), INFINITY);
    EXPECT_EQ(xsum_of({1.0, -INFINITY, -INFINITY}), -INFINITY);
    EXPECT_TRUE(std::isnan(xsum_of({INFINITY, -INFINITY})));
    EXPECT_TRUE(std::isnan(xsum_of({1.0, NAN})));
    // specials survive merging
    pk_xsum a, b;
    pk_xsum_zero(&a);
    pk_xsum_zero(&b);
    pk_xsum_add(&a, INFINITY);
    pk_xsum_add(&b, -INFINITY);
    pk_xsum_add_xsum(&a, &b);
    EXPECT_TRUE(std::isnan(pk_xsum_round(&a)));
}
