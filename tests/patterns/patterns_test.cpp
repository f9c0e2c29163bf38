// The helpers of the pattern programs (no OpenMP, no MPI): the CPU-bound work and its independent
// check, job costs and static makespans, the counter's expected histogram and its check, cpu lists, the placement
// check, worker-count lists, the table's text and JSON forms, and the CLI wrapper's exit codes.
#include <gtest/gtest.h>
#include <sched.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "parkit/error.h"
#include "parkit/pattern.h"
#include "parkit/pattern_work.h"
#include "parkit/placement.h"
#include "parkit/pool_report.h"
#include "parkit/waitbound.h"

TEST(PatternWork, JumpAheadAgreesWithStepping)
{
    for (uint64_t steps : {0ull, 1ull, 2ull, 3ull, 63ull, 64ull, 1000ull, 123457ull}) {
        uint64_t x = pk_mix64(steps);
        EXPECT_EQ(pk_lcg_run(x, steps), pk_lcg_jump(x, steps)) << steps;
    }
    // and it really depends on the step count
    EXPECT_NE(pk_lcg_jump(1, 1000), pk_lcg_jump(1, 1001));
}

TEST(PatternWork, JobUnitsAreInRangeReproducibleAndUneven)
{
    std::vector<uint64_t> seen(9, 0);
    for (uint64_t j = 0; j < 1000; j++) {
        uint64_t u = pk_job_units(1, j, 8);
        ASSERT_GE(u, 1u);
        ASSERT_LE(u, 8u);
        EXPECT_EQ(u, pk_job_units(1, j, 8));
        seen[u]++;
    }
    for (int u = 1; u <= 8; u++) EXPECT_GT(seen[u], 50u) << "unit " << u;
    EXPECT_NE(pk_job_units(1, 3, 1000), pk_job_units(2, 3, 1000)); // the seed matters
    EXPECT_EQ(pk_job_units(1, 3, 1), 1u);
}

TEST(PatternWork, RisingCostsGoFromOneToMax)
{
    EXPECT_EQ(pk_job_units_rising(0, 10, 8), 1u);
    EXPECT_EQ(pk_job_units_rising(9, 10, 8), 8u);
    for (uint64_t j = 1; j < 10; j++) EXPECT_GE(pk_job_units_rising(j, 10, 8), pk_job_units_rising(j - 1, 10, 8));
    EXPECT_EQ(pk_job_units_rising(0, 1, 8), 1u);
    // a block split gives the last worker the heaviest jobs: worse than round robin
    uint64_t units[40];
    for (uint64_t j = 0; j < 40; j++) units[j] = pk_job_units_rising(j, 40, 16);
    EXPECT_GT(pk_makespan_block(units, 40, 4), pk_makespan_cyclic(units, 40, 4));
}

TEST(PatternWork, StaticMakespans)
{
    const uint64_t units[] = {8, 1, 1, 1, 1, 8};
    // block: {8,1,1} {1,1,8} -> 10; cyclic over 2: {8,1,1}=10 and {1,1,8}=10; over 3: {8,1},{1,1},{1,8} -> 9
    EXPECT_EQ(pk_makespan_block(units, 6, 2), 10u);
    EXPECT_EQ(pk_makespan_cyclic(units, 6, 3), 9u);
    EXPECT_EQ(pk_makespan_block(units, 6, 3), 9u);
    EXPECT_EQ(pk_makespan_bound(units, 6, 2), 10u); // ceil(20/2)
    EXPECT_EQ(pk_makespan_bound(units, 6, 8), 8u);  // the largest job
    EXPECT_EQ(pk_makespan_block(units, 6, 1), 20u);
    EXPECT_EQ(pk_makespan_block(units, 6, 10), 8u); // more workers than jobs
}

TEST(PatternWork, CounterBinsAddUpToTheUpdates)
{
    for (uint64_t n : {0ull, 1ull, 6ull, 7ull, 8ull, 1000001ull}) {
        uint64_t sum = 0;
        for (unsigned b = 0; b < PK_COUNTER_BINS; b++) sum += pk_counter_bin_expected(n, b);
        EXPECT_EQ(sum, n);
        if (n < 100) { // bin b counts the i < n with i % BINS == b
            uint64_t direct = 0;
            for (uint64_t i = 0; i < n; i++) direct += i % PK_COUNTER_BINS == 3;
            EXPECT_EQ(pk_counter_bin_expected(n, 3), direct);
        }
    }
}

