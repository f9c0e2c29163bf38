// The primes kernel: pi(n) against published values and independent references (a plain sieve for
// small n, Legendre's formula / Miller-Rabin for large n, and the test's own Meissel count for the
// published values above 10^11), block and segment edges (with sieving primes of every size hitting
// a segment's first or last bit), the bucket tier (kernel blocks and windows above 10^12, with the bucket
// threshold at its default and lowered so that every tier goes through the buckets), windows starting at
// a prime, partials over arbitrary block ranges, the no-setup fallback, and verification failures.
#include <gtest/gtest.h>
#include <algorithm>
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

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)(__extension__(unsigned __int128)a * b % m); }
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

uint64_t next_prime(uint64_t n) // the smallest prime >= n
{
    while (!is_prime(n)) n++;
    return n;
}

// Primes in (lo, hi] by a plain sieve of that window alone: the odd multiples of each odd prime up to
// sqrt(hi) crossed off one by one (no wheel, no segments, no pre-sieve), then prefix counts, so that
// count(a, b) = pi(b) - pi(a) for any lo <= a <= b <= hi costs O(1).
class WindowSieve {
  public:
    WindowSieve(uint64_t lo, uint64_t hi) : lo_(lo), hi_(hi), first_(lo + 1 + lo % 2) // the first odd > lo
    {
        const uint64_t nodd = hi >= first_ ? (hi - first_) / 2 + 1 : 0; // odd number first_ + 2i <-> bit i
        bits_.assign(nodd / 64 + 1, ~0ull);
        if (first_ == 1) bits_[0] &= ~1ull; // 1 is not a prime
        const uint64_t root = pk_isqrt(hi);
        std::vector<bool> composite(root + 1, false);
        for (uint64_t p = 3; p <= root; p += 2) {
            if (composite[p]) continue;
            for (uint64_t j = p * p; j <= root; j += 2 * p) composite[j] = true;
            uint64_t m = std::max(p * p, (lo / p + 1) * p); // the first multiple > lo, from p^2 on
            if (m % 2 == 0) m += p;
            for (; m <= hi; m += 2 * p) bits_[(m - first_) / 2 / 64] &= ~(1ull << ((m - first_) / 2 % 64));
        }
        if (nodd % 64) bits_[nodd / 64] &= (1ull << (nodd % 64)) - 1;
        else bits_[nodd / 64] = 0;
        before_.resize(bits_.size());
        uint64_t c = 0;
        for (size_t w = 0; w < bits_.size(); w++) {
            before_[w] = c;
            c += (uint64_t)__builtin_popcountll(bits_[w]);
        }
    }
    uint64_t count(uint64_t a, uint64_t b) const { return upto(b) - upto(a); }

  private:
    uint64_t upto(uint64_t t) const // primes in (lo, t]
    {
        EXPECT_TRUE(lo_ <= t && t <= hi_) << t << " outside (" << lo_ << ", " << hi_ << "]";
        uint64_t c = lo_ < 2 && t >= 2; // the only even prime
        if (t < first_) return c;
        const uint64_t k = (t - first_) / 2 + 1; // odd numbers in (lo, t]: bits 0..k-1
        return c + before_[k / 64] + (uint64_t)__builtin_popcountll(bits_[k / 64] & ((1ull << (k % 64)) - 1));
    }
    uint64_t lo_, hi_, first_;
    std::vector<uint64_t> bits_, before_;
};

