/* Segmented mod-30 wheel sieve (see sieve.h for the layout and the plan).
 *
 * Indexing: inside one call, bit i stands for the integer base + 30*(i/8) + W[i%8], base = lo
 * rounded down to a multiple of 30. A sieving prime p = 30*d + W[c] crosses p*m for m = 30q + W[j]:
 * p*m = 30*p*q + p*W[j], whose bit is 8*p*q (a byte boundary) + 8*d*W[j] + T[c][j], with
 * T[c][j] = 8*((W[c]*W[j]) / 30) + bit of (W[c]*W[j]) mod 30. So the 8 hits of a cycle sit at fixed
 * byte offsets d*W[j] + T[c][j]/8 with fixed masks, and the next cycle is p bytes further. */
#include "parkit/sieve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The wheel: residues coprime to 30 (W[8] = 31 closes the cycle into the next 30 integers). */
static const uint32_t W[9] = {1, 7, 11, 13, 17, 19, 23, 29, 31};
/* Bit (0..7) of residue r inside its byte, or -1 when r is not coprime to 30. */
static const int8_t POS[30] = {-1, 0, -1, -1, -1, -1, -1, 1, -1, -1, -1, 2, -1, 3, -1,
                               -1, -1, 4, -1, 5,  -1, -1, -1, 6, -1, -1, -1, -1, -1, 7};
/* The first wheel position whose residue is >= r (r = 0..29). */
static const uint8_t NEXT[30] = {0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4,
                                 4, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7};
/* T[c][j] as above, T[c][8] = T[c][0] + 8*W[c] (the first hit of the next cycle). Checked by
 * the unit tests through every count; derivation in the header comment. */
static const int32_t T[8][9] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8},
    {1, 13, 20, 24, 31, 35, 42, 54, 57},
    {2, 20, 32, 38, 49, 55, 67, 85, 90},
    {3, 24, 38, 45, 58, 65, 79, 100, 107},
    {4, 31, 49, 58, 77, 86, 104, 131, 140},
    {5, 35, 55, 65, 86, 96, 116, 146, 157},
    {6, 42, 67, 79, 104, 116, 141, 177, 190},
    {7, 54, 85, 100, 131, 146, 177, 224, 239},
};

/* Pre-sieved primes, in groups whose product (the period of one pattern, in bytes) stays small:
 * 13 patterns, 106 KB in all; ANDing them costs a few vector operations per 64 bytes, far less than
 * crossing off these primes' dense multiples one by one. */
static const uint32_t PRESIEVE[PK_SIEVE_PATTERNS][4] = {
    {7, 11, 13, 17}, {19, 23, 29, 1}, {31, 37, 1, 1}, {41, 43, 1, 1},  {47, 53, 1, 1},
    {59, 61, 1, 1},  {67, 71, 1, 1},  {73, 79, 1, 1}, {83, 89, 1, 1},  {97, 101, 1, 1},
    {103, 107, 1, 1}, {109, 113, 1, 1}, {127, 131, 1, 1}};
/* Primes the sieve never sees as survivors: 2, 3, 5 (off the wheel) and the pre-sieved ones. */
static const uint32_t TINY[] = {2,  3,  5,  7,  11, 13, 17, 19, 23,  29,  31,  37,  41,  43,  47, 53,
                                59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131};
#define FIRST_SIEVING_PRIME 137

/* A call counts at most this many integers at once, so every bit offset fits 32 bits. */
#define CHUNK_SPAN ((uint64_t)30 << 23)
/* Pieces of a segment for the smallest primes: their hits are dense, so they run at L1 speed only
 * if the bytes they hit stay in L1 (a whole segment is L2-sized). */
#define L1_BYTES ((uint32_t)1 << 15)
/* Primes with at least 8 cycles of 8 hits (p bytes each) per L1 piece: below that, entering and
 * leaving the unrolled cycle 8 times per segment costs more than the L2 misses it saves. */
#define L1_PRIME_LIMIT (L1_BYTES / 8)
/* Primes with at least one cycle per segment; the larger ones go one hit at a time. */
#define SMALL_PRIME_LIMIT ((uint32_t)PK_SIEVE_SEGMENT_BYTES)
/* Above this, bit offsets (< 2^26 in a chunk, + 8p to a next multiple) could overflow 32 bits. */
#define LIMIT_MAX ((uint64_t)1 << 26)

uint64_t pk_isqrt(uint64_t n)
{
    if (n < 2) return n;
    uint64_t r = (uint64_t)sqrt((double)n);
    while (r > n / r) r--;            /* r*r > n */
    while (r + 1 <= n / (r + 1)) r++; /* (r+1)^2 <= n */
    return r;
}

