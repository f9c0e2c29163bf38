/* Segmented mod-30 wheel sieve (see sieve.h for the layout and the plan).
 *
 * Indexing: inside one call, bit i stands for the integer base + 30*(i/8) + W[i%8], base = lo
 * rounded down to a multiple of 30. A sieving prime p = 30*d + W[c] crosses p*m for m = 30q + W[j]:
 * p*m = 30*p*q + p*W[j], whose bit is 8*p*q (a byte boundary) + 8*d*W[j] + T[c][j], with
 * T[c][j] = 8*((W[c]*W[j]) / 30) + bit of (W[c]*W[j]) mod 30. So the 8 hits of a cycle sit at fixed
 * byte offsets d*W[j] + T[c][j]/8 with fixed masks, and the next cycle is p bytes further.
 *
 * Buckets: a call of k segments keeps k lists of bucket-tier primes, list s holding those whose
 * next multiple lies in segment s, as (bit offset from the call's base, p/30, class, wheel position)
 * packed in 8 bytes. Sieving segment s empties list s: each prime crosses its hits in s (about one)
 * and moves to the list of the segment of its next hit, or leaves the call. The lists are chains
 * of fixed-size chunks from one pool per call, recycled as they are emptied. */
#include "parkit/sieve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

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
 * 16 patterns of 173 KB, 321 KB as stored (below); ANDing them costs a few vector operations per
 * 64 bytes, far less than crossing off these primes' dense multiples one by one. The last three
 * pairs (137..163) made 16 blocks near 1e10, 1e11 and 1e12 1.3% faster; four more pairs up to 199
 * gained nothing more. */
static const uint32_t PRESIEVE[PK_SIEVE_PATTERNS][4] = {
    {7, 11, 13, 17}, {19, 23, 29, 1}, {31, 37, 1, 1}, {41, 43, 1, 1},  {47, 53, 1, 1},
    {59, 61, 1, 1},  {67, 71, 1, 1},  {73, 79, 1, 1}, {83, 89, 1, 1},  {97, 101, 1, 1},
    {103, 107, 1, 1}, {109, 113, 1, 1}, {127, 131, 1, 1}, {137, 139, 1, 1}, {149, 151, 1, 1}, {157, 163, 1, 1}};
/* Each pattern is stored as whole periods of at least this many bytes: ANDing runs in chunks that
 * end where any pattern wraps, and periods from 1147 bytes (31*37) on made about 100 chunks of a
 * few vectors and a tail per 32 KiB piece. Measured on 32 blocks near 1e10, 1e11 and 1e12: 8 KiB
 * 1.0-1.5% faster than single periods, 16 KiB 1.3-1.7%, 32 KiB no better than 16 KiB. */
#define PATTERN_MIN_BYTES 16384u
/* Primes the sieve never sees as survivors: 2, 3, 5 (off the wheel) and the pre-sieved ones. */
static const uint32_t TINY[] = {2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,  47,  53,  59, 61, 67,
                                71,  73,  79,  83,  89,  97,  101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163};
#define FIRST_SIEVING_PRIME 167

/* A call counts at most this many integers at once, so every bit offset fits 32 bits. */
#define CHUNK_SPAN ((uint64_t)30 << 23)
/* Pieces of a segment for the smallest primes: their hits are dense, so they run at L1 speed only
 * if the bytes they hit stay in L1 (a whole segment is L2-sized). */
#define L1_BYTES ((uint32_t)1 << 15)
/* Primes with at least 8 cycles of 8 hits (p bytes each) per L1 piece: below that, entering and
 * leaving the unrolled cycle 8 times per segment costs more than the L2 misses it saves. */
#define L1_PRIME_LIMIT (L1_BYTES / 8)
/* Above this, bit offsets (< 2^26 in a chunk, + 8p to a next multiple) could overflow 32 bits. */
#define LIMIT_MAX ((uint64_t)1 << 26)
/* Pieces of a segment for the smaller medium primes (the mid tier): a 1 MiB segment fills L2 and
 * shares it with the wheel lists and the patterns, so a hit of the medium tier often goes to L3; a
 * 128 KiB piece that the L1 tier has just sieved is still in L2. Primes up to L2_PRIME_LIMIT make at
 * least 64 hits per piece, so entering and leaving the cycle once per piece costs little beside them.
 * Measured on windows of the kernel's blocks near 1e10, 1e11, 1e12 (medians of alternating runs):
 * 0-5%, 6-11% and 4-6% faster than one pass of all medium primes over the whole segment; 256 KiB
 * pieces or limits of 8192 or 32768 within the noise of it. */
