/* Segmented sieve of Eratosthenes on the mod-30 wheel: the engine of the primes kernel.
 *
 * Layout: one bit per integer coprime to 30, a byte per 30 integers (bits = residues 1 7 11 13 17
 * 19 23 29), so a 1 MiB segment spans 31457280 integers, the size of L2 here (1 MiB per core).
 * Every medium prime pays a fixed cost per segment (entering and leaving its unrolled cycle, a
 * mispredicted exit), so fewer, larger segments pay it less often: 1 MiB segments measured 5-8%
 * faster than 512 KiB near 10^12 and 10^13, alone and with both cores sieving, and the same at 10^10
 * and 10^11 (the L1 tier sieves 32 KiB pieces, so only the medium tier's sparse hits leave L1).
 * Multiples of 7..163 are pre-sieved by ANDing periodic byte patterns; every larger sieving prime p crosses off p*m for m
 * coprime to 30 only: 8 multiples per 30p integers, whose bits are fixed by p mod 30, so the
 * 8-hit cycle is unrolled with immediate masks. The sieving primes are kept grouped by p mod 30
 * (their class), so that the code for one class runs over a long run of primes and its branches
 * stay predictable. Tiers by size: the smallest primes sieve L1-sized pieces of the segment
 * (their dense hits then stay in L1); medium ones below 16384 sieve 128 KiB pieces (still in L2
 * when they come), the other medium ones whole segments, both kept sorted by the wheel
 * position of their next hit so that the jump into the unrolled cycle is the same for a run of
 * primes and is predicted (an unsorted jump mispredicted once per prime and segment: 5% of the time
 * near 10^11); the largest (about two hits per segment or fewer) wait in buckets, one bucket per
 * segment of the call, holding the primes whose next multiple falls in it: a segment then touches
 * only the primes that hit it (the bucket sieve).
 * Each prime's next multiple is computed once per call from `lo` (one division) and carried from
 * segment to segment inside the call, so a call needs nothing from any other call: any worker can
 * count any range. A call of many segments (a kernel block is PK_SIEVE_BLOCK_SEGMENTS) pays that
 * set-up once for all of them. The count is a popcount of the surviving bits. */
#ifndef PARKIT_SIEVE_H
#define PARKIT_SIEVE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one segment, and the integers it spans (30 per byte). */
#define PK_SIEVE_SEGMENT_LOG 20
#define PK_SIEVE_SEGMENT_BYTES ((uint64_t)1 << PK_SIEVE_SEGMENT_LOG)
#define PK_SIEVE_SEGMENT_SPAN (PK_SIEVE_SEGMENT_BYTES * 30)
/* The primes kernel's block: segments per call, enough that the per-call set-up (a division per
 * sieving prime, the buckets) stays small (measured: 2% of a block near 10^11, 4% near 10^12, 9%
 * near 10^13; one-segment blocks of 256 KiB: 14% at 10^12), few enough that 10^9 still has 16
 * blocks. 62914560 integers, as with 4 segments of 512 KiB before. */
#define PK_SIEVE_BLOCK_SEGMENTS 2
#define PK_SIEVE_BLOCK_SPAN (PK_SIEVE_BLOCK_SEGMENTS * PK_SIEVE_SEGMENT_SPAN)
/* Default smallest prime of the bucket tier: half a segment's bits, i.e. about two hits per segment
 * at most (so used from n ~ 1.8e13 on, past the kernel's 10^13; below, every large prime hits every
 * segment and the medium tier's scan costs the same: measured at 10^13 with the tier from 2^21, and
 * at 10^12 from 5e5 and 1e6). The engine counts up to 4.5e15, and the tests lower it. */
#define PK_SIEVE_BUCKET_MIN ((uint64_t)4 << PK_SIEVE_SEGMENT_LOG)

/* The sieving primes and the read-only tables, built once per process, shared by all threads. */
#define PK_SIEVE_PATTERNS 16
typedef struct pk_sieve_primes {
    uint64_t limit;      /* every prime <= limit is known: counts up to (limit+1)^2 - 1 are exact */
    size_t count;        /* sieving primes (those above the pre-sieved ones) */
    uint32_t *p;         /* ascending */
    uint32_t *by_class;  /* the same primes grouped by class (p mod 30 = 1 7 11 .. 29), ascending in each */
    size_t class_start[9]; /* class c is by_class[class_start[c] .. class_start[c + 1]) */
    uint64_t bucket_min; /* primes >= this go to the bucket tier (PK_SIEVE_BUCKET_MIN; tests lower it) */
    uint8_t *pattern[PK_SIEVE_PATTERNS]; /* pre-sieve patterns: a byte per 30 integers */
    uint32_t period[PK_SIEVE_PATTERNS];  /* their lengths in bytes (whole periods, at least 16 KiB) */
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
