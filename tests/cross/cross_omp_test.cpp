// Cross-model on threads: for every kernel of the catalog, the result on 1..8 OpenMP threads
// under static, dynamic and guided schedules (with several chunks) is bit-for-bit the serial one,
// for edge sizes (0, 1, fewer blocks than threads) and the kernel's test size.
#include <omp.h>
#include "cross_common.h"
#include "parkit/omp_runner.h"

class CrossOmp : public testing::TestWithParam<CrossCase> {};

TEST_P(CrossOmp, SameBitsAsSerialForEveryThreadCountAndSchedule)
{
    const CrossCase &c = GetParam();
    const struct {
        omp_sched_t kind;
        int chunk;
    } schedules[] = {{omp_sched_static, 0}, {omp_sched_static, 1}, {omp_sched_dynamic, 1},
                     {omp_sched_dynamic, 3}, {omp_sched_guided, 0}, {omp_sched_guided, 2}};
    int sizes_run = 0;
    for (uint64_t n : cross_sizes(c.kernel)) {
        CrossJob ref(c, n);
        if (!ref.ok) {
            ASSERT_NE(n, c.kernel->test_n) << "the kernel refuses its own test size: " << ref.error;
            continue;
        }
        sizes_run++;
        std::string want = ref.serial();
        ASSERT_EQ(want.find("setup failed"), std::string::npos) << want;
        for (int threads = 1; threads <= 8; threads++) {
            for (auto s : schedules) {
                omp_set_num_threads(threads);
                omp_set_schedule(s.kind, s.chunk);
                CrossJob par(c, n);
                ASSERT_TRUE(par.setup(0, par.nblocks)) << par.error;
                pk_omp_touch(par.k, &par.job, 0, par.nblocks);
                pk_result r;
                pk_omp_compute(par.k, &par.job, 0, par.nblocks, &r);
                EXPECT_EQ(par.text(&r), want) << c.name() << " n=" << n << " threads=" << threads
                                              << " schedule=" << s.kind << "," << s.chunk;
                par.teardown();
            }
        }
    }
    EXPECT_GE(sizes_run, 2) << "too few sizes accepted by " << c.name();
}

TEST_P(CrossOmp, TestSizeVerifies)
{
    const CrossCase &c = GetParam();
    CrossJob j(c, c.kernel->test_n);
    ASSERT_TRUE(j.ok) << j.error;
    ASSERT_TRUE(j.setup(0, j.nblocks)) << j.error;
    pk_omp_touch(j.k, &j.job, 0, j.nblocks);
    pk_result r;
    pk_omp_compute(j.k, &j.job, 0, j.nblocks, &r);
    char why[512] = "";
    EXPECT_EQ(j.k->verify(&j.job, &r, why, sizeof why), 1) << why;
    j.teardown();
}

// The property every runner relies on, checked block by block: a block's partial is the same bits
// each time it is computed, and combining the blocks forwards or backwards gives the serial result.
TEST_P(CrossOmp, PartialsAreDeterministicAndCombineInAnyOrder)
{
    const CrossCase &c = GetParam();
    CrossJob j(c, c.kernel->test_n);
    ASSERT_TRUE(j.ok) << j.error;
    std::string serial = CrossJob(c, c.kernel->test_n).serial();
    ASSERT_TRUE(j.setup(0, j.nblocks)) << j.error;
    pk_touch_serial(j.k, &j.job, 0, j.nblocks);
    ASSERT_GE(j.nblocks, 3u) << "the test size should span several blocks";
    pk_result fwd, bwd, p1, p2;
    j.k->identity(&fwd);
    j.k->identity(&bwd);
    for (uint64_t b = 0; b < j.nblocks; b++) {
        pk_range rb = pk_block_range(j.job.n, j.k->block, b);
        j.k->partial(&j.job, rb.lo, rb.hi, &p1);
        j.k->partial(&j.job, rb.lo, rb.hi, &p2);
        ASSERT_EQ(std::memcmp(&p1, &p2, j.k->result_size), 0) << c.name() << " block " << b;
        j.k->combine(&fwd, &p1);
        pk_range rr = pk_block_range(j.job.n, j.k->block, j.nblocks - 1 - b);
        j.k->partial(&j.job, rr.lo, rr.hi, &p2);
        j.k->combine(&bwd, &p2);
    }
    EXPECT_EQ(j.text(&fwd), j.text(&bwd)) << c.name();
    EXPECT_EQ(j.text(&fwd), serial) << c.name();
    j.teardown();
}

INSTANTIATE_TEST_SUITE_P(Catalog, CrossOmp, testing::ValuesIn(cross_cases()), cross_case_name);

// The per-thread tally of pk_omp_compute_tallied: over the calls that count (a run in epochs makes
// several), the threads' blocks add up to the blocks computed, each thread of the team has a slot,
// a call without a tally (warm-up) adds nothing, and the result keeps the serial bits.
TEST(ThreadTally, CountsEveryBlockOnceOverCountedCallsOnly)
{
    const CrossCase sum = {pk_kernel_find("sum"), "", ""};
    ASSERT_NE(sum.kernel, nullptr);
    CrossJob j(sum, 24 * sum.kernel->block);
    std::string want = j.serial();
    ASSERT_TRUE(j.ok && j.setup(0, j.nblocks)) << j.error;
    ASSERT_GE(j.nblocks, 10u);
    omp_set_num_threads(3);
    omp_set_schedule(omp_sched_dynamic, 1);
    pk_tally t = {};
    pk_result r, part;
    pk_omp_compute_tallied(j.k, &j.job, 0, j.nblocks, &r, nullptr); // warm-up: not counted
    EXPECT_EQ(t.used, 0u);
    uint64_t half = j.nblocks / 2;
    for (int run = 0; run < 2; run++) { // two runs, each in two epochs
        pk_omp_compute_tallied(j.k, &j.job, 0, half, &r, &t);
        pk_omp_compute_tallied(j.k, &j.job, half, j.nblocks, &part, &t);
        j.k->combine(&r, &part);
        EXPECT_EQ(j.text(&r), want);
    }
    ASSERT_EQ(t.used, 3u);
    double blocks = 0;
    for (size_t i = 0; i < t.used; i++) {
        blocks += t.of[i].blocks;
        EXPECT_GE(t.of[i].busy_s, 0.0) << "thread " << i;
    }
    EXPECT_EQ(blocks, 2.0 * (double)j.nblocks);
    EXPECT_EQ(t.lost, 0);
    pk_tally_free(&t);
    j.teardown();
}
