/* Size parsing: strict, exact, overflow-checked. strtoull alone accepts "-1" (and wraps it) and
 * " 7", so every part is checked to start with a digit before strtoull sees it. */
#include "parkit/size.h"
#include "parkit/u128.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *why)
{
    if (err && errlen) snprintf(err, errlen, "%s", why);
    return -1;
}

/* a * b into *out, or -1 on overflow */
static int mul_checked(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > UINT64_MAX / a) return -1;
    *out = a * b;
    return 0;
}

static int pow_checked(uint64_t base, uint64_t exp, uint64_t *out)
{
    uint64_t v = 1;
    for (uint64_t i = 0; i < exp; i++) {
        if (mul_checked(v, base, &v) != 0) return -1;
        if (v == 0 || v == 1) break; /* 0^k and 1^k: no need to loop k times */
    }
    *out = v;
    return 0;
}

/* Decimal digits only, at least one, any number of them (leading zeros are fine): 0 with the
 * value, 1 when the value exceeds 2^64-1 (*out is then meaningless), -1 when not all digits. */
static int digits_value(const char *s, size_t len, uint64_t *out)
{
    if (len == 0) return -1;
    uint64_t v = 0;
    int over = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (!over && v > (UINT64_MAX - d) / 10) over = 1;
        if (!over) v = v * 10 + d;
    }
    *out = v;
    return over;
}

/* B^E, with B and E of any length: B^0 = 1, 0^E = 0, 1^E = 1 even when B or E exceed 64 bits. */
static int parse_power(const char *text, const char *caret, uint64_t *out, char *err, size_t errlen)
{
    uint64_t base = 0, exp = 0;
    int rb = digits_value(text, (size_t)(caret - text), &base);
    int re = digits_value(caret + 1, strlen(caret + 1), &exp);
    if (rb < 0 || re < 0) return fail(err, errlen, "bad power, expected BASE^EXP with decimal integers (e.g. 2^20)");
    if (re == 0 && exp == 0) {
        *out = 1;
        return 0;
    }
    if (rb == 0 && base <= 1) { /* E >= 1 here, however large */
        *out = base;
        return 0;
    }
    if (rb != 0 || re != 0 || pow_checked(base, exp, out) != 0) return fail(err, errlen, "too large (over 2^64-1)");
    return 0;
}

#define PK_SIZE_MAX_SIGNIFICANT 38 /* significant digits that fit in 128 bits */

int pk_parse_size(const char *text, uint64_t *out, char *err, size_t errlen)
{
    if (!text || !*text) return fail(err, errlen, "empty value, expected a non-negative integer");
    if (text[0] == '-') return fail(err, errlen, "negative, expected a non-negative integer");
    if (!isdigit((unsigned char)text[0]))
        return fail(err, errlen, "not a number, expected e.g. 1000000, 1e6, 10M, 2^20");

    const char *caret = strchr(text, '^');
    if (caret) return parse_power(text, caret, out, err, errlen);

    /* mantissa: digits[.digits] */
    const char *p = text;
    const char *int_start = p;
    while (isdigit((unsigned char)*p)) p++;
    size_t int_len = (size_t)(p - int_start);
    const char *frac_start = p;
    size_t frac_len = 0;
    if (*p == '.') {
        p++;
        frac_start = p;
        while (isdigit((unsigned char)*p)) p++;
        frac_len = (size_t)(p - frac_start);
        if (frac_len == 0) return fail(err, errlen, "not a number, expected digits after '.'");
    }

    /* scale: e<digits>, or a suffix; the value is mantissa x 10^exp10 x 2^exp2 */
    uint64_t exp10 = 0;
    unsigned exp2 = 0;
    int huge_exp = 0;
    if (*p == 'e' || *p == 'E') {
        int re = digits_value(p + 1, strlen(p + 1), &exp10);
        if (re < 0) return fail(err, errlen, "bad exponent, expected e.g. 1e6");
        huge_exp = re > 0 || exp10 > 1000000000u; /* only a zero mantissa survives it */
    } else if (*p) {
        static const struct { const char *suffix; unsigned exp10, exp2; } suffixes[] = {
            {"k", 3, 0}, {"K", 3, 0}, {"M", 6, 0}, {"G", 9, 0}, {"T", 12, 0}, {"P", 15, 0},
            {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50},
        };
        size_t i, count = sizeof suffixes / sizeof suffixes[0];
        for (i = 0; i < count; i++)
            if (strcmp(p, suffixes[i].suffix) == 0) break;
        if (i == count)
            return fail(err, errlen, "unknown suffix, expected k, M, G, T, P, Ki, Mi, Gi, Ti or Pi");
        exp10 = suffixes[i].exp10;
        exp2 = suffixes[i].exp2;
    }

    /* The significant digits S of int.frac (no leading zeros, no trailing zeros), so that
     * value = S x 10^scale x 2^exp2. digit(i) reads the i-th digit of int then frac. */
    size_t total = int_len + frac_len, lead = 0, trail = 0;
#define DIGIT(i) ((i) < int_len ? int_start[i] : frac_start[(i) - int_len])
    while (lead < total && DIGIT(lead) == '0') lead++;
    if (lead == total) { /* zero, whatever the scale */
        *out = 0;
        return 0;
    }
    if (huge_exp) return fail(err, errlen, "too large (over 2^64-1)");
    while (DIGIT(total - 1 - trail) == '0') trail++;
    size_t nsig = total - lead - trail;
    int64_t scale = (int64_t)exp10 - (int64_t)frac_len + (int64_t)trail;
    if (nsig > PK_SIZE_MAX_SIGNIFICANT)
        return fail(err, errlen, scale >= 0 ? "too large (over 2^64-1)"
                                            : "more than 38 significant digits, expected an exact integer");
    pk_u128 sig = 0;
    for (size_t i = lead; i < total - trail; i++) sig = sig * 10 + (unsigned)(DIGIT(i) - '0');
#undef DIGIT
    if (scale >= 0) {
        /* S >= 1, so 10^20 or more is out of range. S itself may have 38 digits: each step checks
         * that the value still fits 64 bits before multiplying, so the 128-bit product never wraps
         * (10 x (2^64-1) < 2^68). */
        if (scale > 19) return fail(err, errlen, "too large (over 2^64-1)");
        for (int64_t i = 0; i < scale; i++) {
            if (sig > (pk_u128)UINT64_MAX) return fail(err, errlen, "too large (over 2^64-1)");
            sig *= 10;
        }
        if (sig > ((pk_u128)UINT64_MAX >> exp2)) return fail(err, errlen, "too large (over 2^64-1)");
        *out = (uint64_t)(sig << exp2);
        return 0;
    }
    /* S x 2^exp2 / 10^k with S not a multiple of 10: an integer only when 5^k divides S and k <= exp2 */
    uint64_t k = (uint64_t)-scale;
    if (k > exp2) return fail(err, errlen, "not an integer");
    pk_u128 p5 = 1;
    for (uint64_t i = 0; i < k; i++) p5 *= 5; /* k <= 50: 5^50 < 2^128 */
    if (sig % p5 != 0) return fail(err, errlen, "not an integer");
    sig /= p5;
    if (sig > ((pk_u128)UINT64_MAX >> (exp2 - k))) return fail(err, errlen, "too large (over 2^64-1)");
    *out = (uint64_t)(sig << (exp2 - k));
    return 0;
}
