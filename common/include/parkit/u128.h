/* Unsigned 128-bit integers: exact sums that exceed 64 bits (the sum of 0..10^10-1 needs 66 bits). */
#ifndef PARKIT_U128_H
#define PARKIT_U128_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

__extension__ typedef unsigned __int128 pk_u128; /* __extension__: a GCC/Clang type, quiet under -Wpedantic */

/* Exact decimal text of v; buf needs 40 bytes. Returns buf. */
char *pk_u128_to_string(pk_u128 v, char *buf, size_t len);
/* The sum 0 + 1 + ... + (n-1) = n(n-1)/2, exact for every 64-bit n. */
pk_u128 pk_triangular(uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
