#include "parkit/u128.h"

char *pk_u128_to_string(pk_u128 v, char *buf, size_t len)
{
    char tmp[48];
    size_t i = 0;
    do {
        tmp[i++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    size_t j = 0;
    while (i > 0 && j + 1 < len) buf[j++] = tmp[--i];
    if (len) buf[j] = '\0';
    return buf;
}

pk_u128 pk_triangular(uint64_t n)
{
    if (n == 0) return 0;
    /* divide the even factor first so that nothing is lost */
    if (n % 2 == 0) return (pk_u128)(n / 2) * (n - 1);
    return (pk_u128)n * ((n - 1) / 2);
}
