/* Exact sums of doubles: a fixed-point superaccumulator (Kulisch style) that holds the exact sum
 * of any number of finite doubles, so adding in any order, on any number of workers, and merging
 * accumulators in any order gives the same exact value, and pk_xsum_round turns that value into
 * the same double every time (correctly rounded to nearest, ties to even).
 *
 * Representation: the value is sum_i limb[i] * 2^(48 i - 1074). 2^-1074 is the smallest subnormal,
 * so every finite double is an integer multiple of the unit; 44 limbs of 48 bits cover every finite
 * double (2098 bits) and the top limb absorbs carries. Limbs are int64, so additions defer their
 * carries: `pending` counts the additions since the last normalization, and the accumulator
 * normalizes itself before the limbs could overflow. Infinities and NaN are remembered in
 * `special` (IEEE rules: inf + -inf = NaN).
 *
 * Plain old data (376 bytes, no pointers): copy it, send its bytes, memset it to zero (a zeroed
 * struct is the sum 0). Two accumulators with the same exact value may differ in their bytes until
 * normalized; compare with pk_xsum_round or pk_xsum_equal. */
#ifndef PARKIT_XSUM_H
#define PARKIT_XSUM_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PK_XSUM_DIGIT_BITS 48
#define PK_XSUM_LIMBS 45           /* 44 digit limbs + 1 carry limb */
#define PK_XSUM_MAX_PENDING 16383  /* additions between normalizations: keeps |limb| < 2^62 */

typedef struct pk_xsum {
    int64_t limb[PK_XSUM_LIMBS];
    int64_t pending; /* deferred-carry additions since the last normalization */
    int64_t special; /* bit 0: +inf added, bit 1: -inf added, bit 2: NaN added */
} pk_xsum;

void pk_xsum_zero(pk_xsum *s);
/* s += x, exactly. */
void pk_xsum_add(pk_xsum *s, double x);
/* s += t, exactly (t is not modified). */
void pk_xsum_add_xsum(pk_xsum *s, const pk_xsum *t);
/* Canonical form: limbs 0..43 in [0, 2^48), the carry limb signed, pending 0. Equal exact values
 * have equal canonical forms (byte for byte). */
void pk_xsum_normalize(pk_xsum *s);
/* The exact sum rounded to the nearest double, ties to even; +-inf when it overflows; NaN or
 * +-inf when such values were added. An exact zero gives +0.0. */
double pk_xsum_round(const pk_xsum *s);
/* 1 when a and b hold the same exact value (and the same infinities/NaN). */
int pk_xsum_equal(const pk_xsum *a, const pk_xsum *b);

#ifdef __cplusplus
}
#endif
#endif