TEST(PatternWork, CounterCheckCatchesLostAndMisplacedUpdates)
{
    // counter_omp's verdict on one run, fed doctored tallies: the exact one passes, and one lost
    // counter update, one lost histogram update, or one update counted in the wrong bin each fail
    const uint64_t n = 1000003;
    uint64_t hist[PK_COUNTER_BINS], lost = 7, hist_lost = 7;
    for (unsigned b = 0; b < PK_COUNTER_BINS; b++) hist[b] = pk_counter_bin_expected(n, b);
    EXPECT_TRUE(pk_counter_check(n, n, hist, &lost, &hist_lost));
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(hist_lost, 0u);

    EXPECT_FALSE(pk_counter_check(n, n - 1, hist, &lost, &hist_lost)) << "a lost counter update";
    EXPECT_EQ(lost, 1u);
    EXPECT_EQ(hist_lost, 0u);
    for (unsigned b = 0; b < PK_COUNTER_BINS; b++) {
        hist[b]--;
        EXPECT_FALSE(pk_counter_check(n, n, hist, &lost, &hist_lost)) << "bin " << b << " lost an update";
        EXPECT_EQ(lost, 0u);
        EXPECT_EQ(hist_lost, 1u);
        hist[(b + 1) % PK_COUNTER_BINS]++; // the same update in the next bin: the totals are right
        EXPECT_FALSE(pk_counter_check(n, n, hist, &lost, &hist_lost)) << "bin " << b << " -> next";
        hist[(b + 1) % PK_COUNTER_BINS]--;
        hist[b]++;
    }
    EXPECT_TRUE(pk_counter_check(n, n, hist, &lost, &hist_lost)) << "restored";
    EXPECT_FALSE(pk_counter_check(n + 1, n, hist, &lost, &hist_lost)) << "a tally of other n";
    uint64_t none[PK_COUNTER_BINS] = {0};
    EXPECT_TRUE(pk_counter_check(0, 0, none, &lost, &hist_lost));
    EXPECT_FALSE(pk_counter_check(1, 1, none, &lost, &hist_lost)) << "counted, but in no bin";
}

TEST(PatternWork, SleepLastsAtLeastWhatWasAsked)
{
    EXPECT_GE(pk_sleep(0.002), 0.002);
    EXPECT_EQ(pk_sleep(0), 0);
}

TEST(PatternWork, PoolJobCheckRejectsAWrongResult)
{
    uint64_t v = pk_pool_job_run(7, 3, 2, 1000);
    EXPECT_TRUE(pk_pool_job_ok(7, 3, 2, 1000, v));
    EXPECT_FALSE(pk_pool_job_ok(7, 3, 2, 1000, v + 1));
    EXPECT_FALSE(pk_pool_job_ok(7, 4, 2, 1000, v)); // another job's chain
}

static std::string cpulist(std::vector<int> cpus)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cpus) CPU_SET(c, &set);
    char buf[64];
    int n = pk_cpulist(&set, sizeof set, buf, sizeof buf);
    EXPECT_EQ(n, (int)cpus.size());
    return buf;
}

TEST(Placement, CpuLists)
{
    EXPECT_EQ(cpulist({}), "");
    EXPECT_EQ(cpulist({0}), "0");
    EXPECT_EQ(cpulist({0, 1}), "0-1");
    EXPECT_EQ(cpulist({0, 1, 2, 3, 8, 10, 11}), "0-3,8,10-11");
    EXPECT_EQ(cpulist({5, 7}), "5,7");
    EXPECT_EQ(cpulist({1023}), "1023");
}

TEST(Placement, CpuListThatDoesNotFitSaysSo)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < 64; c += 2) CPU_SET(c, &set);
    char buf[16];
    EXPECT_EQ(pk_cpulist(&set, sizeof set, buf, sizeof buf), 32);
    EXPECT_LT(strlen(buf), sizeof buf);
    EXPECT_NE(std::string(buf).find("..."), std::string::npos) << buf;
}

static std::vector<pk_place> team(std::vector<std::pair<int, int>> rank_threads)
{
    std::vector<pk_place> v;
    for (auto [rank, threads] : rank_threads)
        for (int t = threads - 1; t >= 0; t--) { // unsorted on purpose
            pk_place p;
            pk_place_here(&p, rank, (int)rank_threads.size(), t, threads);
            v.push_back(p);
        }
    return v;
}

