// The primes kernel: pi(n) against published values and two independent references (a plain
// sieve for small n, Legendre's formula / Miller-Rabin for large n), block and segment edges,
// partials over arbitrary block ranges, the no-setup fallback, and verification failures.
#include <gtest/gtest.h>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#include "parkit/kernels.h"
#include "parkit/partition.h"
#include "parkit/primecount.h"
#include "parkit/sieve.h"

namespace {
const pk_kernel *primes() { return pk_kernel_find("primes"); }

struct PrimesResult { // mirrors primes.c's result: the count, and blocks that failed to allocate
    uint64_t count, failed;
};

// pi(hi) - pi(lo) by a plain sieve of Eratosthenes over [0, hi]: the slow, obvious reference.
class PlainSieve {
  public:
    explicit PlainSieve(uint64_t max) : pi_(max + 1, 0)
    {
        std::vector<bool> composite(max + 1, false);
        uint64_t count = 0;
        for (uint64_t i = 2; i <= max; i++) {
            if (!composite[i]) {
                count++;
                for (uint64_t j = i * i; j <= max; j += i) composite[j] = true;
            }
            pi_[i] = (uint32_t)count;
        }
    }
    uint64_t pi(uint64_t x) const { return pi_[x]; }

  private:
    std::vector<uint32_t> pi_;
};

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((unsigned __int128)a * b % m); }
uint64_t powmod(uint64_t a, uint64_t e, uint64_t m)
{
    uint64_t r = 1;
    for (a %= m; e; e >>= 1, a = mulmod(a, a, m))
        if (e & 1) r = mulmod(r, a, m);
    return r;
}
// Deterministic Miller-Rabin for 64-bit n (bases 2..37 suffice below 3.3e24).
bool is_prime(uint64_t n)
{
    if (n < 2) return false;
    for (uint64_t p : {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37})
        if (n % p == 0) return n == p;
    uint64_t d = n - 1;
    int s = 0;
    for (; d % 2 == 0; d /= 2) s++;
    for (uint64_t a : {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}) {
        uint64_t x = powmod(a, d, n);
        if (x == 1 || x == n - 1) continue;
        bool composite = true;
        for (int i = 1; i < s && composite; i++) {
            x = mulmod(x, x, n);
            if (x == n - 1) composite = false;
        }
        if (composite) return false;
    }
    return true;
}

// The kernel over [0, n) block by block (serial runner), with setup as the programs do it.
PrimesResult run(uint64_t n, bool with_setup = true)
{
    const pk_kernel *k = primes();
    pk_job job = {n, nullptr, nullptr, 0, n};
    char err[256] = "";
    if (with_setup) {
        EXPECT_EQ(k->setup(&job, err, sizeof err), 0) << err;
    }
    pk_result r;
    pk_compute_serial(k, &job, 0, pk_block_count(n, k->block), &r);
    if (with_setup) k->teardown(&job);
    PrimesResult out;
    std::memcpy(&out, r.bytes, sizeof out);
    return out;
}

// The kernel's partial over the blocks [b0, b1) of [0, n).
uint64_t blocks(const pk_job &job, uint64_t b0, uint64_t b1)
{
    pk_result r;
    pk_compute_serial(primes(), &job, b0, b1, &r);
    PrimesResult out;
    std::memcpy(&out, r.bytes, sizeof out);
    EXPECT_EQ(out.failed, 0u);
    return out.count;
}

struct Sieve { // pk_sieve_primes with RAII
    pk_sieve_primes sp;
    explicit Sieve(uint64_t limit) { EXPECT_EQ(pk_sieve_primes_init(&sp, limit), 0); }
    ~Sieve() { pk_sieve_primes_free(&sp); }
};
} // namespace

TEST(Primes, InCatalog)
{
    ASSERT_NE(primes(), nullptr);
    EXPECT_EQ(primes()->block % 30, 0u) << "blocks start on the wheel";
    EXPECT_GE(primes()->max_n, 1000000000000ull) << "n up to at least 10^12";
    EXPECT_GT(primes()->test_n, 8 * primes()->block) << "test size: more blocks than 8 threads";
}

TEST(Primes, Isqrt)
{
    for (uint64_t r : {0ull, 1ull, 2ull, 3ull, 1000ull, 4294967295ull, 3037000499ull}) {
        EXPECT_EQ(pk_isqrt(r * r), r);
        if (r) {
            EXPECT_EQ(pk_isqrt(r * r - 1), r - 1);
        }
        EXPECT_EQ(pk_isqrt(r * r + 2 * r), r); // (r+1)^2 - 1
    }
    EXPECT_EQ(pk_isqrt(UINT64_MAX), 4294967295ull);
}