void pk_sieve_primes_free(pk_sieve_primes *sp)
{
    free(sp->p);
    for (int i = 0; i < PK_SIEVE_PATTERNS; i++) free(sp->pattern[i]);
    memset(sp, 0, sizeof *sp);
}

int pk_sieve_primes_init(pk_sieve_primes *sp, uint64_t limit)
{
    memset(sp, 0, sizeof *sp);
    if (limit > LIMIT_MAX) return -1;
    for (int g = 0; g < PK_SIEVE_PATTERNS; g++) {
        const uint32_t *q = PRESIEVE[g];
        uint32_t period = q[0] * q[1] * q[2] * q[3];
        uint8_t *pat = malloc(period);
        if (!pat) goto oom;
        memset(pat, 0xFF, period);
        for (int i = 0; i < 4 && q[i] > 1; i++) /* clear the odd multiples of q that are on the wheel */
            for (uint32_t x = q[i]; x < 30 * period; x += 2 * q[i])
                if (POS[x % 30] >= 0) pat[x / 30] &= (uint8_t) ~(1u << POS[x % 30]);
        sp->pattern[g] = pat;
        sp->period[g] = period;
    }

    /* a plain odd-only sieve up to limit (at most 2^26: 32 MiB, once per process) */
    size_t half = (size_t)(limit / 2) + 1; /* odd[i] <-> 2i+1 */
    uint8_t *odd = malloc(half);
    if (!odd) goto oom;
    memset(odd, 1, half);
    for (size_t i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++)
        if (odd[i])
            for (size_t j = (2 * i + 1) * (2 * i + 1) / 2; j < half; j += 2 * i + 1) odd[j] = 0;
    size_t count = 0;
    for (size_t i = FIRST_SIEVING_PRIME / 2; i < half && 2 * i + 1 <= limit; i++) count += odd[i];
    sp->p = malloc((count ? count : 1) * sizeof *sp->p);
    if (!sp->p) {
        free(odd);
        goto oom;
    }
    count = 0;
    for (size_t i = FIRST_SIEVING_PRIME / 2; i < half && 2 * i + 1 <= limit; i++)
        if (odd[i]) sp->p[count++] = (uint32_t)(2 * i + 1);
    free(odd);
    sp->count = count;
    sp->limit = limit;
    return 0;
oom:
    pk_sieve_primes_free(sp);
    return -1;
}

/* Pass 1 stores the AND of patterns 0..6 into seg[0, len), pass 2 ANDs patterns 7..12 into it,
 * for the bytes (groups of 30 integers) starting at global group g0. */
static inline __attribute__((always_inline)) void and_patterns(const pk_sieve_primes *sp, const int pass,
                                                               uint8_t *restrict seg, size_t len, uint64_t g0)
{
    enum { MAXP = 7 };
    const int first = pass == 1 ? 0 : 7, count = pass == 1 ? 7 : PK_SIEVE_PATTERNS - 7;
    size_t off[MAXP] = {0}, period[MAXP] = {0};
    for (int g = 0; g < count; g++) {
        period[g] = sp->period[first + g];
        off[g] = (size_t)(g0 % period[g]);
    }
    for (size_t done = 0; done < len;) {
        size_t chunk = len - done;
        for (int g = 0; g < count; g++)
            if (period[g] - off[g] < chunk) chunk = period[g] - off[g];
        uint8_t *const *pat = sp->pattern + first;
        const uint8_t *restrict a = pat[0] + off[0], *restrict b = pat[1] + off[1], *restrict c = pat[2] + off[2],
                                *restrict d = pat[3] + off[3], *restrict e = pat[4] + off[4],
                                *restrict f = pat[5] + off[5];
        uint8_t *restrict s = seg + done;
        if (pass == 1) {
            const uint8_t *restrict h = pat[6] + off[6];
            for (size_t i = 0; i < chunk; i++) s[i] = a[i] & b[i] & c[i] & d[i] & e[i] & f[i] & h[i];
        } else {
            for (size_t i = 0; i < chunk; i++) s[i] &= a[i] & b[i] & c[i] & d[i] & e[i] & f[i];
        }
        done += chunk;
        for (int g = 0; g < count; g++) {
            off[g] += chunk;
            if (off[g] == period[g]) off[g] = 0;
        }
    }
}

static void presieve(const pk_sieve_primes *sp, uint8_t *seg, size_t len, uint64_t g0)
{
    _Static_assert(PK_SIEVE_PATTERNS == 13, "two passes: 7 + 6 patterns");
    and_patterns(sp, 1, seg, len, g0);
    and_patterns(sp, 2, seg, len, g0);
}

/* Crosses off one prime of class c (p mod 30 = W[c]) in seg[0, len): whole 8-hit cycles with no
 * bounds check inside; the first and last cycles are entered/left where they cross the edge (a
 * switch into the unrolled cycle). *next / *pos: bit offset and wheel position of the next multiple,
 * carried to the next piece. Inlined once per class so that offsets and masks are constants. */