TEST(Placement, CheckAcceptsEveryRankAndThreadOnce)
{
    auto v = team({{1, 2}, {0, 3}});
    char why[256];
    ASSERT_TRUE(pk_place_check(v.data(), v.size(), 2, why, sizeof why)) << why;
    EXPECT_EQ(v[0].rank, 0);
    EXPECT_EQ(v[0].thread, 0);
    EXPECT_EQ(v[4].rank, 1);
    EXPECT_EQ(v[4].thread, 1);
    EXPECT_GE(v[0].ncpus, 1);
    EXPECT_GT(strlen(v[0].host), 0u);
}

TEST(Placement, CheckRejectsMissingAndDuplicates)
{
    char why[256];
    auto missing_rank = team({{0, 1}, {2, 1}});
    EXPECT_FALSE(pk_place_check(missing_rank.data(), missing_rank.size(), 3, why, sizeof why));
    EXPECT_NE(std::string(why).find("rank 1"), std::string::npos) << why;

    auto dup = team({{0, 2}});
    dup.push_back(dup[0]);
    EXPECT_FALSE(pk_place_check(dup.data(), dup.size(), 1, why, sizeof why)) << why;

    auto gap = team({{0, 3}});
    gap.erase(gap.begin()); // thread 2 of 3 gone
    EXPECT_FALSE(pk_place_check(gap.data(), gap.size(), 1, why, sizeof why));

    auto extra = team({{0, 1}, {1, 1}});
    EXPECT_FALSE(pk_place_check(extra.data(), extra.size(), 1, why, sizeof why)); // job has 1 rank
}

TEST(PatternCli, WorkerCountLists)
{
    uint64_t v[8];
    char err[128];
    ASSERT_EQ(pk_pat_parse_counts("1,2,4,16", 64, v, 8, err, sizeof err), 4);
    EXPECT_EQ(v[3], 16u);
    EXPECT_EQ(pk_pat_parse_counts("8", 64, v, 8, err, sizeof err), 1);
    EXPECT_EQ(pk_pat_parse_counts("4,2", 64, v, 8, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("increasing"), std::string::npos);
    EXPECT_EQ(pk_pat_parse_counts("0,2", 64, v, 8, err, sizeof err), -1);
    EXPECT_EQ(pk_pat_parse_counts("1,128", 64, v, 8, err, sizeof err), -1);
    EXPECT_EQ(pk_pat_parse_counts("1,,2", 64, v, 8, err, sizeof err), -1);
    EXPECT_EQ(pk_pat_parse_counts("1,x", 64, v, 8, err, sizeof err), -1);
    EXPECT_EQ(pk_pat_parse_counts("1,2,3", 64, v, 2, err, sizeof err), -1);
}

TEST(PatternCli, WaitboundDefaultsStartAtOne)
{
    pk_wb_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_workers = 6;
    cfg.wait_us = 500;
    pk_wb_finish(&cfg);
    ASSERT_EQ(cfg.ncounts, 4); // 1 2 4 6
    EXPECT_EQ(cfg.counts[0], 1u);
    EXPECT_EQ(cfg.counts[3], 6u);
    EXPECT_EQ(cfg.cpu_us, 500u); // the CPU task defaults to the wait

    pk_wb_config given;
    memset(&given, 0, sizeof given);
    given.counts[0] = 4;
    given.counts[1] = 16;
    given.ncounts = 2;
    given.counts_given = 1;
    pk_wb_finish(&given);
    ASSERT_EQ(given.ncounts, 3); // 1 put in front: speedups are relative to one worker
    EXPECT_EQ(given.counts[0], 1u);
    EXPECT_EQ(given.counts[1], 4u);
}

TEST(PatternCli, ExitCodes)
{
    uint64_t n = 5;
    pk_pat_common c = {5, 1, 0};
    pk_opt opts[] = {{"n", "N", "a size", PK_OPT_SIZE, &n, 1, 10, nullptr, nullptr, nullptr, nullptr}};
    char prog[] = "prog", a1[] = "--n", a2[] = "7", bad[] = "11", rep[] = "--repeat", json[] = "--json";
    char *ok_argv[] = {prog, a1, a2, json, nullptr};
    EXPECT_EQ(pk_pat_parse(4, ok_argv, "s", opts, 1, &c, 1, nullptr, 0), -1);
    EXPECT_EQ(n, 7u);
    EXPECT_EQ(c.json, 1);
    char *bad_argv[] = {prog, a1, bad, nullptr};
    EXPECT_EQ(pk_pat_parse(3, bad_argv, "s", opts, 1, &c, 1, nullptr, 1), PK_EXIT_USAGE); // rank 1: silent
    char *untimed[] = {prog, rep, a2, nullptr};
    EXPECT_EQ(pk_pat_parse(3, untimed, "s", opts, 1, &c, 0, nullptr, 1), PK_EXIT_USAGE); // no --repeat here
    auto env_bad = [](char *err, size_t len) { return snprintf(err, len, "OMP_X bad"), -1; };
    char *plain[] = {prog, nullptr};
    EXPECT_EQ(pk_pat_parse(1, plain, "s", opts, 1, &c, 1, env_bad, 1), PK_EXIT_USAGE);
}

static std::string print(const pk_report *r, const pk_table *t, int json)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pk_pat_print(r, t, json, f);
    fclose(f);
    std::string s(buf, len);
    free(buf);
    return s;
}