TEST(Primes, SmallN)
{
    const uint64_t want[] = {0, 0, 1, 2, 2, 3, 3, 4, 4, 4, 4, 5}; // pi(0..11)
    for (uint64_t n = 0; n < sizeof want / sizeof want[0]; n++) EXPECT_EQ(run(n).count, want[n]) << "n=" << n;
    EXPECT_EQ(run(100).count, 25u);
}

TEST(Primes, EveryNUpTo3000AndRandomWindowsAgainstPlainSieve)
{
    PlainSieve plain(3000000);
    for (uint64_t n = 0; n <= 300; n++) ASSERT_EQ(run(n).count, plain.pi(n)) << "n=" << n;
    Sieve s(pk_isqrt(3000000));
    for (uint64_t n = 0; n <= 3000; n++) ASSERT_EQ(pk_sieve_count(&s.sp, 0, n), plain.pi(n)) << "n=" << n;
    std::mt19937_64 rng(42);
    for (int i = 0; i < 1500; i++) {
        uint64_t hi = rng() % 3000001, lo = hi ? rng() % (hi + 1) : 0;
        if (i % 3 == 0) lo = hi - std::min<uint64_t>(hi, rng() % 200); // short windows: edge bytes
        ASSERT_EQ(pk_sieve_count(&s.sp, lo, hi), plain.pi(hi) - plain.pi(lo)) << "(" << lo << ", " << hi << "]";
    }
}

TEST(Primes, PublishedPowersOfTenUpTo1e9)
{
    uint64_t n = 1;
    for (int k = 0; k <= 9; k++, n *= 10) {
        uint64_t want;
        const char *src;
        ASSERT_TRUE(pk_prime_count_published(n, &want, &src));
        EXPECT_EQ(run(n).count, want) << "pi(10^" << k << ")";
    }
}

TEST(Primes, PublishedPowersOfTwo)
{
    for (int k = 0; k <= 28; k += 2) {
        uint64_t want;
        const char *src;
        ASSERT_TRUE(pk_prime_count_published(1ull << k, &want, &src));
        EXPECT_EQ(run(1ull << k).count, want) << "pi(2^" << k << ")";
    }
}

TEST(Primes, LegendreAgreesWithTableAndPlainSieve)
{
    uint64_t want;
    const char *src;
    uint64_t n = 1;
    for (int k = 0; k <= 11; k++, n *= 10) {
        ASSERT_TRUE(pk_prime_count_published(n, &want, &src));
        EXPECT_STREQ(src, ("10^" + std::to_string(k)).c_str());
        EXPECT_EQ(pk_prime_count_legendre(n), want) << src;
    }
    for (int k = 0; k <= 36; k++) {
        ASSERT_TRUE(pk_prime_count_published(1ull << k, &want, &src));
        EXPECT_EQ(pk_prime_count_legendre(1ull << k), want) << src;
    }
    EXPECT_FALSE(pk_prime_count_published(12345, &want, &src));
    PlainSieve plain(1000000);
    for (uint64_t x = 0; x <= 2000; x++) ASSERT_EQ(pk_prime_count_legendre(x), plain.pi(x)) << x;
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200; i++) {
        uint64_t x = rng() % 1000001;
        ASSERT_EQ(pk_prime_count_legendre(x), plain.pi(x)) << x;
    }
    EXPECT_EQ(pk_prime_count_legendre(PK_PRIME_COUNT_MAX + 1), UINT64_MAX);
}

TEST(Primes, BlockEdges)
{
    const uint64_t B = primes()->block;
    for (uint64_t n : {B - 1, B, B + 1, 2 * B - 1, 2 * B, 2 * B + 1})
        EXPECT_EQ(run(n).count, pk_prime_count_legendre(n)) << "n=" << n;
    // a prime exactly at a block edge: the first integer bB+1 of block b (blocks count (lo, hi])
    uint64_t b = 1;
    while (!is_prime(b * B + 1)) b++;
    const uint64_t p = b * B + 1;
    for (uint64_t n : {p - 1, p, p + 1}) EXPECT_EQ(run(n).count, pk_prime_count_legendre(n)) << "n=" << n;
    EXPECT_EQ(run(p).count - run(p - 1).count, 1u);
    // and the last integer of a block (bB itself is even; take the block's last odd prime edge)
    uint64_t e = 1;
    while (!is_prime(e * B - 1)) e++;
    for (uint64_t n : {e * B - 2, e * B - 1, e * B}) EXPECT_EQ(run(n).count, pk_prime_count_legendre(n)) << "n=" << n;
}

