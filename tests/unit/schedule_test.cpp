// The schedule grammar and the chunks of every kind: chunks tile [0, nblocks) exactly, once each,
// in order; static slices are balanced; guided sizes shrink and respect the minimum chunk.
#include <gtest/gtest.h>
#include <string>
#include "parkit/schedule.h"

namespace {
pk_schedule parse_ok(const char *text)
{
    pk_schedule s;
    char err[256] = "";
    EXPECT_EQ(pk_schedule_parse(text, &s, err, sizeof err), 0) << text << ": " << err;
    return s;
}
std::string formatted(const char *text)
{
    pk_schedule s = parse_ok(text);
    char buf[64];
    pk_schedule_format(&s, buf, sizeof buf);
    return buf;
}
} // namespace

TEST(Schedule, ParsesTheOmpScheduleGrammar)
{
    EXPECT_EQ(formatted("static"), "static");
    EXPECT_EQ(formatted("dynamic"), "dynamic");
    EXPECT_EQ(formatted(" Guided,7 "), "guided,7");
    EXPECT_EQ(formatted("dynamic,1"), "dynamic,1");
    EXPECT_EQ(formatted("static,1099511627776"), "static,1099511627776");
    EXPECT_EQ(parse_ok("dynamic").chunk, 0u);
    EXPECT_EQ(parse_ok("guided,3").kind, PK_SCHED_GUIDED);
}

TEST(Schedule, RejectsEverythingElse)
{
    for (const char *bad : {"", " ", "sideways", "dynamic,0", "guided,-1", "static,", "dynamic,1x", ",4", "auto",
                            "static,1099511627777", "dynamic,99999999999999999999999", "dynamic,+3", "dynamic,1e3",
                            "dynamic 4", "monotonic:dynamic", "dynamic,4,4", "dyn"}) {
        pk_schedule s;
        char err[256] = "";
        EXPECT_EQ(pk_schedule_parse(bad, &s, err, sizeof err), -1) << "'" << bad << "'";
        EXPECT_NE(std::string(err).find("expected static, dynamic or guided"), std::string::npos) << err;
    }
    pk_schedule s;
    char err[64];
    EXPECT_EQ(pk_schedule_parse(nullptr, &s, err, sizeof err), -1);
}

namespace {
// Chunks in order cover [0, nblocks) with no gap and no overlap; returns the chunk sizes.
std::vector<uint64_t> tile(const char *text, uint64_t nblocks, uint64_t workers)
{
    pk_schedule s = parse_ok(text);
    pk_chunks c;
    pk_chunks_init(&c, &s, nblocks, workers);
    std::vector<uint64_t> sizes;
    uint64_t next = 0;
    for (uint64_t i = 0; i < c.count; i++) {
        pk_range r = pk_chunks_at(&c, i);
        EXPECT_EQ(r.lo, next) << text << " chunk " << i << " of " << c.count;
        EXPECT_LE(r.lo, r.hi);
        next = r.hi;
        sizes.push_back(r.hi - r.lo);
    }
    EXPECT_EQ(next, nblocks) << text << " nblocks=" << nblocks << " workers=" << workers;
    pk_range past = pk_chunks_at(&c, c.count);
    EXPECT_EQ(past.hi - past.lo, 0u);
    return sizes;
}
} // namespace

TEST(Schedule, EveryKindTilesTheBlocksExactly)
{
    for (const char *s : {"static", "static,1", "static,5", "dynamic", "dynamic,3", "guided", "guided,4"})
        for (uint64_t nblocks : {0, 1, 2, 3, 7, 64, 1000, 4099})
            for (uint64_t workers : {1, 2, 3, 4, 16, 1000}) tile(s, nblocks, workers);
}

TEST(Schedule, StaticIsOneBalancedSlicePerWorker)
{
    auto sizes = tile("static", 10, 4);
    EXPECT_EQ(sizes, (std::vector<uint64_t>{3, 3, 2, 2}));
    // fewer blocks than ranks. (Compared one by one: g++ 12.2 with -mavx512f builds the literal
    // vector {1, 1, 0, 0} as {1, 1, 1, 1}, a compiler bug seen here, so no vector literal of it.)
    auto few = tile("static", 2, 4);
    ASSERT_EQ(few.size(), 4u);
    EXPECT_EQ(few[0] + few[1], 2u);
    EXPECT_EQ(few[0], 1u);
    EXPECT_EQ(few[2] + few[3], 0u);
}

TEST(Schedule, DynamicChunksHaveTheGivenSize)
{
    EXPECT_EQ(tile("dynamic,4", 10, 3), (std::vector<uint64_t>{4, 4, 2}));
    EXPECT_EQ(tile("dynamic", 3, 8), (std::vector<uint64_t>{1, 1, 1}));
    EXPECT_EQ(tile("static,3", 7, 2), (std::vector<uint64_t>{3, 3, 1}));
}

TEST(Schedule, GuidedShrinksByTwiceTheWorkersAndKeepsTheMinimum)
{
    // 100 blocks, 2 workers: ceil(100/4)=25, ceil(75/4)=19, ceil(56/4)=14, 11, 8, 6, 5, 3, 3, 2, 1, 1, 1, 1
    auto sizes = tile("guided", 100, 2);
    ASSERT_GE(sizes.size(), 4u);
    EXPECT_EQ(sizes[0], 25u);
    EXPECT_EQ(sizes[1], 19u);
    EXPECT_EQ(sizes[2], 14u);
    for (size_t i = 1; i < sizes.size(); i++) EXPECT_LE(sizes[i], sizes[i - 1]) << "chunk " << i;
    auto least = tile("guided,8", 100, 2);
    for (size_t i = 0; i + 1 < least.size(); i++) EXPECT_GE(least[i], 8u) << "chunk " << i;
    // claims stay few: O(workers x log(blocks)), far below one per block
    pk_schedule s = parse_ok("guided");
    pk_chunks c;
    pk_chunks_init(&c, &s, 1u << 24, 64);
    EXPECT_LT(c.count, 3000u);
    // the cursor walks forward, and back to the start when asked for an earlier chunk
    pk_range r5 = pk_chunks_at(&c, 5), r2 = pk_chunks_at(&c, 2), r5again = pk_chunks_at(&c, 5);
    EXPECT_EQ(r5.lo, r5again.lo);
    EXPECT_LT(r2.hi, r5.lo + 1);
}