#define L2_BYTES ((uint32_t)1 << 17)
#define L2_PRIME_LIMIT 16384

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
    free(sp->by_class);
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
        period *= (PATTERN_MIN_BYTES + period - 1) / period; /* whole periods, at least the minimum */
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
    sp->by_class = malloc((count ? count : 1) * sizeof *sp->by_class);
    if (!sp->by_class) goto oom;
    size_t fill[8] = {0};
    for (size_t i = 0; i < count; i++) fill[POS[sp->p[i] % 30]]++;
    sp->class_start[0] = 0;
    for (int c = 0; c < 8; c++) {
        sp->class_start[c + 1] = sp->class_start[c] + fill[c];
        fill[c] = sp->class_start[c];
    }
    for (size_t i = 0; i < count; i++) sp->by_class[fill[POS[sp->p[i] % 30]]++] = sp->p[i];
    sp->count = count;
    sp->limit = limit;
    sp->bucket_min = PK_SIEVE_BUCKET_MIN;
    return 0;
oom:
    pk_sieve_primes_free(sp);
    return -1;
}

/* Pass 1 stores the AND of patterns 0..7 into seg[0, len), pass 2 ANDs patterns 8..15 into it,
 * for the bytes (groups of 30 integers) starting at global group g0. */
static inline __attribute__((always_inline)) void and_patterns(const pk_sieve_primes *sp, const int pass,
                                                               uint8_t *restrict seg, size_t len, uint64_t g0)
{
    enum { COUNT = PK_SIEVE_PATTERNS / 2 }; /* patterns per pass */
    const int first = pass == 1 ? 0 : COUNT;
    size_t off[COUNT] = {0}, period[COUNT] = {0};
    for (int g = 0; g < COUNT; g++) {
        period[g] = sp->period[first + g];
        off[g] = (size_t)(g0 % period[g]);
    }
    for (size_t done = 0; done < len;) {
        size_t chunk = len - done;
        for (int g = 0; g < COUNT; g++)
            if (period[g] - off[g] < chunk) chunk = period[g] - off[g];
        uint8_t *const *pat = sp->pattern + first;
        const uint8_t *restrict a = pat[0] + off[0], *restrict b = pat[1] + off[1], *restrict c = pat[2] + off[2],
                                *restrict d = pat[3] + off[3], *restrict e = pat[4] + off[4],
                                *restrict f = pat[5] + off[5], *restrict h = pat[6] + off[6],
                                *restrict m = pat[7] + off[7];
        uint8_t *restrict s = seg + done;
        if (pass == 1) {
            for (size_t i = 0; i < chunk; i++) s[i] = a[i] & b[i] & c[i] & d[i] & e[i] & f[i] & h[i] & m[i];
        } else {
            for (size_t i = 0; i < chunk; i++) s[i] &= a[i] & b[i] & c[i] & d[i] & e[i] & f[i] & h[i] & m[i];
        }
        done += chunk;
        for (int g = 0; g < COUNT; g++) {
            off[g] += chunk;
            if (off[g] == period[g]) off[g] = 0;
        }
    }
}

static void presieve(const pk_sieve_primes *sp, uint8_t *seg, size_t len, uint64_t g0)
{
    _Static_assert(PK_SIEVE_PATTERNS == 16, "two passes: 8 + 8 patterns");
    and_patterns(sp, 1, seg, len, g0);
    and_patterns(sp, 2, seg, len, g0);
}

/* Crosses off one prime of class c (p mod 30 = W[c]) in seg[0, len): whole 8-hit cycles with no
 * bounds check inside. *start / *pos: the byte where the prime's current cycle starts (< 0 when its
 * first hits were in the previous piece) and the wheel position of its next hit, carried to the
 * next piece. Inlined once per class so that offsets and masks are constants.
 * The first and the last cycle of a piece take no branch on the position: a jump into the unrolled
 * cycle on each prime's own position mispredicted, as did the exit from a partial cycle, two or
 * three mispredictions per prime and piece where the prime makes 30 to 250 hits. A hit that does
 * not belong to the piece goes to a dummy byte instead (a pointer select). Measured on 16 blocks
 * near 1e10, 1e11 and 1e12: 4-6% faster in all; primes 1000..4096 alone, 1.59 -> 1.35 cycles a hit. */
