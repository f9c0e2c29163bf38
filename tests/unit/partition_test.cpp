// pk_partition and fixed blocks: pieces tile [0, n) exactly, balanced within one item.
#include <gtest/gtest.h>
#include <cstdint>
#include "parkit/partition.h"

namespace {
void check_tiling(uint64_t n, uint64_t parts)
{
    uint64_t next = 0, smallest = UINT64_MAX, largest = 0;
    for (uint64_t p = 0; p < parts; p++) {
        pk_range r = pk_partition(n, parts, p);
        ASSERT_EQ(r.lo, next) << "gap or overlap at piece " << p << " of " << parts << ", n=" << n;
        ASSERT_LE(r.lo, r.hi);
        next = r.hi;
        smallest = std::min(smallest, r.hi - r.lo);
        largest = std::max(largest, r.hi - r.lo);
    }
    EXPECT_EQ(next, n) << "pieces do not end at n=" << n;
    EXPECT_LE(largest - smallest, 1u) << "unbalanced for n=" << n << " parts=" << parts;
}
} // namespace

TEST(Partition, FewerItemsThanWorkers)
{
    check_tiling(0, 4);
    check_tiling(1, 4);
    check_tiling(3, 4);
    pk_range r = pk_partition(3, 4, 3);
    EXPECT_EQ(r.lo, r.hi) << "the fourth of four workers gets nothing of 3 items";
}

TEST(Partition, EqualAndNotDivisible)
{
    check_tiling(4, 4);
    check_tiling(8, 4);
    check_tiling(10, 4);
    check_tiling(10, 3);
    check_tiling(1000003, 7);
    pk_range first = pk_partition(10, 4, 0), last = pk_partition(10, 4, 3);
    EXPECT_EQ(first.hi - first.lo, 3u);
    EXPECT_EQ(last.hi - last.lo, 2u);
}

TEST(Partition, HugeN)
{
    check_tiling(UINT64_MAX, 3);
    check_tiling(UINT64_MAX, 1000);
    pk_range last = pk_partition(UINT64_MAX, 7, 6);
    EXPECT_EQ(last.hi, UINT64_MAX);
}

TEST(Partition, OutOfRangeWorkerGetsNothing)
{
    pk_range r = pk_partition(10, 0, 0);
    EXPECT_EQ(r.hi - r.lo, 0u);
    r = pk_partition(10, 2, 5);
    EXPECT_EQ(r.hi - r.lo, 0u);
}

TEST(Blocks, CountAndRanges)
{
    EXPECT_EQ(pk_block_count(0, 16), 0u);
    EXPECT_EQ(pk_block_count(1, 16), 1u);
    EXPECT_EQ(pk_block_count(16, 16), 1u);
    EXPECT_EQ(pk_block_count(17, 16), 2u);
    pk_range r = pk_block_range(17, 16, 1);
    EXPECT_EQ(r.lo, 16u);
    EXPECT_EQ(r.hi, 17u);
}

TEST(Blocks, LastBlockNear2To64)
{
    uint64_t block = 1u << 20;
    uint64_t count = pk_block_count(UINT64_MAX, block);
    EXPECT_EQ(count, (UINT64_MAX >> 20) + 1);
    pk_range last = pk_block_range(UINT64_MAX, block, count - 1);
    EXPECT_EQ(last.hi, UINT64_MAX);
    EXPECT_EQ(last.lo, (count - 1) * block);
}