TEST(Primes, SegmentAndL1PieceEdges)
{
    // inside a block: L1 pieces are 32 KiB = 983040 integers, segments 256 KiB = 8 pieces; windows
    // that start and end at and around those edges (Miller-Rabin), prefixes ending there (Legendre)
    const uint64_t piece = 983040;
    Sieve s(pk_isqrt(20 * piece));
    for (uint64_t edge = piece; edge <= 17 * piece; edge += piece) {
        for (uint64_t d : {0ull, 1ull, 7ull, 29ull, 30ull, 31ull}) {
            uint64_t want = 0;
            for (uint64_t x = edge - d + 1; x <= edge + d + 1; x++) want += is_prime(x);
            ASSERT_EQ(pk_sieve_count(&s.sp, edge - d, edge + d + 1), want) << edge;
            ASSERT_EQ(pk_sieve_count(&s.sp, 0, edge + d), pk_prime_count_legendre(edge + d)) << edge + d;
        }
    }
}

TEST(Primes, PartialsOverArbitraryBlockRangesSumToTotal)
{
    const pk_kernel *k = primes();
    const uint64_t n = 5 * k->block + 777;
    pk_job job = {n, nullptr, nullptr, 0, n};
    char err[256];
    ASSERT_EQ(k->setup(&job, err, sizeof err), 0) << err;
    const uint64_t nb = pk_block_count(n, k->block), total = blocks(job, 0, nb);
    EXPECT_EQ(total, pk_prime_count_legendre(n));
    for (uint64_t b0 = 0; b0 <= nb; b0++)
        for (uint64_t b1 = b0; b1 <= nb; b1++) {
            uint64_t mid = blocks(job, b0, b1);
            EXPECT_EQ(blocks(job, 0, b0) + mid + blocks(job, b1, nb), total) << b0 << ".." << b1;
            uint64_t lo = b0 * k->block, hi = std::min(n, b1 * k->block);
            if (b0 < b1) {
                EXPECT_EQ(mid, pk_prime_count_legendre(hi) - pk_prime_count_legendre(lo));
            }
        }
    k->teardown(&job);
}

TEST(Primes, WithoutSetupSameCount)
{
    for (uint64_t n : {uint64_t(0), uint64_t(1), uint64_t(1000), 3 * primes()->block + 7}) EXPECT_EQ(run(n, false).count, run(n).count);
}

TEST(Primes, FarWindowsAgainstMillerRabin)
{
    // windows near 10^12 and 10^13 (the largest n): the sieving primes reach 3.2e6 there
    Sieve s(pk_isqrt(10000000000000ull + 100000));
    for (uint64_t centre : {1000000000000ull, 999999999989ull, 10000000000000ull - 3000}) {
        const uint64_t lo = centre - 20000, hi = centre + 3000;
        uint64_t want = 0;
        for (uint64_t x = lo + 1; x <= hi; x++) want += is_prime(x);
        EXPECT_EQ(pk_sieve_count(&s.sp, lo, hi), want) << "(" << lo << ", " << hi << "]";
    }
    EXPECT_TRUE(is_prime(999999999989ull)); // the largest prime below 10^12
    EXPECT_EQ(pk_sieve_count(&s.sp, 999999999988ull, 999999999989ull), 1u);
}

TEST(Primes, RangeLongerThanOneChunk)
{
    // one call longer than 30 * 2^23 integers is split internally: across the split, against Legendre
    Sieve s(pk_isqrt(10300000000ull));
    const uint64_t lo = 10000000000ull, hi = 10300000000ull;
    EXPECT_EQ(pk_sieve_count(&s.sp, lo, hi), pk_prime_count_legendre(hi) - pk_prime_count_legendre(lo));
    Sieve small(1000);
    EXPECT_EQ(pk_sieve_count(&small.sp, 0, 1002002), UINT64_MAX) << "sieving primes too small: refused";
}

TEST(Primes, VerifyPassAndFail)
{
    const pk_kernel *k = primes();
    char why[512];
    pk_result r;
    PrimesResult v = {50847534, 0};
    std::memcpy(r.bytes, &v, sizeof v);
    pk_job job = {1000000000, nullptr, nullptr, 0, 0};
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 1) << why;
    EXPECT_NE(std::string(why).find("published"), std::string::npos) << why;
    v.count++;
    std::memcpy(r.bytes, &v, sizeof v);
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("expected"), std::string::npos) << why;
    job.n = 1234567;
    v = {95360, 0};
    std::memcpy(r.bytes, &v, sizeof v);
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 1) << why;
    EXPECT_NE(std::string(why).find("Legendre"), std::string::npos) << why;
    v.failed = 1;
    std::memcpy(r.bytes, &v, sizeof v);
    EXPECT_EQ(k->verify(&job, &r, why, sizeof why), 0) << "a failed block is never a PASS";
}