static inline __attribute__((always_inline)) void cross_cycles(uint8_t *seg, int64_t len, uint32_t p, const int c,
                                                               int32_t *start, uint8_t *pos)
{
    const int64_t d = p / 30;
    const int64_t o0 = d * 1 + T[c][0] / 8, o1 = d * 7 + T[c][1] / 8, o2 = d * 11 + T[c][2] / 8;
    const int64_t o3 = d * 13 + T[c][3] / 8, o4 = d * 17 + T[c][4] / 8, o5 = d * 19 + T[c][5] / 8;
    const int64_t o6 = d * 23 + T[c][6] / 8, o7 = d * 29 + T[c][7] / 8;
#define M(j) ((uint8_t) ~(1u << (T[c][j] % 8)))
    int k = *pos;
    int64_t b = *start;
    uint8_t dummy[8] = {0}; /* one per position: no chain of read-modify-writes through one byte */
    if (b + o7 < len) { /* the current cycle ends in the piece: always, but in a call's last piece */
        /* its hits from position k on (b + o_k >= 0: the next hit is in this piece) */
#define ENTRY(j) { uint8_t *q = (j) >= k ? seg + b + o##j : &dummy[j]; *q &= M(j); }
        ENTRY(0) ENTRY(1) ENTRY(2) ENTRY(3) ENTRY(4) ENTRY(5) ENTRY(6) ENTRY(7)
#undef ENTRY
        for (b += p; b + o7 < len; b += p) { /* whole cycles inside the piece */
            seg[b + o0] &= M(0);
            seg[b + o1] &= M(1);
            seg[b + o2] &= M(2);
            seg[b + o3] &= M(3);
            seg[b + o4] &= M(4);
            seg[b + o5] &= M(5);
            seg[b + o6] &= M(6);
            seg[b + o7] &= M(7);
        }
        /* the cycle that crosses the end: its hits in the piece are a prefix (the offsets ascend),
         * and their number is the position of the next hit */
        k = 0;
#define EXIT(j) { const int in = b + o##j < len; uint8_t *q = in ? seg + b + o##j : &dummy[j]; *q &= M(j); k += in; }
        EXIT(0) EXIT(1) EXIT(2) EXIT(3) EXIT(4) EXIT(5) EXIT(6)
#undef EXIT
    } else { /* the piece ends inside the current cycle */
        switch (k) {
        case 0: if (b + o0 >= len) { k = 0; break; } seg[b + o0] &= M(0); /* fall through */
        case 1: if (b + o1 >= len) { k = 1; break; } seg[b + o1] &= M(1); /* fall through */
        case 2: if (b + o2 >= len) { k = 2; break; } seg[b + o2] &= M(2); /* fall through */
        case 3: if (b + o3 >= len) { k = 3; break; } seg[b + o3] &= M(3); /* fall through */
        case 4: if (b + o4 >= len) { k = 4; break; } seg[b + o4] &= M(4); /* fall through */
        case 5: if (b + o5 >= len) { k = 5; break; } seg[b + o5] &= M(5); /* fall through */
        case 6: if (b + o6 >= len) { k = 6; break; } seg[b + o6] &= M(6); /* fall through */
        default: k = 7; break; /* b + o7 >= len */
        }
    }
#undef M
    *start = (int32_t)(b - len);
    *pos = (uint8_t)k;
}

/* The primes [from, to) of one class's list over seg[0, len), in unrolled cycles. The class is a
 * constant in each case, so the whole loop runs one specialised copy: no branch per prime on it. */
static void cross_small(const uint32_t *primes, size_t from, size_t to, uint8_t *seg, uint32_t len, int32_t *start,
                        uint8_t *pos, int c)
{
#define CROSS_CLASS(C)                                                                                  \
    case C:                                                                                             \
        for (size_t i = from; i < to; i++) cross_cycles(seg, len, primes[i], C, &start[i], &pos[i]);     \
        break;
    switch (c) {
        CROSS_CLASS(0) CROSS_CLASS(1) CROSS_CLASS(2) CROSS_CLASS(3)
        CROSS_CLASS(4) CROSS_CLASS(5) CROSS_CLASS(6) CROSS_CLASS(7)
    default: break;
    }
#undef CROSS_CLASS
}