static inline __attribute__((always_inline)) void cross_cycles(uint8_t *seg, int64_t len, uint32_t p, const int c,
                                                               uint32_t *next, uint8_t *pos)
{
    const int64_t d = p / 30;
    const int64_t o0 = d * 1 + T[c][0] / 8, o1 = d * 7 + T[c][1] / 8, o2 = d * 11 + T[c][2] / 8;
    const int64_t o3 = d * 13 + T[c][3] / 8, o4 = d * 17 + T[c][4] / 8, o5 = d * 19 + T[c][5] / 8;
    const int64_t o6 = d * 23 + T[c][6] / 8, o7 = d * 29 + T[c][7] / 8;
#define M(j) ((uint8_t) ~(1u << (T[c][j] % 8)))
    int k = *pos;
    /* byte where the current cycle starts: may be < 0 (its first hits were in the previous piece) */
    int64_t b = ((int64_t)*next - (8 * d * (int64_t)W[k] + T[c][k])) / 8;
    switch (k) {
        for (;;) {
        case 0: if (b + o0 >= len) { k = 0; goto out; } seg[b + o0] &= M(0); /* fall through */
        case 1: if (b + o1 >= len) { k = 1; goto out; } seg[b + o1] &= M(1); /* fall through */
        case 2: if (b + o2 >= len) { k = 2; goto out; } seg[b + o2] &= M(2); /* fall through */
        case 3: if (b + o3 >= len) { k = 3; goto out; } seg[b + o3] &= M(3); /* fall through */
        case 4: if (b + o4 >= len) { k = 4; goto out; } seg[b + o4] &= M(4); /* fall through */
        case 5: if (b + o5 >= len) { k = 5; goto out; } seg[b + o5] &= M(5); /* fall through */
        case 6: if (b + o6 >= len) { k = 6; goto out; } seg[b + o6] &= M(6); /* fall through */
        case 7: if (b + o7 >= len) { k = 7; goto out; } seg[b + o7] &= M(7);
            b += p;
            for (; b + o7 < len; b += p) { /* whole cycles inside the piece */
                seg[b + o0] &= M(0);
                seg[b + o1] &= M(1);
                seg[b + o2] &= M(2);
                seg[b + o3] &= M(3);
                seg[b + o4] &= M(4);
                seg[b + o5] &= M(5);
                seg[b + o6] &= M(6);
                seg[b + o7] &= M(7);
            }
        }
    default: k = 0; break; /* unreachable: pos is 0..7 */
    }
#undef M
out:
    *next = (uint32_t)(8 * (b - len) + 8 * d * (int64_t)W[k] + T[c][k]);
    *pos = (uint8_t)k;
}

/* The primes [from, to) of the list over seg[0, len), each with its class's unrolled cycle. */
static void cross_small(const uint32_t *primes, size_t from, size_t to, uint8_t *seg, uint32_t len, uint32_t *next,
                        uint8_t *pos)
{
    for (size_t i = from; i < to; i++) {
        uint32_t p = primes[i];
        switch (POS[p % 30]) {
        case 0: cross_cycles(seg, len, p, 0, &next[i], &pos[i]); break;
        case 1: cross_cycles(seg, len, p, 1, &next[i], &pos[i]); break;
        case 2: cross_cycles(seg, len, p, 2, &next[i], &pos[i]); break;
        case 3: cross_cycles(seg, len, p, 3, &next[i], &pos[i]); break;
        case 4: cross_cycles(seg, len, p, 4, &next[i], &pos[i]); break;
        case 5: cross_cycles(seg, len, p, 5, &next[i], &pos[i]); break;
        case 6: cross_cycles(seg, len, p, 6, &next[i], &pos[i]); break;
        default: cross_cycles(seg, len, p, 7, &next[i], &pos[i]); break;
        }
    }
}

/* The primes [from, to) over seg[0, len): fewer than a cycle per segment, one hit at a time. */
static void cross_large(const uint32_t *primes, size_t from, size_t to, uint8_t *seg, uint32_t len, uint32_t *next,
                        uint8_t *pos)
{
    const uint32_t bits = 8 * len;
    for (size_t i = from; i < to; i++) {
        uint32_t x = next[i];
        if (x >= bits) {
            next[i] = x - bits;
            continue;
        }
        const uint32_t p = primes[i], d8 = 8 * (p / 30);
        const int32_t *t = T[POS[p % 30]];
        unsigned k = pos[i];
        do {
            seg[x / 8] &= (uint8_t) ~(1u << (x % 8));
            x += d8 * (W[k + 1] - W[k]) + (uint32_t)(t[k + 1] - t[k]);
            k = (k + 1) & 7;
        } while (x < bits);
        next[i] = x - bits;
        pos[i] = (uint8_t)k;
    }
}

