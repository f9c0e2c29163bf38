#include "parkit/partition.h"

pk_range pk_partition(uint64_t n, uint64_t parts, uint64_t which)
{
    pk_range r = {0, 0};
    if (parts == 0 || which >= parts) return r;
    uint64_t base = n / parts, extra = n % parts;
    /* piece i starts at i*base + min(i, extra); no intermediate exceeds n */
    r.lo = which * base + (which < extra ? which : extra);
    r.hi = r.lo + base + (which < extra ? 1 : 0);
    return r;
}

uint64_t pk_block_count(uint64_t n, uint64_t block)
{
    if (block == 0) return 0;
    return n / block + (n % block != 0);
}

pk_range pk_block_range(uint64_t n, uint64_t block, uint64_t b)
{
    pk_range r;
    r.lo = b * block;
    r.hi = (n - r.lo > block) ? r.lo + block : n; /* no overflow near 2^64 */
    return r;
}