/* From the hit at wheel position k to the next: 8*(p/30)*DW[k] + DT[c][k] bits, with
 * DW[k] = W[k+1] - W[k] and DT[c][k] = T[c][k+1] - T[c][k] (checked by the unit tests' counts). */
static const uint8_t DW[8] = {6, 4, 2, 4, 2, 4, 6, 2};
static const uint8_t DT[8][8] = {
    {1, 1, 1, 1, 1, 1, 1, 1},         {12, 7, 4, 7, 4, 7, 12, 3},     {18, 12, 6, 11, 6, 12, 18, 5},
    {21, 14, 7, 13, 7, 14, 21, 7},    {27, 18, 9, 19, 9, 18, 27, 9},  {30, 20, 10, 21, 10, 20, 30, 11},
    {36, 25, 12, 25, 12, 25, 36, 13}, {47, 31, 15, 31, 15, 31, 47, 15},
};

/* ---- the medium tier: primes sorted by wheel position ----------------------------------------- */

/* A medium-tier prime in a call: x, the byte of its next hit from the current segment's start, and
 * dk = p/30 << 3 | the wheel position of that hit (which fixes the bit in the byte). */
typedef struct wheel_entry {
    uint32_t x;
    uint32_t dk;
} wheel_entry;

/* One class's medium primes, kept in 8 lists by the wheel position of their next hit: each list runs
 * one copy of the cycle compiled for its entry point, so the jump into the cycle is the same for
 * every prime of the list and is predicted, where a jump on each prime's own position mispredicted
 * once per prime and segment (primesieve keeps its medium primes sorted this way for the same
 * reason). A prime here hits a segment from 0 (the largest, about a segment apart) to about 1000
 * times (the smallest), so every hit is checked against the end and the only unpredicted branch is
 * the exit. The lists are chains of chunks from one pool per call: a segment reads each entry once
 * and appends it to the list of its new position, into chunks just emptied (so still in cache).
 * Regrouping through a second array instead streamed twice the bytes through L2 per segment. */
#define WHEEL_CHUNK 511 /* entries: a chunk is 4 KiB with its link */
typedef struct wheel_chunk {
    struct wheel_chunk *next;
    wheel_entry e[WHEEL_CHUNK];
} wheel_chunk;

typedef struct wheel_pool {
    wheel_chunk *free; /* emptied chunks, the last emptied first */
    wheel_chunk *mem;  /* one allocation for all, handed out in order: a chunk never needed is never touched */
    size_t used, cap;
} wheel_pool;

/* list k: the primes whose next hit is at position k; its first chunk holds n[k] entries, the others
 * are full. The counts live here rather than in the chunks: chunk headers all fall on one cache set
 * (the chunks are page-sized), and reading 16 of them per entry thrashed it. */
typedef struct wheel_class {
    wheel_chunk *list[8];
    uint32_t n[8];
} wheel_class;

/* The 8 lists a pass writes: each has a chunk from the start, so a push only checks for a full one. */
typedef struct wheel_out {
    wheel_chunk *head[8];
    wheel_entry *at[8];
} wheel_out;

/* The chunks stay with the thread from call to call (a thread-specific pointer, freed when the thread
 * ends): a block's call mapped a fresh pool otherwise, and its page faults (about 10 us each in a
 * virtual machine) cost a quarter of the time near 10^10. */
typedef struct wheel_cache {
    size_t cap;
    wheel_chunk mem[];
} wheel_cache;
static once_flag wheel_cache_once = ONCE_FLAG_INIT;
static tss_t wheel_cache_key;
static int wheel_cache_ok;
static void wheel_cache_make(void) { wheel_cache_ok = tss_create(&wheel_cache_key, free) == thrd_success; }

/* Each class of each of the two medium tiers keeps its entries in its 8 input or 8 output lists: at
 * most n/WHEEL_CHUNK full chunks plus a partly filled one per list, plus the input chunk being read.
 * With no thread-specific storage the pool is the call's own (*own, for the caller to free). */