// pi(x) by Meissel's formula, sharing no code with the project's Legendre (primecount.c) or its sieve
// (pk_isqrt aside, tested above):
//   pi(x) = phi(x, a) + a - 1 - P2(x, a),  a = pi(y), cbrt(x) <= y,
// where phi(t, b) counts the integers in [1, t] divisible by none of the first b primes p_1..p_b, and
// P2(x, a) = sum over a < i <= pi(sqrt x) of (pi(x / p_i) - (i - 1)) counts the n <= x with exactly two
// prime factors, both above p_a. pi(t) for t <= x / y comes from a plain sieve of [0, x / y]; phi by
// phi(t, b) = phi(t, b - 1) - phi(t / p_b, b - 1), cut short by pi(t) - b + 1 when t < p_(b+1)^2 (what
// is left are 1 and the primes in (p_b, t]), a table for t < 2^16, and a wheel period for b <= 7.
// About 1.5 s at x = 10^13 with -O3 on one core (Legendre: 6.7 s), about 30 MB of tables.
class Meissel {
  public:
    explicit Meissel(uint64_t x)
        : x_(x), y_(std::max<uint64_t>(2 * icbrt(x), 20)), listed_(2 * std::max(pk_isqrt(x), y_) + 300),
          pi_(std::max({x / y_, listed_, CACHE}))
    {
        EXPECT_GE(x, 1000u) << "y must stay below x";
        for (uint64_t p = 2; p <= listed_; p++) // p_1..p_a, the next prime (Bertrand), and those below 300
            if (pi_.pi(p) != pi_.pi(p - 1)) p_.push_back(p);
        uint64_t period = 1; // phi(t, b) for b <= WHEEL: t / period * phi(period, b) + phi(t % period, b)
        for (size_t b = 0; b <= WHEEL; b++) {
            if (b) period *= p_[b - 1];
            std::vector<uint32_t> &w = wheel_[b];
            w.assign(period + 1, 0);
            for (uint64_t n = 1; n <= period; n++) {
                bool coprime = true;
                for (size_t k = 0; k < b; k++) coprime = coprime && n % p_[k] != 0;
                w[n] = w[n - 1] + coprime;
            }
        }
        std::vector<uint32_t> spf(CACHE, 0); // phi(t, b) for t < CACHE and p_(b+1)^2 < CACHE
        for (uint64_t n = 2; n < CACHE; n++)
            if (!spf[n])
                for (uint64_t m = n; m < CACHE; m += n)
                    if (!spf[m]) spf[m] = (uint32_t)n;
        for (size_t b = 0; p_[b] * p_[b] < CACHE; b++) {
            std::vector<uint16_t> c(CACHE, 0);
            const uint64_t pb = b ? p_[b - 1] : 1;
            for (uint64_t n = 1; n < CACHE; n++) c[n] = (uint16_t)(c[n - 1] + (n == 1 || spf[n] > pb));
            cache_.push_back(std::move(c));
        }
    }
    uint64_t pi() const
    {
        const uint64_t a = pi_.pi(y_), b = pi_.pi(pk_isqrt(x_));
        uint64_t p2 = 0;
        for (uint64_t i = a + 1; i <= b; i++) p2 += pi_.pi(x_ / p_[i - 1]) - (i - 1);
        return phi(x_, a) + a - 1 - p2;
    }

  private:
    static constexpr size_t WHEEL = 7;
    static constexpr uint64_t CACHE = 1 << 16;
    static uint64_t icbrt(uint64_t x)
    {
        uint64_t r = 1;
        while ((r + 1) * (r + 1) * (r + 1) <= x) r++;
        return r;
    }
    // pi(t) for t <= max: the odd numbers sieved as bits, in 64-byte blocks (the primes before the
    // block, then 7 words of bits) so that one lookup reads one cache line
    class PiTable {
      public:
        explicit PiTable(uint64_t max) : max_(max)
        {
            const uint64_t nodd = max / 2 + 1; // odd number 2i + 1 <-> bit i
            std::vector<uint64_t> bits(nodd / 64 + 1, ~0ull);
            bits[0] &= ~1ull;
            if (nodd % 64) bits[nodd / 64] &= (1ull << (nodd % 64)) - 1;
            else bits[nodd / 64] = 0;
            const uint64_t root = pk_isqrt(max);
            std::vector<uint64_t> primes, next;
            std::vector<bool> composite(root + 1, false);
            for (uint64_t p = 3; p <= root; p += 2)
                if (!composite[p]) {
                    for (uint64_t j = p * p; j <= root; j += 2 * p) composite[j] = true;
                    primes.push_back(p);
                    next.push_back(p * p / 2);
                }
            for (uint64_t lo = 0; lo < nodd; lo += 1 << 18) { // 32 KiB of bits at a time
                const uint64_t hi = std::min(nodd, lo + (1 << 18));
                for (size_t k = 0; k < primes.size(); k++) {
                    uint64_t j = next[k];
                    for (; j < hi; j += primes[k]) bits[j / 64] &= ~(1ull << (j % 64));
                    next[k] = j;
                }
            }
            blocks_.resize(bits.size() / 7 + 1);
            uint64_t count = 1; // the prime 2
            for (size_t w = 0; w < bits.size(); w++) {
                if (w % 7 == 0) blocks_[w / 7].before = count;
                blocks_[w / 7].bits[w % 7] = bits[w];
                count += (uint64_t)__builtin_popcountll(bits[w]);
            }
        }
        uint64_t max() const { return max_; }
        uint64_t pi(uint64_t t) const
        {
            if (t < 2) return 0;
            const uint64_t i = (t - 1) / 2; // the odd numbers 1..t are bits 0..i
            const Block &b = blocks_[i / 448];
            const unsigned r = (unsigned)(i % 448), w = r / 64;
            uint64_t c = b.before;
            for (unsigned k = 0; k < w; k++) c += (uint64_t)__builtin_popcountll(b.bits[k]);
            return c + (uint64_t)__builtin_popcountll(b.bits[w] & (~0ull >> (63 - r % 64)));
        }

