// The helpers of the programs that show the tutorials' remaining claims (no OpenMP, no MPI):
// self-describing messages (deadlock_mpi's ring, pipe_mpi's stream) and their check, the log of
// output orders (order_omp, order_mpi) and its verdict, and the --watchdog seconds parser. Each
// check is fed doctored input: it must be able to say no.
#include <gtest/gtest.h>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
#include "parkit/message.h"
#include "parkit/order.h"
#include "parkit/pattern.h"

TEST(Message, RoundTripAtEveryLength)
{
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 1000u}) {
        std::vector<unsigned char> buf(len + 1);
        pk_msg_fill(buf.data(), len, 3, 41);
        char why[200] = "";
        EXPECT_EQ(pk_msg_check(buf.data(), len, 3, 41, why, sizeof why), 1) << len << ": " << why;
    }
}

TEST(Message, CheckCatchesAFlippedByteAWrongSenderAndAWrongSequence)
{
    std::vector<unsigned char> buf(100);
    pk_msg_fill(buf.data(), buf.size(), 2, 5);
    char why[200] = "";
    EXPECT_EQ(pk_msg_check(buf.data(), buf.size(), 1, 5, why, sizeof why), 0); // from another rank
    EXPECT_EQ(pk_msg_check(buf.data(), buf.size(), 2, 6, why, sizeof why), 0); // another message
    EXPECT_NE(std::string(why).find("sequence number 5"), std::string::npos) << why;
    buf[57] ^= 0x10;
    EXPECT_EQ(pk_msg_check(buf.data(), buf.size(), 2, 5, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("byte 57"), std::string::npos) << why;
    // short messages carry no sequence number, their bytes still differ per message
    unsigned char a[5], b[5];
    pk_msg_fill(a, 5, 0, 1);
    pk_msg_fill(b, 5, 0, 2);
    EXPECT_NE(std::memcmp(a, b, 5), 0);
}

TEST(Message, LengthsVaryWithinTheBound)
{
    bool saw_zero = false, saw_max_half = false;
    for (uint64_t k = 0; k < 1000; k++) {
        size_t len = pk_msg_len(k, 4096);
        EXPECT_LE(len, 4096u);
        saw_zero |= len == 0;
        saw_max_half |= len > 2048;
    }
    EXPECT_TRUE(saw_zero);
    EXPECT_TRUE(saw_max_half);
    EXPECT_EQ(pk_msg_len(123, 0), 0u);
}

static void set_run(pk_order_log *log, uint32_t r, std::vector<uint32_t> seq)
{
    std::memcpy(pk_order_run(log, r), seq.data(), seq.size() * sizeof(uint32_t));
}

TEST(Order, CountsDistinctOrdersAndTheMostFrequent)
{
    pk_order_log log;
    ASSERT_EQ(pk_order_init(&log, 3, 5), 0);
    set_run(&log, 0, {2, 0, 1});
    set_run(&log, 1, {0, 1, 2});
    set_run(&log, 2, {2, 0, 1});
    set_run(&log, 3, {1, 0, 2});
    set_run(&log, 4, {2, 0, 1});
    char why[200];
    pk_order_summary s = pk_order_summarize(&log, why, sizeof why);
    EXPECT_EQ(s.distinct, 3u);
    EXPECT_EQ(s.top_count, 3u);
    EXPECT_TRUE(s.every_run_complete);
    EXPECT_FALSE(s.all_in_worker_order);
    char text[64];
    pk_order_text(&log, s.top_run, text, sizeof text);
    EXPECT_STREQ(text, "2 0 1");
    uint32_t first[4], count[4];
    ASSERT_EQ(pk_order_distinct(&log, 4, first, count), 3u);
    EXPECT_EQ(count[0] + count[1] + count[2], 5u);
    // unordered: any order is correct
    EXPECT_EQ(pk_order_verdict(&log, 0, 1, why, sizeof why), 1) << why;
    // ordered: three orders is a failure, and so is one order that is not 0, 1, 2
    EXPECT_EQ(pk_order_verdict(&log, 1, 1, why, sizeof why), 0);
    for (uint32_t r = 0; r < 5; r++) set_run(&log, r, {2, 0, 1});
    EXPECT_EQ(pk_order_verdict(&log, 1, 1, why, sizeof why), 0);
    for (uint32_t r = 0; r < 5; r++) set_run(&log, r, {0, 1, 2});
    EXPECT_EQ(pk_order_verdict(&log, 1, 1, why, sizeof why), 1) << why;
    // a wrong result fails either way
    EXPECT_EQ(pk_order_verdict(&log, 1, 0, why, sizeof why), 0);
    pk_order_free(&log);
}

TEST(Order, ARunMissingOrRepeatingAWorkerFails)
{
    pk_order_log log;
    ASSERT_EQ(pk_order_init(&log, 3, 2), 0);
    set_run(&log, 0, {0, 1, 2});
    set_run(&log, 1, {0, 2, 2}); // worker 2 twice, worker 1 never
    char why[200];
    EXPECT_EQ(pk_order_verdict(&log, 0, 1, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("run 2"), std::string::npos) << why;
    set_run(&log, 1, {0, 1, 7}); // a worker that does not exist
    EXPECT_EQ(pk_order_verdict(&log, 0, 1, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("does not exist"), std::string::npos) << why;
    pk_order_free(&log);
}

TEST(PatternCli, SecondsOption)
{
    double v = -1;
    char err[200];
    EXPECT_EQ(pk_pat_set_seconds(&v, "2", err, sizeof err), 0);
    EXPECT_EQ(v, 2.0);
    EXPECT_EQ(pk_pat_set_seconds(&v, "0.25", err, sizeof err), 0);
    EXPECT_EQ(v, 0.25);
    for (const char *bad : {"0", "-1", "abc", "", "1e3", "inf", "nan", "3601", "2s", " 2", "0x10"})
        EXPECT_EQ(pk_pat_set_seconds(&v, bad, err, sizeof err), -1) << bad;
    EXPECT_EQ(v, 0.25); // untouched by the bad ones
}