static int wheel_pool_init(wheel_pool *pl, size_t entries, wheel_cache **own)
{
    *pl = (wheel_pool){.cap = entries / WHEEL_CHUNK + 2 * 8 * (2 * 8 + 1) + 1};
    *own = NULL;
    call_once(&wheel_cache_once, wheel_cache_make);
    wheel_cache *wc = wheel_cache_ok ? tss_get(wheel_cache_key) : NULL;
    if (!wc || wc->cap < pl->cap) {
        free(wc);
        if (wheel_cache_ok) tss_set(wheel_cache_key, NULL);
        wc = malloc(sizeof *wc + pl->cap * sizeof wc->mem[0]);
        if (!wc) return -1;
        wc->cap = pl->cap;
        if (!wheel_cache_ok || tss_set(wheel_cache_key, wc) != thrd_success) *own = wc;
    }
    pl->mem = wc->mem;
    return 0;
}

static inline wheel_chunk *wheel_chunk_get(wheel_pool *pl)
{
    wheel_chunk *k = pl->free;
    if (k) {
        pl->free = k->next;
        return k;
    }
    return &pl->mem[pl->used++]; /* used < cap: the pool is sized for the worst case above */
}

static inline void wheel_chunk_put(wheel_pool *pl, wheel_chunk *k)
{
    k->next = pl->free;
    pl->free = k;
}

static void wheel_out_begin(wheel_out *o, wheel_pool *pl)
{
    for (int k = 0; k < 8; k++) {
        o->head[k] = wheel_chunk_get(pl);
        o->head[k]->next = NULL;
        o->at[k] = o->head[k]->e;
    }
}

static inline void wheel_out_push(wheel_out *o, wheel_pool *pl, int k, wheel_entry v)
{
    if (o->at[k] == o->head[k]->e + WHEEL_CHUNK) {
        wheel_chunk *nk = wheel_chunk_get(pl);
        nk->next = o->head[k];
        o->head[k] = nk;
        o->at[k] = nk->e;
    }
    *o->at[k]++ = v;
}

static void wheel_out_end(const wheel_out *o, wheel_class *w)
{
    for (int k = 0; k < 8; k++) {
        w->list[k] = o->head[k];
        w->n[k] = (uint32_t)(o->at[k] - o->head[k]->e);
    }
}

/* The primes in[0, n) (of class c, at position k) over seg[0, len), each appended to the list out[e]
 * of the position e of its next hit.
 * Hit j+1 is d*DW[j] + (T[c][j+1] - T[c][j]) / 8 bytes after hit j (T as bytes; T[c][8] closes the
 * cycle), so a step is one add of 2d, 4d or 6d plus a constant: three registers per prime, where
 * eight precomputed offsets spilled out of the general registers. */
static inline __attribute__((always_inline)) void cross_group(const wheel_entry *restrict in, uint32_t n,
                                                              uint8_t *restrict seg, const uint64_t len,
                                                              wheel_pool *pl, wheel_out *out,
                                                              const int c, const int k)
{
#define M(j) ((uint8_t) ~(1u << (T[c][j] % 8)))
#define STEP(j) ((DW[j] == 2 ? d2 : DW[j] == 4 ? d4 : d6) + (uint64_t)(T[c][j + 1] / 8 - T[c][j] / 8))
#define FALL __attribute__((fallthrough));
/* An empty asm that "changes" x: without it GCC's induction-variable pass turned x into eight
 * variables (one per hit of the cycle, each stepped by p), spilled them to vector registers and
 * moved them back and forth, about 9 instructions per hit instead of 4; clang did less of it. With
 * x kept as one register the medium tier measured 1.2x faster (windows of 16 blocks near 1e10,
 * 1e11 and 1e12, gcc 12 and clang 14). */
#define KEEP_ONE_REGISTER(v) __asm__("" : "+r"(v))
#define HIT(j)                                                                                          \
    case j:                                                                                             \
        if (x >= len) {                                                                                 \
            e = j;                                                                                      \
            goto out;                                                                                   \
        }                                                                                               \
        seg[x] &= M(j);                                                                                 \
        x += STEP(j);                                                                                   \
        KEEP_ONE_REGISTER(x);
    for (uint32_t i = 0; i < n; i++) {
        const uint64_t d = in[i].dk >> 3, d2 = 2 * d, d4 = 4 * d, d6 = 6 * d;
        uint64_t x = in[i].x;
        int e;
        switch (k) {
            for (;;) {
                HIT(0) FALL HIT(1) FALL HIT(2) FALL HIT(3) FALL HIT(4) FALL HIT(5) FALL HIT(6) FALL HIT(7)
            }
        default: e = k; break; /* unreachable: k is 0..7 */
        }
    out:
        wheel_out_push(out, pl, e, (wheel_entry){.x = (uint32_t)(x - len), .dk = (uint32_t)d << 3 | (uint32_t)e});
    }
#undef HIT
#undef KEEP_ONE_REGISTER
#undef FALL
#undef STEP
#undef M
}

