// Load balance arithmetic: min/median/max of the workers' shares, imbalance = max busy / mean busy,
// block counts as whole totals over the timed runs (busy seconds per run), the thread level beside
// the process level, and the per-thread tally the runners fill.
#include <gtest/gtest.h>
#include <string>
#include "parkit/balance.h"
#include "parkit/driver.h"

namespace {
std::string field(const pk_report &r, const char *key)
{
    const pk_field *f = pk_report_get(&r, key);
    return f ? f->text : "(absent)";
}
} // namespace

TEST(Balance, SummarizesSharesAndImbalance)
{
    pk_share shares[] = {{10, 1.0}, {30, 3.0}, {20, 2.0}};
    pk_balance b = pk_balance_of(shares, 3);
    EXPECT_EQ(b.blocks.min, 10);
    EXPECT_EQ(b.blocks.median, 20);
    EXPECT_EQ(b.blocks.max, 30);
    EXPECT_DOUBLE_EQ(b.imbalance, 1.5); // 3.0 / mean 2.0
    EXPECT_EQ(b.has_threads, 0);        // the process part alone
    pk_share idle[] = {{0, 0}, {0, 0}};
    EXPECT_EQ(pk_balance_of(idle, 2).imbalance, 1.0);
}

TEST(Balance, BlocksAreWholeTotalsOverTheRunsAndBusyIsPerRun)
{
    // 3 runs of 1801 blocks on 2 ranks: totals 2701 and 2702 (a per-run average would be 900.33..)
    pk_share shares[] = {{2701, 3.0}, {2702, 6.0}};
    pk_balance b = pk_balance_of(shares, 2);
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_balance_report(&r, &b, 3);
    EXPECT_EQ(field(r, "rank_blocks_min"), "2701");
    EXPECT_EQ(field(r, "rank_blocks_median"), "2701"); // the lower middle count, not 2701.5
    EXPECT_EQ(field(r, "rank_blocks_max"), "2702");
    EXPECT_EQ(field(r, "rank_busy_s_min"), "1.000000000"); // 3.0 s over 3 runs
    EXPECT_EQ(field(r, "rank_busy_s_median"), "1.500000000");
    EXPECT_EQ(field(r, "rank_busy_s_max"), "2.000000000");
    EXPECT_EQ(field(r, "rank_imbalance"), "1.3333"); // 6 / mean 4.5
    EXPECT_EQ(field(r, "thread_imbalance"), "(absent)");
}

TEST(Balance, LargeTotalsPrintExactly)
{
    // 2^52 + 1 blocks: exact in a double, and printed without an exponent
    pk_share shares[] = {{4503599627370497.0, 1.0}};
    pk_balance b = pk_balance_of(shares, 1);
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_balance_report(&r, &b, 7);
    EXPECT_EQ(field(r, "rank_blocks_max"), "4503599627370497");
}

TEST(Balance, ThreadImbalanceIsMaxBusyOverMeanBusyOfEveryThread)
{
    // 2 ranks, balanced between them, but one thread of 4 did most of the work
    pk_share ranks[] = {{40, 8.0}, {40, 8.0}};
    pk_share threads[] = {{5, 1.0}, {5, 1.0}, {30, 6.0}, {0, 0.0}};
    pk_balance b = pk_balance_of(ranks, 2);
    pk_balance_add_threads(&b, threads, 4);
    ASSERT_EQ(b.has_threads, 1);
    EXPECT_DOUBLE_EQ(b.imbalance, 1.0);
    EXPECT_DOUBLE_EQ(b.thread_imbalance, 3.0); // 6.0 / mean 2.0
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_balance_report(&r, &b, 2);
    EXPECT_EQ(field(r, "rank_imbalance"), "1.0000");
    EXPECT_EQ(field(r, "thread_blocks_min"), "0");
    EXPECT_EQ(field(r, "thread_blocks_median"), "5");
    EXPECT_EQ(field(r, "thread_blocks_max"), "30");
    EXPECT_EQ(field(r, "thread_busy_s_min"), "0.000000000");
    EXPECT_EQ(field(r, "thread_busy_s_median"), "0.500000000"); // (1.0 + 1.0) / 2, per run: halved
    EXPECT_EQ(field(r, "thread_busy_s_max"), "3.000000000");
    EXPECT_EQ(field(r, "thread_imbalance"), "3.0000");
}

TEST(Balance, NoThreadPartFromNoThreads)
{
    pk_share one = {3, 1.0};
    pk_balance b = pk_balance_of(&one, 1);
    pk_balance_add_threads(&b, nullptr, 0);
    EXPECT_EQ(b.has_threads, 0);
}

TEST(Balance, OneThreadProcessIsItsOwnThread)
{
    pk_share mine = {12, 0.75};
    pk_balance b = pk_balance_single(&mine);
    ASSERT_EQ(b.has_threads, 1);
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_balance_report(&r, &b, 3);
    for (const char *s : {"blocks_min", "blocks_median", "blocks_max", "busy_s_min", "busy_s_max", "imbalance"})
        EXPECT_EQ(field(r, ("thread_" + std::string(s)).c_str()), field(r, ("rank_" + std::string(s)).c_str())) << s;
    EXPECT_EQ(field(r, "thread_blocks_max"), "12");
}

TEST(Balance, ShareAddIgnoresUncountedRuns)
{
    pk_share s = {1, 0.5};
    pk_share_add(&s, 4, 0.25);
    pk_share_add(nullptr, 4, 0.25); // a warm-up run: nothing to count into
    EXPECT_EQ(s.blocks, 5);
    EXPECT_DOUBLE_EQ(s.busy_s, 0.75);
}

TEST(Balance, TallyGrowsWithZeroSlotsAndCountsJoinedThreads)
{
    pk_tally t = {};
    ASSERT_EQ(pk_tally_reserve(&t, 2), 0);
    EXPECT_EQ(t.used, 0u); // room is not membership
    pk_share_add(&t.of[1], 7, 1.0);
    ASSERT_EQ(pk_tally_join(&t, 4), 0);
    EXPECT_EQ(t.used, 4u);
    EXPECT_EQ(t.of[1].blocks, 7); // kept across growth
    EXPECT_EQ(t.of[2].blocks, 0);
    EXPECT_EQ(t.of[3].busy_s, 0);
    ASSERT_EQ(pk_tally_join(&t, 3), 0);
    EXPECT_EQ(t.used, 4u); // never shrinks within a program run
    pk_tally_reset(&t);
    EXPECT_EQ(t.used, 0u);
    EXPECT_EQ(t.of[1].blocks, 0);
    pk_tally_free(&t);
    EXPECT_EQ(t.of, nullptr);
}
