// The MPI pattern pieces, run by every rank of one launch per rank count (1..4): the bounded queue
// and the master-worker farm process every item/job exactly once (checked here independently of
// their own verification too, and their verifications fed doctored input must say FAIL), ping-pong
// contents are checked (2 ranks), and the placement gather lists every (rank, thread) exactly once.
// Only rank 0 asserts on gathered results.
#include <gtest/gtest.h>
#include <mpi.h>
#include <omp.h>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include "parkit/farm.h"
#include "parkit/pattern_mpi.h"
#include "parkit/pingpong.h"
#include "parkit/placement.h"
#include "parkit/queue.h"

static int world_rank()
{
    int r;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

static int world_size()
{
    int s;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
}

class Queue : public testing::TestWithParam<pk_queue_cfg> {};

TEST_P(Queue, EveryItemExactlyOnce)
{
    pk_queue_cfg cfg = GetParam();
    pk_queue q;
    ASSERT_EQ(pk_queue_open(&q, &cfg), 0);
    for (int run = 0; run < 2; run++) {
        pk_queue_run(&q);
        char why[400] = "";
        int ok = pk_queue_verify(&q, why, sizeof why);
        if (q.rank != 0) continue;
        EXPECT_TRUE(ok) << why;
        // independently: batches are dealt round robin, so consumer k gets exactly these items
        int first, count;
        const pk_queue_tally *t = pk_queue_tallies(&q, &first, &count);
        ASSERT_EQ(count, q.size > 1 ? q.size - 1 : 1);
        std::vector<uint64_t> want(count, 0);
        uint64_t nbatches = (cfg.items + cfg.batch - 1) / cfg.batch, total = 0;
        for (uint64_t b = 0; b < nbatches; b++) {
            uint64_t len = std::min(cfg.batch, cfg.items - b * cfg.batch);
            want[b % (uint64_t)count] += len;
        }
        for (int k = 0; k < count; k++) {
            EXPECT_EQ(t[k].items, want[k]) << "consumer " << first + k;
            EXPECT_EQ(t[k].duplicates, 0u);
            total += t[k].items;
        }
        EXPECT_EQ(total, cfg.items);
    }
    pk_queue_close(&q);
}

INSTANTIATE_TEST_SUITE_P(Configs, Queue,
                         testing::Values(pk_queue_cfg{1, 1, 1}, pk_queue_cfg{5, 100, 2}, pk_queue_cfg{1000, 1, 1},
                                         pk_queue_cfg{10007, 64, 4}, pk_queue_cfg{20000, 3, 16}));

TEST(QueueCheck, CatchesLostDuplicatedAndWrongItems)
{
    pk_queue_cfg cfg = {16, 4, 1};
    // two consumers: items 1..8 and 9..16, with the right sums of squares
    pk_queue_tally t[2] = {{8, 2, 0, 0, 204, 0}, {8, 2, 0, 0, 1292, 0}};
    std::vector<uint8_t> all = {0xff, 0xff};
    char why[400];
    EXPECT_TRUE(pk_queue_check(&cfg, t, 2, all.data(), why, sizeof why)) << why;

    std::vector<uint8_t> hole = {0xff, 0x7f}; // item 16 never arrived, item 15 came twice
    EXPECT_FALSE(pk_queue_check(&cfg, t, 2, hole.data(), why, sizeof why));
    EXPECT_NE(std::string(why).find("1 missing"), std::string::npos) << why;

    pk_queue_tally dup[2] = {t[0], t[1]};
    dup[1].duplicates = 1;
    EXPECT_FALSE(pk_queue_check(&cfg, dup, 2, all.data(), why, sizeof why));

    pk_queue_tally extra[2] = {t[0], t[1]};
    extra[0].items = 9; // counted one more than there are: some item twice
    EXPECT_FALSE(pk_queue_check(&cfg, extra, 2, all.data(), why, sizeof why));

    pk_queue_tally sum[2] = {t[0], t[1]};
    sum[1].sum_lo += 1;
    EXPECT_FALSE(pk_queue_check(&cfg, sum, 2, all.data(), why, sizeof why));
}

TEST(QueueCheck, ConsumerCountsDuplicatesAndStrayItems)
{
    // One consumer (every rank on its own, no messages) fed doctored batches: an item twice, an item
    // out of range. Its tally must say so, and the check must fail -- with the duplicate counted as
    // one, not only noticed through the missing item it displaced.
    pk_queue_cfg cfg = {16, 4, 1};
    pk_queue q;
    ASSERT_EQ(pk_queue_open(&q, &cfg), 0); // collective
    auto feed = [&](std::vector<uint64_t> items) {
        std::memset(&q.mine, 0, sizeof q.mine); // as pk_queue_run starts a run
        std::memset(q.seen, 0, q.seen_bytes);
        for (size_t i = 0; i < items.size(); i += 4)
            pk_queue_consume(&q, items.data() + i, (int)std::min<size_t>(4, items.size() - i));
    };
    char why[400];
    feed({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    EXPECT_EQ(q.mine.items, 16u);
    EXPECT_EQ(q.mine.batches, 4u);
    EXPECT_EQ(q.mine.duplicates, 0u);
    EXPECT_EQ(q.mine.sum_lo, 1496u); // 16 * 17 * 33 / 6
    EXPECT_TRUE(pk_queue_check(&cfg, &q.mine, 1, q.seen, why, sizeof why)) << why;

    feed({1, 2, 3, 4, 5, 6, 7, 8, 3, 10, 11, 12, 13, 14, 15, 16}); // 3 twice, 9 never
    EXPECT_EQ(q.mine.items, 16u);
    EXPECT_EQ(q.mine.duplicates, 1u);
    EXPECT_FALSE(pk_queue_check(&cfg, &q.mine, 1, q.seen, why, sizeof why));
    EXPECT_NE(std::string(why).find("1 missing, 1 duplicated"), std::string::npos) << why;

    feed({16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}); // 16 twice, nothing missing
    EXPECT_EQ(q.mine.items, 17u);
    EXPECT_EQ(q.mine.duplicates, 1u);
    EXPECT_FALSE(pk_queue_check(&cfg, &q.mine, 1, q.seen, why, sizeof why));
    EXPECT_NE(std::string(why).find("0 missing, 1 duplicated"), std::string::npos) << why;

    feed({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}); // 0 and 17 are no items
    EXPECT_EQ(q.mine.items, 16u);
    EXPECT_EQ(q.mine.duplicates, 0u);
    EXPECT_EQ(q.mine.out_of_range, 2u);
    EXPECT_FALSE(pk_queue_check(&cfg, &q.mine, 1, q.seen, why, sizeof why));
    EXPECT_NE(std::string(why).find("2 out of range"), std::string::npos) << why;
    pk_queue_close(&q);
}

class Farm : public testing::TestWithParam<pk_farm_cfg> {};

TEST_P(Farm, EveryJobExactlyOnce)
{
    pk_farm_cfg cfg = GetParam();
    pk_farm f;
    ASSERT_EQ(pk_farm_open(&f, &cfg), 0);
    for (int run = 0; run < 2; run++) {
        pk_farm_run(&f);
        char why[256] = "";
        int ok = pk_farm_verify(&f, why, sizeof why);
        if (f.rank != 0) continue;
        EXPECT_TRUE(ok) << why;
        uint64_t counted = 0;
        for (int w = 0; w < f.nworkers; w++) counted += f.tally[w];
        EXPECT_EQ(counted, cfg.njobs);
        for (uint64_t j = 0; j < cfg.njobs; j++) {
            EXPECT_EQ(f.runs[j], 1) << "job " << j;
            EXPECT_GE(f.worker_of[j], 0);
            EXPECT_LT(f.worker_of[j], f.nworkers);
        }
    }
    pk_farm_close(&f);
}

INSTANTIATE_TEST_SUITE_P(Configs, Farm,
                         testing::Values(pk_farm_cfg{10, 8, 2000, 1, 0}, pk_farm_cfg{2, 3, 1000, 5, 0},
                                         pk_farm_cfg{60, 4, 300, 9, 1}));

TEST(FarmVerify, CatchesAJobDoneTwiceOrNeverAndAWrongCount)
{
    // A real run, then the master's records doctored on rank 0, one fault at a time, and verified
    // again by every rank (the verification gathers the workers' own counts: collective). Each fault
    // alone must make it say FAIL; undone, it must say PASS again.
    pk_farm_cfg cfg = {12, 3, 500, 4, 0};
    pk_farm f;
    ASSERT_EQ(pk_farm_open(&f, &cfg), 0);
    pk_farm_run(&f);
    auto verify = [&](const char *what, bool want, const char *why_has) {
        char why[256] = "";
        int ok = pk_farm_verify(&f, why, sizeof why);
        if (f.rank != 0) return;
        EXPECT_EQ(ok, want ? 1 : 0) << what << ": " << why;
        EXPECT_NE(std::string(why).find(why_has), std::string::npos) << what << ": " << why;
    };
    verify("the real run", true, "each done exactly once");
    const bool master = f.rank == 0;
    if (master) f.runs[5] = 2; // its result recorded twice
    verify("job 5 twice", false, "job 5 came back 2 times");
    if (master) f.runs[5] = 0; // never recorded
    verify("job 5 never", false, "job 5 came back 0 times");
    if (master) { // one twice and one never: the total is still right
        f.runs[5] = 1;
        f.runs[11] = 2;
        f.runs[0] = 0;
    }
    verify("job 11 twice, job 0 never", false, "job 0 came back 0 times");
    if (master) {
        f.runs[11] = f.runs[0] = 1;
        f.value[7] ^= 1; // a wrong result
    }
    verify("job 7 wrong", false, "job 7: wrong result");
    if (master) {
        f.value[7] ^= 1;
        f.tally[0]++; // the master counted one more for worker 0 than it says it ran
    }
    verify("worker 0 miscounted", false, "worker 0 says it ran");
    if (master) f.tally[0]--;
    verify("undone", true, "each done exactly once");
    pk_farm_close(&f);
}

TEST(PingpongPattern, DependsOnSizeAndIterationAndCatchesOneBadByte)
{
    std::vector<unsigned char> buf(1000);
    pk_pp_fill(buf.data(), 1000, 7);
    EXPECT_EQ(pk_pp_errors(buf.data(), 1000, 7), 0u);
    EXPECT_GT(pk_pp_errors(buf.data(), 1000, 8), 0u); // another iteration, another pattern
    EXPECT_GT(pk_pp_errors(buf.data(), 999, 7), 0u);  // another size, another pattern
    buf[997] ^= 1;                                    // in the tail (1000 = 125 words... + 0): last word
    EXPECT_EQ(pk_pp_errors(buf.data(), 1000, 7), 1u);
    pk_pp_fill(buf.data(), 13, 3);
    buf[12] ^= 0x80; // the 5-byte tail of a 13-byte message
    EXPECT_EQ(pk_pp_errors(buf.data(), 13, 3), 1u);
    EXPECT_EQ(pk_pp_errors(buf.data(), 0, 3), 0u);
}

TEST(Pingpong, ContentsArriveIntactBothWays)
{
    if (world_size() != 2) GTEST_SKIP() << "ping-pong needs exactly 2 ranks";
    const uint64_t max = 1 << 16;
    std::vector<unsigned char> sbuf(max), rbuf(max);
    uint64_t bad = 0, it = 0, messages = 0;
    for (uint64_t s = 0; s <= max; s = s ? 2 * s : 1) {
        uint64_t n = pk_pp_iterations(s, 20);
        pk_pp_run(world_rank(), sbuf.data(), rbuf.data(), s, it, n, &bad);
        it += n;
        messages += n;
    }
    uint64_t total = 0;
    MPI_Allreduce(&bad, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(total, 0u);
    EXPECT_GT(messages, 300u);
}

TEST(Where, EveryRankListedOnce)
{
    pk_place *all = nullptr;
    size_t n = 0;
    ASSERT_EQ(pk_where_gather(0, &all, &n), 0);
    if (world_rank() == 0) {
        char why[256];
        EXPECT_EQ(n, (size_t)world_size());
        EXPECT_TRUE(pk_place_check(all, n, world_size(), why, sizeof why)) << why;
    }
    free(all);
}

TEST(Where, EveryRankAndThreadListedOnce)
{
    pk_place *all = nullptr;
    size_t n = 0;
    ASSERT_EQ(pk_where_gather(1, &all, &n), 0);
    int threads = omp_get_max_threads(), most = 0;
    MPI_Allreduce(&threads, &most, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (world_rank() == 0) {
        char why[256];
        EXPECT_EQ(n, (size_t)most);
        EXPECT_TRUE(pk_place_check(all, n, world_size(), why, sizeof why)) << why;
        EXPECT_EQ(all[n - 1].rank, world_size() - 1);
        EXPECT_EQ(all[n - 1].thread, threads - 1);
    }
    free(all);
}