static inline __attribute__((always_inline)) void cross_wheel_class(wheel_class *w, wheel_pool *pl, uint8_t *seg,
                                                                    uint32_t len, const int c)
{
    wheel_out out;
    wheel_out_begin(&out, pl);
#define GROUP(K)                                                                                        \
    for (wheel_chunk *ch = w->list[K], *nx; ch; ch = nx) {                                              \
        cross_group(ch->e, ch == w->list[K] ? w->n[K] : WHEEL_CHUNK, seg, len, pl, &out, c, K);         \
        nx = ch->next;                                                                                  \
        wheel_chunk_put(pl, ch);                                                                        \
    }
    GROUP(0) GROUP(1) GROUP(2) GROUP(3) GROUP(4) GROUP(5) GROUP(6) GROUP(7)
#undef GROUP
    wheel_out_end(&out, w);
}

/* One class's medium primes over seg[0, len): 64 specialised copies of the cycle (class x entry). */
static void cross_wheel(wheel_class *w, wheel_pool *pl, uint8_t *seg, uint32_t len, int c)
{
#define CROSS_CLASS(C)                                                                                  \
    case C: cross_wheel_class(w, pl, seg, len, C); break;
    switch (c) {
        CROSS_CLASS(0) CROSS_CLASS(1) CROSS_CLASS(2) CROSS_CLASS(3)
        CROSS_CLASS(4) CROSS_CLASS(5) CROSS_CLASS(6) CROSS_CLASS(7)
    default: break;
    }
#undef CROSS_CLASS
}

/* ---- buckets ---------------------------------------------------------------------------------- */

#define SEGMENT_BITS_LOG (PK_SIEVE_SEGMENT_LOG + 3)
#define SEGMENT_BITS ((uint32_t)1 << SEGMENT_BITS_LOG)
/* Segments in one call at most (a call spans at most CHUNK_SPAN integers). */
#define MAX_SEGMENTS 32
_Static_assert(CHUNK_SPAN / PK_SIEVE_SEGMENT_SPAN <= MAX_SEGMENTS, "a call's segments have their lists");
#define CHUNK_HITS 1023

typedef struct bucket_hit {
    uint32_t x;   /* bit offset of the next multiple from the call's base */
    uint32_t dck; /* p/30 << 6 | class << 3 | wheel position */
} bucket_hit;

typedef struct bucket_chunk {
    struct bucket_chunk *next;
    uint32_t n;
    bucket_hit hit[CHUNK_HITS];
} bucket_chunk;

typedef struct buckets {
    bucket_chunk *head[MAX_SEGMENTS]; /* list s: the chunks of segment s, the one being filled first */
    bucket_chunk *free;               /* recycled chunks */
    bucket_chunk *pool;               /* one allocation for all */
    uint32_t segments;
} buckets;

/* Each bucket-tier prime sits in one list at a time, so `primes` hits fill at most primes/CHUNK_HITS
 * full chunks plus a partly filled one per list, plus the chunk being emptied. */
static int buckets_init(buckets *b, size_t primes, uint32_t segments)
{
    memset(b, 0, sizeof *b);
    b->segments = segments;
    if (!primes) return 0;
    size_t chunks = primes / CHUNK_HITS + segments + 2;
    b->pool = malloc(chunks * sizeof *b->pool);
    if (!b->pool) return -1;
    for (size_t i = 0; i < chunks; i++) {
        b->pool[i].next = b->free;
        b->free = &b->pool[i];
    }
    return 0;
}

