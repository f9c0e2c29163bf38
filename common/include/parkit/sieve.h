/* Segmented sieve of Eratosthenes on the mod-30 wheel: the engine of the primes kernel.
 *
 * Layout: one bit per integer coprime to 30, a byte per 30 integers (bits = residues 1 7 11 13 17
 * 19 23 29), so a 256 KiB segment spans 7864320 integers and stays in L2. Multiples of 7..131 are
 * pre-sieved by ANDing periodic byte patterns; every larger sieving prime p crosses off p*m for m
 * coprime to 30 only: 8 multiples per 30p integers, whose bits are fixed by p mod 30, so the
 * 8-hit cycle is unrolled with immediate masks. The smallest primes sieve L1-sized pieces of the
 * segment (their dense hits then stay in L1), medium ones the whole segment, large ones one hit
 * at a time. Each prime's next multiple is computed once per call from `lo` (one division) and
 * carried from segment to segment inside the call, so a call needs nothing from any other call:
 * any worker can count any range. The count is a popcount of the surviving bits. */
#ifndef PARKIT_SIEVE_H
#define PARKIT_SIEVE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one segment, and the integers it spans (30 per byte). */
#define PK_SIEVE_SEGMENT_BYTES ((uint64_t)1 << 18)
#define PK_SIEVE_SEGMENT_SPAN (PK_SIEVE_SEGMENT_BYTES * 30)

/* The sieving primes and the read-only tables, built once per process, shared by all threads. */
#define PK_SIEVE_PATTERNS 13
typedef struct pk_sieve_primes {
    uint64_t limit;      /* every prime <= limit is known: counts up to (limit+1)^2 - 1 are exact */
    size_t count;        /* sieving primes (those above the pre-sieved ones) */
    uint32_t *p;         /* ascending */
    uint8_t *pattern[PK_SIEVE_PATTERNS]; /* pre-sieve patterns: a byte per 30 integers */
    uint32_t period[PK_SIEVE_PATTERNS];  /* their lengths in bytes */
} pk_sieve_primes;

/* Builds the primes up to `limit` (at least isqrt of the largest integer to be counted).
 * Returns 0, or -1 when out of memory (sp is then empty; pk_sieve_primes_free is still safe). */
int pk_sieve_primes_init(pk_sieve_primes *sp, uint64_t limit);
void pk_sieve_primes_free(pk_sieve_primes *sp);

/* The number of primes in (lo, hi]: pi(hi) - pi(lo). Needs sp->limit >= isqrt(hi) (checked:
 * returns UINT64_MAX otherwise), or UINT64_MAX when out of memory. Thread-safe (sp is read-only). */
uint64_t pk_sieve_count(const pk_sieve_primes *sp, uint64_t lo, uint64_t hi);

/* floor(sqrt(n)), exact for every 64-bit n. */
uint64_t pk_isqrt(uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