TEST(PatternTable, TextIsAGnuplotDataFile)
{
    static const pk_col cols[] = {{"size", "Size", 8, 1}, {"name", "Name", 6, 0}};
    pk_table t;
    pk_table_init(&t, cols, 2);
    size_t row = pk_table_row(&t);
    pk_table_set(&t, row, 0, "%d", 42);
    pk_table_set(&t, row, 1, "%s", "x");
    pk_report r;
    pk_report_init(&r, "title");
    pk_report_str(&r, "verification", "PASS");
    std::string text = print(&r, &t, 0);
    EXPECT_EQ(text, "# title\n# verification: PASS\n#   Size   Name\n      42      x\n");
    pk_table_free(&t);
}

TEST(PatternTable, JsonHasTheReportFieldsAndRows)
{
    static const pk_col cols[] = {{"size", "Size", 8, 1}, {"name", "Name", 6, 0}};
    pk_table t;
    pk_table_init(&t, cols, 2);
    for (int i = 0; i < 2; i++) {
        size_t row = pk_table_row(&t);
        pk_table_set(&t, row, 0, "%d", i);
        pk_table_set(&t, row, 1, "a\"%d", i);
    }
    pk_report r;
    pk_report_init(&r, "title");
    pk_report_num(&r, "n", "3");
    EXPECT_EQ(print(&r, &t, 1),
              "{\"n\": 3, \"rows\": [{\"size\": 0, \"name\": \"a\\\"0\"}, {\"size\": 1, \"name\": \"a\\\"1\"}]}\n");
    pk_table_free(&t);
    // without a table: the kit's plain report
    EXPECT_EQ(print(&r, nullptr, 1), "{\"n\": 3}\n");
    EXPECT_EQ(print(&r, nullptr, 0), "# title\nn: 3\n");
}

TEST(PatternTable, ManyRowsGrow)
{
    static const pk_col cols[] = {{"i", "I", 4, 1}};
    pk_table t;
    pk_table_init(&t, cols, 1);
    for (int i = 0; i < 1000; i++) pk_table_set(&t, pk_table_row(&t), 0, "%d", i);
    EXPECT_EQ(t.nrows, 1000u);
    EXPECT_STREQ(pk_table_get(&t, 999, 0), "999");
    EXPECT_STREQ(pk_table_get(&t, 1000, 0), ""); // out of range reads as empty
    pk_table_free(&t);
}

TEST(PoolReport, CountsPerWorkerAndMakespans)
{
    const uint64_t units[] = {4, 1, 1, 2};
    const int worker_of[] = {0, 1, 1, 1};
    const double busy[] = {0.4, 0.4};
    pk_pool_run run = {4, units, worker_of, 2, busy, 0.5, 0.1};
    pk_report r;
    pk_report_init(&r, "");
    pk_table t;
    pk_table_init(&t, pk_pool_cols, pk_pool_ncols);
    pk_pool_report(&run, &r, &t);
    EXPECT_STREQ(pk_report_get(&r, "jobs_per_worker")->text, "0:1 1:3");
    EXPECT_STREQ(pk_report_get(&r, "makespan_units_dynamic")->text, "4");
    EXPECT_STREQ(pk_report_get(&r, "makespan_units_static_block")->text, "5"); // {4,1} {1,2}
    EXPECT_STREQ(pk_report_get(&r, "makespan_units_lower_bound")->text, "4");
    EXPECT_STREQ(pk_report_get(&r, "load_balance")->text, "1.000");
    EXPECT_STREQ(pk_report_get(&r, "static_block_predicted_s")->text, "0.500000");
    ASSERT_EQ(t.nrows, 2u);
    EXPECT_STREQ(pk_table_get(&t, 1, 1), "3");
    EXPECT_STREQ(pk_table_get(&t, 1, 2), "4");
    pk_table_free(&t);
}