static inline void bucket_push(buckets *b, uint32_t s, bucket_hit h)
{
    bucket_chunk *k = b->head[s];
    if (!k || k->n == CHUNK_HITS) {
        k = b->free; /* never NULL: the pool is sized for the worst case above */
        b->free = k->next;
        k->n = 0;
        k->next = b->head[s];
        b->head[s] = k;
    }
    k->hit[k->n++] = h;
}

/* A hit at bit x from the base: into the list of its segment, or dropped past the call's end. */
static inline void bucket_add(buckets *b, uint32_t x, uint32_t dck)
{
    uint32_t s = x >> SEGMENT_BITS_LOG;
    if (s < b->segments) bucket_push(b, s, (bucket_hit){.x = x, .dck = dck});
}

/* Crosses segment s's bucket hits off seg (the segment's bytes) and moves each prime on. */
static void bucket_sieve(buckets *b, uint32_t s, uint8_t *seg)
{
    bucket_chunk *k = b->head[s];
    b->head[s] = NULL;
    const uint32_t from = s << SEGMENT_BITS_LOG;
    while (k) {
        for (uint32_t j = 0; j < k->n; j++) {
            const uint32_t dck = k->hit[j].dck, d8 = 8 * (dck >> 6), c = (dck >> 3) & 7;
            uint32_t x = k->hit[j].x - from, w = dck & 7;
            do { /* about once: the tier's primes are about a segment apart */
                seg[x / 8] &= (uint8_t) ~(1u << (x % 8));
                x += d8 * DW[w] + DT[c][w];
                w = (w + 1) & 7;
            } while (x < SEGMENT_BITS);
            bucket_add(b, x + from, (dck & ~7u) | w);
        }
        bucket_chunk *done = k;
        k = k->next;
        done->next = b->free;
        b->free = done;
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

/* Index of the first of list[0, n) (ascending) that is > x, or >= x when `strict` is 0. */
static size_t bound(const uint32_t *list, size_t n, uint64_t x, int strict)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strict ? list[m] <= x : list[m] < x) a = m + 1;
        else b = m;
    }
    return a;
}

/* One class's primes in a call: list[0, l1) sieve L1 pieces, [l1, mid) L2 pieces and [mid, large)
 * whole segments from the wheel-sorted groups, [large, end) from the buckets; the L1 tier's start/pos
 * are state[0, l1) of the call's arrays from t.state on. */
typedef struct class_tiers {
    const uint32_t *list;
    size_t l1, mid, large, end, state;
} class_tiers;

static void tiers_of(const pk_sieve_primes *sp, uint64_t root, class_tiers t[8])
{
    const uint64_t bmin = sp->bucket_min;
    _Static_assert(L1_PRIME_LIMIT <= L2_PRIME_LIMIT, "the tiers nest: l1 <= mid <= large");
    const uint64_t l1 = L1_PRIME_LIMIT < bmin ? L1_PRIME_LIMIT : bmin;
    const uint64_t mid = L2_PRIME_LIMIT < bmin ? L2_PRIME_LIMIT : bmin;
    size_t state = 0;
    for (int c = 0; c < 8; c++) {
        const uint32_t *list = sp->by_class + sp->class_start[c];
        const size_t n = bound(list, sp->class_start[c + 1] - sp->class_start[c], root, 1); /* p <= root */
        t[c] = (class_tiers){.list = list, .l1 = bound(list, n, l1, 0), .mid = bound(list, n, mid, 0),
                             .large = bound(list, n, bmin, 0), .end = n, .state = state};
        state += t[c].l1;
    }
}

