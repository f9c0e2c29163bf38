/* Balanced contiguous partition of [0, n) into `parts` pieces: piece sizes differ by at most one,
 * the first n % parts pieces get the extra item. Works for n < parts (some pieces empty). */
#ifndef PARKIT_PARTITION_H
#define PARKIT_PARTITION_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_range {
    uint64_t lo, hi; /* [lo, hi) */
} pk_range;

pk_range pk_partition(uint64_t n, uint64_t parts, uint64_t which);

/* Blocks of fixed size `block` over [0, n): count, and the element range of block b. */
uint64_t pk_block_count(uint64_t n, uint64_t block);
pk_range pk_block_range(uint64_t n, uint64_t block, uint64_t b);

#ifdef __cplusplus
}
#endif
#endif