      private:
        struct alignas(64) Block {
            uint64_t before, bits[7];
        };
        uint64_t max_;
        std::vector<Block> blocks_;
    };
    uint64_t phi(uint64_t t, size_t b) const
    {
        if (t < CACHE && b < cache_.size()) return cache_[b][t];
        if (b <= WHEEL) {
            const std::vector<uint32_t> &w = wheel_[b];
            const uint64_t period = w.size() - 1;
            return t / period * w[period] + w[t % period];
        }
        if (t < p_[b - 1]) return t >= 1;
        if (t <= pi_.max() && t < p_[b] * p_[b]) return pi_.pi(t) - b + 1;
        uint64_t r = phi(t, WHEEL);
        size_t i = WHEEL + 1;
        for (; i <= b && p_[i - 1] * p_[i - 1] <= t; i++) r -= phi(t / p_[i - 1], i - 1);
        return r - (b + 1 - i); // p_i^2 > t for the remaining i: t / p_i < p_i, only 1 is left
    }
    uint64_t x_, y_, listed_;
    PiTable pi_;
    std::vector<uint64_t> p_;
    std::vector<uint32_t> wheel_[WHEEL + 1];
    std::vector<std::vector<uint16_t>> cache_;
};

// The kernel over [0, n) block by block (serial runner), with setup as the programs do it.
PrimesResult run(uint64_t n, bool with_setup = true)
{
    const pk_kernel *k = primes();
    pk_job job = {n, nullptr, nullptr, 0, n, nullptr, nullptr};
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

struct Sieve { // pk_sieve_primes with RAII; bucket_min: the smallest prime of the bucket tier (0: default)
    pk_sieve_primes sp;
    explicit Sieve(uint64_t limit, uint64_t bucket_min = 0)
    {
        EXPECT_EQ(pk_sieve_primes_init(&sp, limit), 0);
        if (bucket_min) sp.bucket_min = bucket_min;
    }
    ~Sieve() { pk_sieve_primes_free(&sp); }
};

// Where the sieve puts an integer (sieve.h): a byte per 30 integers, bit j of a byte = residue W[j] of
// 1 7 11 13 17 19 23 29, so inside one call bit i is base + 30 (i / 8) + W[i % 8], base = lo rounded down
// to a multiple of 30, and segment k starts at bit 8 k PK_SIEVE_SEGMENT_BYTES: its first bit is the
// integer base + k SPAN + 1, the last bit of segment k - 1 is base + k SPAN - 1. A window (lo, hi] with
// base = x - 1 - k SPAN (and any lo in [base, base + 29]) puts x, x = 1 (mod 30), on segment k's first bit.
struct SegmentEdgeCase {
    uint64_t p, x; // x = p * q, q >= p prime: p is the only sieving prime that crosses x off
    bool first;    // x on the first bit of a segment (x = 1 mod 30), else on the last (x = 29 mod 30)
};

// p * q with q the first prime >= max(p, q_min) such that p * q = r (mod 30)
SegmentEdgeCase edge_case(uint64_t p, uint64_t q_min, uint64_t r)
{
    uint64_t q = next_prime(std::max(p, q_min));
    while (p * q % 30 != r) q = next_prime(q + 1);
    return {p, p * q, r == 1};
}

// Every case at segment k = 1 and 2: windows longer than k segments whose base puts x on the edge bit, lo at
// the bottom and the top of the first group, hi at x and just past the next segment's first bit.
void check_segment_edges(const std::vector<SegmentEdgeCase> &cases, uint64_t bucket_min = 0)
{
    const uint64_t SPAN = PK_SIEVE_SEGMENT_SPAN;
    uint64_t lo_min = UINT64_MAX, hi_max = 0;
    for (const SegmentEdgeCase &c : cases) {
        ASSERT_TRUE(is_prime(c.p));
        ASSERT_EQ(c.x % c.p, 0u);
        ASSERT_TRUE(is_prime(c.x / c.p));
        ASSERT_GE(c.x / c.p, c.p);
        ASSERT_EQ(c.x % 30, c.first ? 1u : 29u);
        ASSERT_GT(c.x, 2 * SPAN + 1);
        lo_min = std::min(lo_min, c.x - 2 * SPAN - 1);
        hi_max = std::max(hi_max, c.x + 2 * SPAN);
    }
    Sieve s(pk_isqrt(hi_max), bucket_min);
    WindowSieve plain(lo_min - 1, hi_max);
    for (const SegmentEdgeCase &c : cases) {
        ASSERT_EQ(plain.count(c.x - 1, c.x), 0u) << c.x << " is composite";
        for (uint64_t k : {1u, 2u}) {
            const uint64_t base = c.first ? c.x - 1 - k * SPAN : c.x + 1 - k * SPAN;
            ASSERT_EQ(base % 30, 0u);
            for (uint64_t lo : {base, base + 29})
                for (uint64_t hi : {c.x, base + (k + 1) * SPAN + 1}) { // (k + 1 or k + 2 segments)
                    EXPECT_EQ(pk_sieve_count(&s.sp, lo, hi), plain.count(lo, hi))
                        << "(" << lo << ", " << hi << "]: p = " << c.p << " crosses " << c.x << " on the "
                        << (c.first ? "first" : "last") << " bit of segment " << (c.first ? k : k - 1);
                }
        }
    }
}
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

TEST(Primes, MeisselAgreesWithLegendreAndPlainSieve)
{
    // the test's own Meissel-Lehmer count (the reference for the published values above 10^11 below),
    // checked where the plain sieve and the project's Legendre can check it
    PlainSieve plain(1000000);
    for (uint64_t x : {1000u, 1024u, 65535u, 65536u, 510510u, 999983u, 1000000u}) EXPECT_EQ(Meissel(x).pi(), plain.pi(x)) << x;
    for (uint64_t x : {123456789ull, 4294967296ull, 10000000019ull, 99999999977ull})
        EXPECT_EQ(Meissel(x).pi(), pk_prime_count_legendre(x)) << x;
}

TEST(Primes, PublishedAbove1e11AgainstLegendreAndMeissel)
{
    // The table's entries above 10^11 (2^37..2^40, 10^12; 10^13 in the next test), each against a
    // count computed here: Legendre's (primecount.c) where it is cheap (2^37, 2^38: 0.6 s; 2^39,
    // 2^40, 10^12 take 0.7 to 1.7 s each, 10^13 6.7 s), and for all of them Meissel's formula (the
    // test's own code, above: a different algorithm and a different sieve), which must also agree
    // with Legendre on 2^37 and 2^38.
    uint64_t want;
    const char *src;
    for (int k = 37; k <= 40; k++) {
        ASSERT_TRUE(pk_prime_count_published(1ull << k, &want, &src));
        EXPECT_STREQ(src, ("2^" + std::to_string(k)).c_str());
        const uint64_t meissel = Meissel(1ull << k).pi();
        EXPECT_EQ(meissel, want) << src;
        if (k <= 38) {
            EXPECT_EQ(pk_prime_count_legendre(1ull << k), want) << src;
        }
    }
    ASSERT_TRUE(pk_prime_count_published(1000000000000ull, &want, &src));
    EXPECT_STREQ(src, "10^12");
    EXPECT_EQ(Meissel(1000000000000ull).pi(), want) << src;
}

TEST(Primes, PublishedPi1e13AgainstMeissel)
{
    // pi(10^13), the largest n the kernel verifies: Legendre would take 6.7 s, Meissel about 2 s
    uint64_t want;
    const char *src;
    ASSERT_TRUE(pk_prime_count_published(10000000000000ull, &want, &src));
    EXPECT_STREQ(src, "10^13");
    EXPECT_EQ(Meissel(10000000000000ull).pi(), want) << src;
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
    // inside a block: L1 pieces are 32 KiB = 983040 integers, the mid tier's pieces 4 of them, a segment
    // PK_SIEVE_SEGMENT_BYTES / 32 KiB of them; windows that start and end at and around every L1 edge
    // (so every mid-tier and segment edge too), the first segment's last one and the second's first
    // included (Miller-Rabin), prefixes ending there (Legendre)
    const uint64_t piece = 983040, pieces = PK_SIEVE_SEGMENT_BYTES / 32768;
    ASSERT_EQ(pieces * piece, PK_SIEVE_SEGMENT_SPAN);
    Sieve s(pk_isqrt((pieces + 4) * piece));
    for (uint64_t edge = piece; edge <= (pieces + 1) * piece; edge += piece) {
        for (uint64_t d : {0ull, 1ull, 7ull, 29ull, 30ull, 31ull}) {
            uint64_t want = 0;
            for (uint64_t x = edge - d + 1; x <= edge + d + 1; x++) want += is_prime(x);
            ASSERT_EQ(pk_sieve_count(&s.sp, edge - d, edge + d + 1), want) << edge;
            ASSERT_EQ(pk_sieve_count(&s.sp, 0, edge + d), pk_prime_count_legendre(edge + d)) << edge + d;
        }
    }
}

TEST(Primes, LargeSievingPrimeOnTheFirstAndLastBitOfASegment)
{
    // Sieving primes >= PK_SIEVE_SEGMENT_BYTES make less than one cycle (8 hits per 30p integers) per
    // segment: they are crossed off one hit at a time, the next hit carried to the next segment. The
    // first of them, 524309, starts at its square ~2.75e11: only windows that far up, and longer than
    // a segment, can make such a hit land exactly on a segment edge. Three such hits: p * q on a first
    // bit, p^2 itself (the first hit, placed by the division in the set-up, not carried) on a first
    // bit, and p * q on a last bit; the largest prime below the limit (crossed in unrolled cycles)
    // on a first bit. Against a plain sieve of the window.
    const uint64_t large = next_prime(PK_SIEVE_SEGMENT_BYTES);
    uint64_t square = large; // the first prime from there on whose square is 1 mod 30
    while (square * square % 30 != 1) square = next_prime(square + 1);
    uint64_t medium = PK_SIEVE_SEGMENT_BYTES - 1;
    while (!is_prime(medium)) medium--;
    check_segment_edges({edge_case(large, 0, 1), {square, square * square, true}, edge_case(large, 0, 29),
                         edge_case(medium, 0, 1)});
}

TEST(Primes, BucketPrimeOnTheFirstAndLastBitOfASegment)
{
    // Sieving primes >= sp.bucket_min (PK_SIEVE_BUCKET_MIN, 2^21) wait in the list of the segment of
    // their next hit: the first of them starts at its square ~4.4e12. The same three hits as above
    // (p * q on a first and on a last bit, p^2 on a first bit), each found through the buckets only,
    // against a plain sieve of the window; then the large-prime cases with the threshold lowered to
    // PK_SIEVE_SEGMENT_BYTES, so that the buckets carry them too.
    const uint64_t bucket = next_prime(PK_SIEVE_BUCKET_MIN);
    uint64_t square = bucket;
    while (square * square % 30 != 1) square = next_prime(square + 1);
    check_segment_edges({edge_case(bucket, 0, 1), {square, square * square, true}, edge_case(bucket, 0, 29)});
    const uint64_t large = next_prime(PK_SIEVE_SEGMENT_BYTES);
    check_segment_edges({edge_case(large, 0, 1), edge_case(large, 0, 29)}, PK_SIEVE_SEGMENT_BYTES);
}

TEST(Primes, KernelBlocksAbove1e12ThroughTheBuckets)
{
    // Whole kernel blocks (PK_SIEVE_BLOCK_SEGMENTS segments each, the unit any worker computes) near
    // 10^12, 4.5e12 (the bucket tier in use by default) and just below 10^13, the largest n: the
    // kernel's partial against a plain sieve of the block's window. Then windows inside each block,
    // at random, through pk_sieve_count with the bucket threshold at its default and lowered to
    // PK_SIEVE_SEGMENT_BYTES, 4099 and 167 (every prime from the L1 tier on in the buckets): the
    // count may not depend on which tier crosses a prime off.
    const pk_kernel *k = primes();
    const uint64_t B = k->block, n = 10000000000000ull;
    ASSERT_EQ(B, PK_SIEVE_BLOCK_SPAN);
    pk_job job = {n, nullptr, nullptr, 0, n, nullptr, nullptr};
    char err[256];
    ASSERT_EQ(k->setup(&job, err, sizeof err), 0) << err;
    std::vector<Sieve *> sieves;
    for (uint64_t bmin : {uint64_t(0), uint64_t(PK_SIEVE_SEGMENT_BYTES), uint64_t(4099), uint64_t(167)})
        sieves.push_back(new Sieve(pk_isqrt(n), bmin));
    std::mt19937_64 rng(2026);
    for (uint64_t b : std::vector<uint64_t>{1000000000000ull / B, 4500000000000ull / B, n / B - 1}) {
        const uint64_t lo = b * B, hi = (b + 1) * B;
        WindowSieve plain(lo, hi);
        const uint64_t want = plain.count(lo, hi);
        EXPECT_GT(want, 0u);
        EXPECT_EQ(blocks(job, b, b + 1), want) << "block " << b << ": (" << lo << ", " << hi << "]";
        for (int i = 0; i < 4; i++) {
            uint64_t a = lo + rng() % B, z = lo + rng() % B;
            if (a > z) std::swap(a, z);
            if (i == 0) a = lo, z = hi; // the whole block too
            for (const Sieve *s : sieves)
                EXPECT_EQ(pk_sieve_count(&s->sp, a, z), plain.count(a, z))
                    << "(" << a << ", " << z << "], bucket_min " << s->sp.bucket_min;
        }
    }
    for (Sieve *s : sieves) delete s;
    k->teardown(&job);
}

TEST(Primes, SmallSievingPrimesOnTheFirstBitOfASegment)
{
    // the first sieving prime, the last and first primes around 4096 (L1 pieces vs whole segments),
    // each the only prime that crosses x = p * q off, x on the first bit of segment 1 and 2
    const uint64_t SPAN = PK_SIEVE_SEGMENT_SPAN;
    std::vector<SegmentEdgeCase> cases;
    for (uint64_t p : {167u, 4093u, 4099u}) cases.push_back(edge_case(p, 3 * SPAN / p, 1));
    check_segment_edges(cases);
}

TEST(Primes, WindowStartingAtASmallPrime)
{
    // (lo, hi] with lo itself a prime: lo must not be counted, whether it is one of the primes the
    // sieve never sees (2, 3, 5, the pre-sieved 7..163, added back by hand) or a sieving prime (whose
    // bit in the first byte must be cleared). Every lo up to 400, several lengths; then far-away lo.
    PlainSieve plain(500000);
    Sieve s(pk_isqrt(500000));
    for (uint64_t lo = 0; lo <= 400; lo++)
        for (uint64_t len : {0u, 1u, 2u, 4u, 6u, 29u, 30u, 31u, 1000u, 100000u})
            ASSERT_EQ(pk_sieve_count(&s.sp, lo, lo + len), plain.pi(lo + len) - plain.pi(lo))
                << "(" << lo << ", " << lo + len << "]";
    Sieve far(pk_isqrt(10000000000000ull));
    for (uint64_t lo : std::vector<uint64_t>{PK_SIEVE_SEGMENT_SPAN, 999999999989ull, 9999999999971ull}) {
        lo = next_prime(lo);
        uint64_t want = 0;
        for (uint64_t x = lo + 1; x <= lo + 3000; x++) want += is_prime(x);
        for (uint64_t hi : {lo, lo + 1, lo + 3000})
            EXPECT_EQ(pk_sieve_count(&far.sp, lo, hi), hi == lo + 3000 ? want : 0u) << "(" << lo << ", " << hi << "]";
    }
}

TEST(Primes, PartialsOverArbitraryBlockRangesSumToTotal)
{
    const pk_kernel *k = primes();
    const uint64_t n = 5 * k->block + 777;
    pk_job job = {n, nullptr, nullptr, 0, n, nullptr, nullptr};
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
    pk_job job = {1000000000, nullptr, nullptr, 0, 0, nullptr, nullptr};
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
