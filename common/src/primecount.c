/* Independent references for pi(x): Legendre's identity in dynamic-programming form, and a table
 * of published values. */
#include "parkit/primecount.h"

#include <stdlib.h>

#include "parkit/sieve.h"

uint64_t pk_prime_count_legendre(uint64_t x)
{
    if (x > PK_PRIME_COUNT_MAX) return UINT64_MAX;
    if (x < 2) return 0;
    /* S(v) for every v = floor(x/k): small[v] for v <= r, large[k] = S(floor(x/k)) for k <= r.
     * Initially S(v) = v - 1 (all of 2..v); sifting by each prime p <= r removes the numbers whose
     * least prime factor is p: S(v) -= S(v/p) - S(p-1), for v >= p^2. */
    const uint64_t r = pk_isqrt(x);
    uint32_t *small = malloc((r + 1) * sizeof *small); /* S(v) < v <= r < 2^32 */
    uint64_t *large = malloc((r + 1) * sizeof *large);
    if (!small || !large) {
        free(small);
        free(large);
        return UINT64_MAX;
    }
    small[0] = 0;
    for (uint64_t v = 1; v <= r; v++) small[v] = (uint32_t)(v - 1);
    for (uint64_t k = 1; k <= r; k++) large[k] = x / k - 1;
    for (uint64_t p = 2; p <= r; p++) {
        if (small[p] == small[p - 1]) continue; /* p is not prime */
        const uint64_t sp = small[p - 1], p2 = p * p;
        const uint64_t kmax = x / p2 < r ? x / p2 : r; /* x/k >= p^2 */
        /* large[k] uses S(x/(kp)): large[kp] when kp <= r, else small[x/(kp)]; both not yet
         * updated for this p because kp > k and x/(kp) < x/k (ascending k, then descending v). */
        uint64_t k = 1;
        for (const uint64_t kp_max = r / p < kmax ? r / p : kmax; k <= kp_max; k++) large[k] -= large[k * p] - sp;
        /* x/(kp) < 2^53 and the quotient is within 1 of the double one: fix it up, no 64-bit divide */
        const double xd = (double)x;
        for (; k <= kmax; k++) {
            uint64_t d = k * p, q = (uint64_t)(xd / (double)d);
            while (q * d > x) q--;
            while ((q + 1) * d <= x) q++;
            large[k] -= small[q] - sp;
        }
        for (uint64_t v = r; v >= p2; v--) small[v] -= (uint32_t)(small[v / p] - sp);
    }
    uint64_t pi = large[1];
    free(small);
    free(large);
    return pi;
}

int pk_prime_count_published(uint64_t x, uint64_t *pi, const char **source)
{
    /* OEIS A006880: pi(10^k), k = 0..13 */
    static const uint64_t pow10[14] = {0,       4,        25,        168,        1229,        9592,
                                       78498,   664579,   5761455,   50847534,   455052511,   4118054813ull,
                                       37607912018ull, 346065536839ull};
    static const char *const pow10_name[14] = {"10^0", "10^1", "10^2",  "10^3",  "10^4",  "10^5",  "10^6",
                                               "10^7", "10^8", "10^9", "10^10", "10^11", "10^12", "10^13"};
    /* OEIS A007053: pi(2^k), k = 0..40 */
    static const uint64_t pow2[41] = {
        0,        1,        2,         4,         6,         11,          18,          31,
        54,       97,       172,       309,       564,       1028,        1900,        3512,
        6542,     12251,    23000,     43390,     82025,     155611,      295947,      564163,
        1077871,  2063689,  3957809,   7603553,   14630843,  28192750,    54400028,    105097565,
        203280221, 393615806, 762939111, 1480206279, 2874398515ull, 5586502348ull, 10866266172ull,
        21151907950ull, 41203088796ull};
    static const char *const pow2_name[41] = {
        "2^0",  "2^1",  "2^2",  "2^3",  "2^4",  "2^5",  "2^6",  "2^7",  "2^8",  "2^9",  "2^10", "2^11", "2^12", "2^13",
        "2^14", "2^15", "2^16", "2^17", "2^18", "2^19", "2^20", "2^21", "2^22", "2^23", "2^24", "2^25", "2^26", "2^27",
        "2^28", "2^29", "2^30", "2^31", "2^32", "2^33", "2^34", "2^35", "2^36", "2^37", "2^38", "2^39", "2^40"};
    uint64_t p = 1;
    for (int k = 0; k < 14; k++, p *= 10)
        if (x == p) {
            *pi = pow10[k];
            *source = pow10_name[k];
            return 1;
        }
    for (int k = 0; k <= 40; k++)
        if (x == (uint64_t)1 << k) {
            *pi = pow2[k];
            *source = pow2_name[k];
            return 1;
        }
    return 0;
}
