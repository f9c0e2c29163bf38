/* Parsing of sizes and counts given on the command line.
 * Accepted: 1000000, 1e6, 1.5e6 (when the value is an exact integer), 10M (k,M,G,T,P = powers of 10),
 * 4Ki, 64Mi, 1Gi, 1Ti (powers of 2), 2^20. Rejected: empty, signs, junk, fractions, overflow. */
#ifndef PARKIT_SIZE_H
#define PARKIT_SIZE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Returns 0 and stores the value, or -1 and writes a reason ("not an integer", ...) into err. */
int pk_parse_size(const char *text, uint64_t *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
