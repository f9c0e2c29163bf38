/* Size parsing: strict, exact, overflow-checked. strtoull alone accepts "-1" (and wraps it) and
 * " 7", so every part is checked to start with a digit before strtoull sees it. */
#include "parkit/size.h"

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

/* Digits only, at least one; strtoull with errno and end-pointer checks. */
static int parse_digits(const char *s, size_t len, uint64_t *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) return -1;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i])) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno == ERANGE || end != buf + len) return -1;
    *out = (uint64_t)v;
    return 0;
}

int pk_parse_size(const char *text, uint64_t *out, char *err, size_t errlen)
{
    if (!text || !*text) return fail(err, errlen, "empty value, expected a non-negative integer");
    if (text[0] == '-') return fail(err, errlen, "negative, expected a non-negative integer");
    if (!isdigit((unsigned char)text[0]))
        return fail(err, errlen, "not a number, expected e.g. 1000000, 1e6, 10M, 2^20");

    /* B^E */
    const char *caret = strchr(text, '^');
    if (caret) {
        uint64_t base, exp, v;
        if (parse_digits(text, (size_t)(caret - text), &base) != 0 ||
            parse_digits(caret + 1, strlen(caret + 1), &exp) != 0)
            return fail(err, errlen, "bad power, expected BASE^EXP with decimal integers (e.g. 2^20)");
        if (pow_checked(base, exp, &v) != 0) return fail(err, errlen, "too large (over 2^64-1)");
        *out = v;
        return 0;
    }

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

    /* scale: e<digits>, or a suffix */
    uint64_t mult = 1;
    int64_t exp10 = 0;
    if (*p == 'e' || *p == 'E') {
        uint64_t e;
        if (parse_digits(p + 1, strlen(p + 1), &e) != 0 || e > 40)
            return fail(err, errlen, "bad exponent, expected e.g. 1e6");
        exp10 = (int64_t)e;
        p += strlen(p);
    } else if (*p) {
        static const struct { const char *suffix; int exp10; int exp2; } suffixes[] = {
            {"k", 3, 0}, {"K", 3, 0}, {"M", 6, 0}, {"G", 9, 0}, {"T", 12, 0}, {"P", 15, 0},
            {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50},
        };
        size_t i, count = sizeof suffixes / sizeof suffixes[0];
        for (i = 0; i < count; i++)
            if (strcmp(p, suffixes[i].suffix) == 0) break;
        if (i == count)
            return fail(err, errlen, "unknown suffix, expected k, M, G, T, P, Ki, Mi, Gi, Ti or Pi");
        exp10 = suffixes[i].exp10;
        mult = (uint64_t)1 << suffixes[i].exp2;
        p += strlen(p);
    }

    /* value = int.frac * 10^exp10 * mult must be an exact integer */
    char digits[128];
    if (int_len + frac_len >= sizeof digits) return fail(err, errlen, "too many digits");
    memcpy(digits, int_start, int_len);
    memcpy(digits + int_len, frac_start, frac_len);
    size_t ndig = int_len + frac_len;
    int64_t scale = exp10 - (int64_t)frac_len;
    while (scale < 0 && ndig > 0 && digits[ndig - 1] == '0') {
        ndig--;
        scale++;
    }
    if (scale < 0) {
        if (mult > 1) { /* e.g. 1.5Ki = 1536: allowed when the product is integral */
            uint64_t num, den;
            if (ndig == 0) num = 0;
            else if (parse_digits(digits, ndig, &num) != 0) return fail(err, errlen, "too large (over 2^64-1)");
            if (pow_checked(10, (uint64_t)-scale, &den) != 0) return fail(err, errlen, "not an integer");
            uint64_t prod;
            if (mul_checked(num, mult, &prod) != 0) return fail(err, errlen, "too large (over 2^64-1)");
            if (prod % den != 0) return fail(err, errlen, "not an integer");
            *out = prod / den;
            return 0;
        }
        return fail(err, errlen, "not an integer");
    }
    uint64_t v = 0, p10, total;
    if (ndig > 0 && parse_digits(digits, ndig, &v) != 0) return fail(err, errlen, "too large (over 2^64-1)");
    if (v == 0) {
        *out = 0;
        return 0;
    }
    if (pow_checked(10, (uint64_t)scale, &p10) != 0 || mul_checked(v, p10, &total) != 0 ||
        mul_checked(total, mult, &total) != 0)
        return fail(err, errlen, "too large (over 2^64-1)");
    *out = total;
    return 0;
}
