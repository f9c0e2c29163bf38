// deadlock_omp's scenario on its own: opposite lock order deadlocks and the bounded wait reports the
// cycle; one global order completes every transfer; the balance check rejects doctored balances.
#include <gtest/gtest.h>
#include <string>
#include "lock_pair.h"

TEST(LockPair, OppositeOrderDeadlocksAndIsDetected)
{
    lock_pair_cfg cfg = {LOCKS_OPPOSITE, 1000, 0.3};
    lock_pair_result res;
    lock_pair_run(&cfg, &res);
    ASSERT_EQ(res.threads, 2);
    EXPECT_TRUE(res.deadlock);
    EXPECT_GE(res.waited_s, 0.3);
    char text[256];
    lock_pair_describe(&res, text, sizeof text);
    EXPECT_EQ(std::string(text), "thread 0 holds lock A and waits for lock B; thread 1 holds lock B and waits for lock A");
    char why[256];
    EXPECT_EQ(lock_pair_check(&res, why, sizeof why), 1) << why; // no money lost, even so
}

TEST(LockPair, OneGlobalOrderCompletesEveryTransfer)
{
    lock_pair_cfg cfg = {LOCKS_ORDERED, 20000, 5.0};
    lock_pair_result res;
    lock_pair_run(&cfg, &res);
    ASSERT_EQ(res.threads, 2);
    EXPECT_FALSE(res.deadlock);
    EXPECT_EQ(res.done[0], 20000u);
    EXPECT_EQ(res.done[1], 20000u);
    char why[256];
    EXPECT_EQ(lock_pair_check(&res, why, sizeof why), 1) << why;
    EXPECT_EQ(res.balance[0], LOCK_PAIR_START - 20000); // 3 out, 2 back, 20000 times
}

TEST(LockPair, CheckRejectsDoctoredBalances)
{
    lock_pair_result res = {};
    res.done[0] = 10;
    res.done[1] = 4;
    res.balance[0] = LOCK_PAIR_START - 30 + 8;
    res.balance[1] = LOCK_PAIR_START + 30 - 8;
    char why[256];
    EXPECT_EQ(lock_pair_check(&res, why, sizeof why), 1) << why;
    res.balance[0] += 1; // money appeared
    EXPECT_EQ(lock_pair_check(&res, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("not conserved"), std::string::npos) << why;
    res.balance[1] -= 1; // conserved, but not what the transfers make (a lost update)
    EXPECT_EQ(lock_pair_check(&res, why, sizeof why), 0);
    EXPECT_NE(std::string(why).find("expected A="), std::string::npos) << why;
}
