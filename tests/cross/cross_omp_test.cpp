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

INSTANTIATE_TEST_SUITE_P(Catalog, CrossOmp, testing::ValuesIn(cross_cases()), cross_case_name);
