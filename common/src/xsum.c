/* Exact double accumulation (see xsum.h for the representation).
 *
 * Why the limits hold: a normalized limb is in [0, 2^48); one added double changes each limb by
 * less than 2^48; so after p deferred additions |limb| < (p + 1) 2^48. Merging two accumulators
 * adds their bounds: (pa + 1) + (pb + 1) = (pa + pb + 1) + 1. With p <= PK_XSUM_MAX_PENDING
 * = 2^14 - 1 every limb stays below 2^62 in magnitude, and normalization's carries (< 2^14 + 2)
 * cannot overflow an int64. The carry limb only receives carries: its magnitude is bounded by the
 * value itself (|sum| / 2^1038), far inside int64 for any count of additions a program can do. */
#include "parkit/xsum.h"

#include <math.h>
#include <string.h>

#include "parkit/u128.h"

#define DIGITS (PK_XSUM_LIMBS - 1) /* limbs with a 48-bit digit; limb[DIGITS] is the carry limb */
#define RADIX ((int64_t)1 << PK_XSUM_DIGIT_BITS)
#define MASK ((uint64_t)RADIX - 1)
#define MIN_EXP (-1074) /* weight of bit 0 of limb 0 */

enum { SPECIAL_PINF = 1, SPECIAL_NINF = 2, SPECIAL_NAN = 4 };

_Static_assert(DIGITS * PK_XSUM_DIGIT_BITS >= 2098, "digit limbs cover every finite double");
_Static_assert(sizeof(pk_xsum) == (PK_XSUM_LIMBS + 2) * sizeof(int64_t), "no padding");

void pk_xsum_zero(pk_xsum *s) { memset(s, 0, sizeof *s); }

void pk_xsum_normalize(pk_xsum *s)
{
    for (int i = 0; i < DIGITS; i++) {
        int64_t x = s->limb[i];
        int64_t low = (int64_t)((uint64_t)x & MASK); /* x mod 2^48, in [0, 2^48) */
        s->limb[i] = low;
        s->limb[i + 1] += (x - low) / RADIX; /* exact: x - low is a multiple of 2^48 */
    }
    s->pending = 0;
}

void pk_xsum_add(pk_xsum *s, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t biased = (bits >> 52) & 0x7ff, frac = bits & (((uint64_t)1 << 52) - 1);
    int negative = (int)(bits >> 63);
    if (biased == 0x7ff) {
        s->special |= frac ? SPECIAL_NAN : negative ? SPECIAL_NINF : SPECIAL_PINF;
        return;
    }
    if (biased == 0 && frac == 0) return; /* +-0 */
    /* x = m * 2^(p + MIN_EXP): subnormals have p = 0, normals the implicit bit and p = biased - 1 */
    uint64_t m = biased ? frac | ((uint64_t)1 << 52) : frac;
    unsigned p = biased ? (unsigned)biased - 1 : 0;
    unsigned k = p / PK_XSUM_DIGIT_BITS, shift = p % PK_XSUM_DIGIT_BITS;
    pk_u128 v = (pk_u128)m << shift; /* < 2^101: three digits at most */
    int64_t d0 = (int64_t)((uint64_t)v & MASK);
    int64_t d1 = (int64_t)((uint64_t)(v >> PK_XSUM_DIGIT_BITS) & MASK);
    int64_t d2 = (int64_t)(uint64_t)(v >> (2 * PK_XSUM_DIGIT_BITS));
    if (s->pending >= PK_XSUM_MAX_PENDING) pk_xsum_normalize(s);
    /* k <= 2045 / 48 = 42, so k + 2 is at most the carry limb */
    if (negative) {
        s->limb[k] -= d0;
        s->limb[k + 1] -= d1;
        s->limb[k + 2] -= d2;
    } else {
        s->limb[k] += d0;
        s->limb[k + 1] += d1;
        s->limb[k + 2] += d2;
    }
    s->pending++;
}