static uint64_t popcount_bytes(const uint8_t *seg, size_t len) /* len: a multiple of 8 */
{
    uint64_t c = 0;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w;
        memcpy(&w, seg + i, sizeof w);
        c += (uint64_t)__builtin_popcountll(w);
    }
    return c;
}

/* Primes in (lo, hi] that survive the sieve (so not those of TINY), hi - lo <= CHUNK_SPAN. */
static uint64_t count_chunk(const pk_sieve_primes *sp, uint64_t lo, uint64_t hi)
{
    const uint64_t base = lo - lo % 30;            /* bit 0 is the integer base + 1 */
    const uint64_t bytes = (hi - base + 29) / 30;  /* groups of 30 integers to sieve */
    const uint64_t root = pk_isqrt(hi);
    size_t np = 0, nl1 = 0, nsmall = 0;
    { /* primes p <= isqrt(hi): the others start at p^2 > hi */
        size_t a = 0, b = sp->count;
        while (a < b) {
            size_t m = a + (b - a) / 2;
            if (sp->p[m] <= root) a = m + 1;
            else b = m;
        }
        np = a;
        while (nl1 < np && sp->p[nl1] < L1_PRIME_LIMIT) nl1++;
        nsmall = nl1;
        while (nsmall < np && sp->p[nsmall] < SMALL_PRIME_LIMIT) nsmall++;
    }
    uint8_t *seg = aligned_alloc(64, PK_SIEVE_SEGMENT_BYTES + 64);
    uint32_t *next = malloc((np ? np : 1) * sizeof *next);
    uint8_t *pos = malloc(np ? np : 1);
    if (!seg || !next || !pos) {
        free(seg);
        free(next);
        free(pos);
        return UINT64_MAX;
    }
    /* each prime's first multiple p*m > lo with m >= p and m coprime to 30 (the only division) */
    for (size_t i = 0; i < np; i++) {
        uint64_t p = sp->p[i];
        uint64_t m = lo / p + 1;
        if (m < p) m = p;
        int j = NEXT[m % 30];
        uint64_t x = p * (m - m % 30 + W[j]) - base;
        next[i] = (uint32_t)(8 * (x / 30) + (uint64_t)POS[x % 30]);
        pos[i] = (uint8_t)j;
    }

    uint64_t count = 0;
    for (uint64_t off = 0; off < bytes; off += PK_SIEVE_SEGMENT_BYTES) {
        uint32_t len = (uint32_t)(bytes - off < PK_SIEVE_SEGMENT_BYTES ? bytes - off : PK_SIEVE_SEGMENT_BYTES);
        for (uint32_t sub = 0; sub < len; sub += L1_BYTES) {
            uint32_t sublen = len - sub < L1_BYTES ? len - sub : L1_BYTES;
            presieve(sp, seg + sub, sublen, base / 30 + off + sub);
            cross_small(sp->p, 0, nl1, seg + sub, sublen, next, pos);
        }
        cross_small(sp->p, nl1, nsmall, seg, len, next, pos);
        cross_large(sp->p, nsmall, np, seg, len, next, pos);
        if (base == 0 && off == 0) seg[0] &= 0xFE; /* 1 is not a prime */
        if (off == 0) /* integers <= lo in the first group */
            for (int j = 0; j < 8 && base + W[j] <= lo; j++) seg[0] &= (uint8_t) ~(1u << j);
        if (off + len == bytes) { /* integers > hi in the last group, and padding to 8 bytes */
            uint64_t last = base + 30 * (bytes - 1);
            for (int j = 7; j >= 0 && last + W[j] > hi; j--) seg[len - 1] &= (uint8_t) ~(1u << j);
        }
        uint32_t padded = (len + 7) & ~7u;
        memset(seg + len, 0, padded - len);
        count += popcount_bytes(seg, padded);
    }
    free(seg);
    free(next);
    free(pos);
    return count;
}

uint64_t pk_sieve_count(const pk_sieve_primes *sp, uint64_t lo, uint64_t hi)
{
    if (hi <= lo) return 0;
    if (pk_isqrt(hi) > sp->limit || !sp->p) return UINT64_MAX;
    uint64_t count = 0;
    for (size_t i = 0; i < sizeof TINY / sizeof TINY[0]; i++) count += lo < TINY[i] && TINY[i] <= hi;
    for (uint64_t a = lo; a < hi;) {
        uint64_t b = hi - a > CHUNK_SPAN ? a - a % 30 + CHUNK_SPAN : hi;
        uint64_t c = count_chunk(sp, a, b);
        if (c == UINT64_MAX) return UINT64_MAX;
        count += c;
        a = b;
    }
    return count;
}