/* Primes in (lo, hi] that survive the sieve (so not those of TINY), hi - lo <= CHUNK_SPAN. */
static uint64_t count_chunk(const pk_sieve_primes *sp, uint64_t lo, uint64_t hi)
{
    const uint64_t base = lo - lo % 30;            /* bit 0 is the integer base + 1 */
    const uint64_t bytes = (hi - base + 29) / 30;  /* groups of 30 integers to sieve */
    const uint32_t segments = (uint32_t)((bytes + PK_SIEVE_SEGMENT_BYTES - 1) / PK_SIEVE_SEGMENT_BYTES);
    class_tiers t[8];
    tiers_of(sp, pk_isqrt(hi), t); /* primes p <= isqrt(hi): the others start at p^2 > hi */
    size_t nstate = 0, nwheel = 0, nbucket = 0;
    for (int c = 0; c < 8; c++) {
        nstate += t[c].l1;
        nwheel += t[c].large - t[c].l1;
        nbucket += t[c].end - t[c].large;
    }
    uint8_t *seg = aligned_alloc(64, PK_SIEVE_SEGMENT_BYTES + 64);
    int32_t *start = malloc((nstate ? nstate : 1) * sizeof *start);
    uint8_t *pos = malloc(nstate ? nstate : 1);
    wheel_pool pool;
    wheel_cache *pool_own;
    int pool_ok = wheel_pool_init(&pool, nwheel, &pool_own) == 0;
    buckets bk;
    int bk_ok = buckets_init(&bk, nbucket, segments) == 0;
    if (!seg || !start || !pos || !pool_ok || !bk_ok) {
        free(seg);
        free(start);
        free(pos);
        free(pool_own);
        free(bk.pool);
        return UINT64_MAX;
    }
    wheel_class wm[8], wc[8]; /* the medium primes of the mid tier (L2 pieces), and the others */
    /* each prime's first multiple p*m > lo with m >= p and m coprime to 30 (the only division) */
    for (int c = 0; c < 8; c++) {
        wheel_out out, outm;
        wheel_out_begin(&out, &pool);
        wheel_out_begin(&outm, &pool);
        for (size_t i = 0; i < t[c].end; i++) {
            uint64_t p = t[c].list[i];
            uint64_t m = lo / p + 1;
            if (m < p) m = p;
            /* m = 30a + W[j], so p*m - base = 30(p*a - base/30 + d*W[j]) + W[c]*W[j] (d = p/30): the
             * bit follows from T without dividing p*m by 30 again (a shorter chain per prime) */
            const uint64_t a = m / 30;
            const int j = NEXT[m - 30 * a];
            const int64_t cycle = (int64_t)(p * a) - (int64_t)(base / 30); /* byte of p*30a: < 0 before base */
            const uint64_t bit = (uint64_t)(8 * (cycle + (int64_t)(p / 30) * W[j]) + T[c][j]);
            if (i < t[c].l1) {
                start[t[c].state + i] = (int32_t)cycle; /* the L1 tier keeps the cycle's start */
                pos[t[c].state + i] = (uint8_t)j;
            } else if (i < t[c].large) {
                wheel_out_push(i < t[c].mid ? &outm : &out, &pool, j,
                               (wheel_entry){.x = (uint32_t)(bit / 8), .dk = (uint32_t)(p / 30) << 3 | (uint32_t)j});
            } else if (bit < (uint64_t)segments << SEGMENT_BITS_LOG) {
                bucket_add(&bk, (uint32_t)bit, (uint32_t)(p / 30) << 6 | (uint32_t)c << 3 | (uint32_t)j);
            }
        }
        wheel_out_end(&out, &wc[c]);
        wheel_out_end(&outm, &wm[c]);
    }

    uint64_t count = 0;
    for (uint32_t s = 0; s < segments; s++) {
        const uint64_t off = (uint64_t)s * PK_SIEVE_SEGMENT_BYTES;
        uint32_t len = (uint32_t)(bytes - off < PK_SIEVE_SEGMENT_BYTES ? bytes - off : PK_SIEVE_SEGMENT_BYTES);
        for (uint32_t piece = 0; piece < len; piece += L2_BYTES) {
            const uint32_t piecelen = len - piece < L2_BYTES ? len - piece : L2_BYTES, piece_end = piece + piecelen;
            for (uint32_t sub = piece; sub < piece_end; sub += L1_BYTES) {
                uint32_t sublen = piece_end - sub < L1_BYTES ? piece_end - sub : L1_BYTES;
                presieve(sp, seg + sub, sublen, base / 30 + off + sub);
                for (int c = 0; c < 8; c++)
                    cross_small(t[c].list, 0, t[c].l1, seg + sub, sublen, start + t[c].state, pos + t[c].state, c);
            }
            for (int c = 0; c < 8; c++) cross_wheel(&wm[c], &pool, seg + piece, piecelen, c);
        }
        for (int c = 0; c < 8; c++) cross_wheel(&wc[c], &pool, seg, len, c);
        bucket_sieve(&bk, s, seg);
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
    free(start);
    free(pos);
    free(pool_own);
    free(bk.pool);
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
