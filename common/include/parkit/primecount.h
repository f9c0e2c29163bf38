/* Independent references for the prime-counting function pi(x), for the primes kernel's verification
 * and tests: published values, and a combinatorial count that never sieves the range. */
#ifndef PARKIT_PRIMECOUNT_H
#define PARKIT_PRIMECOUNT_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Largest x pk_prime_count_legendre accepts (time ~ x^(3/4) / log x, memory 12 * sqrt(x) bytes:
 * about 4 s and 40 MB at 10^13 on one core). */
#define PK_PRIME_COUNT_MAX 10000000000000ull

/* pi(x) by Legendre's identity in its dynamic-programming form (Lucy_Hedgehog's algorithm):
 * S(v, p) = S(v, p-1) - [S(v/p, p-1) - S(p-1, p-1)] over the values v = floor(x/k), p prime
 * <= sqrt(x). Counts without listing the primes of [0, x], so it is independent of any sieve.
 * Returns UINT64_MAX when x > PK_PRIME_COUNT_MAX or out of memory. */
uint64_t pk_prime_count_legendre(uint64_t x);

/* Published pi(x) for x = 10^k (k = 0..13, OEIS A006880) and x = 2^k (k = 0..40, OEIS A007053).
 * Returns 1 and sets *pi and *source ("10^9", "2^32") when x is in the table, else 0. */
int pk_prime_count_published(uint64_t x, uint64_t *pi, const char **source);

#ifdef __cplusplus
}
#endif
#endif