void pk_xsum_add_xsum(pk_xsum *s, const pk_xsum *t)
{
    pk_xsum copy;
    if (s->pending + t->pending + 1 > PK_XSUM_MAX_PENDING) pk_xsum_normalize(s);
    if (s->pending + t->pending + 1 > PK_XSUM_MAX_PENDING) { /* t itself is nearly full */
        copy = *t;
        pk_xsum_normalize(&copy);
        t = &copy;
    }
    for (int i = 0; i < PK_XSUM_LIMBS; i++) s->limb[i] += t->limb[i];
    s->pending += t->pending + 1;
    s->special |= t->special;
}

/* Bit i of a canonical non-negative magnitude (limbs 0..DIGITS-1 in [0, 2^48), carry limb >= 0). */
static unsigned bit_at(const pk_xsum *s, int i)
{
    int k = i / PK_XSUM_DIGIT_BITS;
    if (k > DIGITS) k = DIGITS;
    int shift = i - k * PK_XSUM_DIGIT_BITS;
    if (shift >= 63) return 0;
    return (unsigned)(((uint64_t)s->limb[k] >> shift) & 1u);
}

/* Any bit below position i set? */
static int any_below(const pk_xsum *s, int i)
{
    if (i <= 0) return 0;
    int k = i / PK_XSUM_DIGIT_BITS;
    int shift = i - k * PK_XSUM_DIGIT_BITS; /* i < top bit <= 2112 + 62, k <= DIGITS */
    for (int j = 0; j < k && j <= DIGITS; j++)
        if (s->limb[j]) return 1;
    if (k <= DIGITS && shift > 0 && ((uint64_t)s->limb[k] & ((((uint64_t)1) << shift) - 1))) return 1;
    return 0;
}

double pk_xsum_round(const pk_xsum *in)
{
    if (in->special) {
        if ((in->special & SPECIAL_NAN) || (in->special & (SPECIAL_PINF | SPECIAL_NINF)) ==
                                               (SPECIAL_PINF | SPECIAL_NINF))
            return NAN;
        return (in->special & SPECIAL_PINF) ? INFINITY : -INFINITY;
    }
    pk_xsum s = *in;
    pk_xsum_normalize(&s);
    int negative = s.limb[DIGITS] < 0; /* canonical form: the sign is the carry limb's */
    if (negative) {
        for (int i = 0; i < PK_XSUM_LIMBS; i++) s.limb[i] = -s.limb[i];
        pk_xsum_normalize(&s);
    }
    int top = DIGITS;
    while (top >= 0 && s.limb[top] == 0) top--;
    if (top < 0) return 0.0;
    int h = top * PK_XSUM_DIGIT_BITS + 63 - __builtin_clzll((unsigned long long)s.limb[top]);
    double r;
    if (h <= 52) {
        /* below 2^53 units: exactly a double (subnormal, or the smallest binade) */
        uint64_t m = (uint64_t)s.limb[0] | ((uint64_t)s.limb[1] << PK_XSUM_DIGIT_BITS);
        r = ldexp((double)m, MIN_EXP);
    } else {
        uint64_t q = 0; /* the top 53 bits */
        for (int i = h; i >= h - 52; i--) q = (q << 1) | bit_at(&s, i);
        unsigned guard = bit_at(&s, h - 53);
        int sticky = any_below(&s, h - 53);
        if (guard && (sticky || (q & 1))) q++; /* to nearest, ties to even */
        /* q may have become 2^53: still exact as a double, and ldexp then gives the next binade
         * or infinity when the sum rounds past the largest double */
        r = ldexp((double)q, h - 52 + MIN_EXP);
    }
    return negative ? -r : r;
}

int pk_xsum_equal(const pk_xsum *a, const pk_xsum *b)
{
    pk_xsum x = *a, y = *b;
    pk_xsum_normalize(&x);
    pk_xsum_normalize(&y);
    return memcmp(x.limb, y.limb, sizeof x.limb) == 0 && x.special == y.special;
}
