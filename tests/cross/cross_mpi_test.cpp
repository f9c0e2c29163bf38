// Cross-model on ranks: run under mpiexec with 1..4 ranks (ctest starts one launch per count).
// For every kernel, the real MPI backend runs each rank schedule (static, round-robin static,
// dynamic and guided, with several chunks) serially per rank (= <k>_mpi) and on 2 OpenMP threads
// per rank (= <k>_hybrid); rank 0 compares with the serial reference bit for bit. Includes n
// smaller than the rank count. Also: dynamic scheduling really hands out work on demand.
#include <mpi.h>
#ifdef PARKIT_TEST_HYBRID
#include <omp.h>
#endif
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include "cross_common.h"
#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#ifdef PARKIT_TEST_HYBRID
#include "parkit/omp_runner.h"
#endif
#include "parkit/rank_schedule.h"

namespace {
int rank() { int r; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
int size() { int s; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

const std::vector<const char *> rank_schedules = {"static", "static,3", "dynamic", "dynamic,3", "guided", "guided,2"};

// PARKIT_CROSS_RANKS_SHARE_CORES=1 (set by tests/mpi_tests.cmake for more ranks than cores under a
// launcher whose MPI busy-polls without yielding, MPICH): every synchronization then costs a
// scheduler time slice (10 ms measured for one barrier with 3 ranks on 2 cores, against 2 us with 2
// ranks), so these runs take one schedule of each kind and pure MPI only; the full matrix runs at 1
// and 2 ranks, and at every rank count under Open MPI, which yields when oversubscribed.
bool ranks_share_cores()
{
    const char *v = std::getenv("PARKIT_CROSS_RANKS_SHARE_CORES");
    return v && std::string(v) == "1";
}

// A job run through the MPI backend exactly as pk_drive runs it: configure (schedule from
// PARKIT_RANK_SCHEDULE), set up the owned data, touch, one run. `text` is rank 0's result.
struct BackendRun {
    int code = -1;
    std::string text, error;
    pk_share share = {0, 0};
};

BackendRun run_backend(const pk_kernel *k, const CrossCase &c, uint64_t n, bool hybrid, const char *schedule)
{
    CrossCase kc = c;
    kc.kernel = k;
    CrossJob j(kc, n);
    BackendRun out;
    setenv(PK_RANK_SCHEDULE_ENV, schedule, 1);
#ifdef PARKIT_TEST_HYBRID
    pk_backend b = pk_mpi_backend(hybrid ? &pk_omp_team : nullptr);
#else
    (void)hybrid;
    pk_backend b = pk_mpi_backend(nullptr);
#endif
    char err[512] = "";
    out.code = b.configure(&b, j.k, &j.params, "cross_mpi", err, sizeof err);
    out.error = err;
    unsetenv(PK_RANK_SCHEDULE_ENV);
    if (out.code == 0) {
        pk_range mine = b.owned(&b, j.nblocks);
        if (!b.all_ok(j.setup(mine.lo, mine.hi))) {
            out.code = PK_EXIT_FAIL;
            out.error = "setup failed on some rank";
        } else {
            b.touch(j.k, &j.job, mine.lo, mine.hi);
            pk_result global;
            std::memset(&global, 0, sizeof global);
            b.run(&b, j.k, &j.job, 0, j.nblocks, &global, &out.share);
            if (rank() == 0) out.text = j.text(&global);
        }
        j.teardown();
    }
    pk_mpi_backend_free(&b);
    return out;
}
} // namespace

class CrossMpi : public testing::TestWithParam<CrossCase> {};

TEST_P(CrossMpi, EveryRankScheduleGivesTheSerialBitsOnRanksAndHybrid)
{
    const CrossCase &c = GetParam();
#ifdef PARKIT_TEST_HYBRID
    omp_set_num_threads(2);
    omp_set_schedule(omp_sched_dynamic, 1);
    const std::vector<bool> teams = {false, true};
#else
    const std::vector<bool> teams = {false}; // built without OpenMP: ranks of one thread only
#endif
    std::vector<const char *> schedules = rank_schedules;
    std::vector<bool> team_kinds = teams;
    if (ranks_share_cores()) {
        schedules = {"static,3", "dynamic", "guided,2"};
        team_kinds = {false};
        if (rank() == 0 && c.name() == "sum")
            std::printf("[reduced matrix] ranks share cores under a busy-polling MPI: static,3 dynamic guided,2, "
                        "pure MPI (see PARKIT_CROSS_RANKS_SHARE_CORES)\n");
    }
    for (uint64_t n : cross_sizes(c.kernel)) {
        CrossJob probe(c, n);
        if (!probe.ok) continue; // refused sizes are covered by the thread test
        std::string want = rank() == 0 ? probe.serial() : "";
        int holds = pk_kernel_holds_data(c.kernel, &probe.params);
        for (const char *s : schedules) {
            for (bool hybrid : team_kinds) {
                BackendRun r = run_backend(c.kernel, c, n, hybrid, s);
                std::string where = c.name() + " n=" + std::to_string(n) + " ranks=" + std::to_string(size()) +
                                    (hybrid ? " x 2 threads" : "") + " rank schedule " + s;
                if (holds && std::string(s) != "static") {
                    // data held per rank cannot move: a usage error, the same on every rank
                    EXPECT_EQ(r.code, PK_EXIT_USAGE) << where;
                    EXPECT_NE(r.error.find("only the plain static rank schedule"), std::string::npos) << r.error;
                    continue;
                }
                ASSERT_EQ(r.code, 0) << where << ": " << r.error;
                if (rank() == 0) {
                    EXPECT_EQ(r.text, want) << where;
                }
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Catalog, CrossMpi, testing::ValuesIn(cross_cases()), cross_case_name);

// A kernel that is slow on rank 1 only: sum, with a sleep in every block rank 1 computes.
namespace {
int slow_rank = -1;
void slow_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    if (rank() == slow_rank) usleep(20000);
    pk_kernel_find("sum")->partial(job, lo, hi, out);
}
pk_kernel slow_sum()
{
    pk_kernel k = *pk_kernel_find("sum");
    k.partial = slow_partial;
    k.block = 1024;
    return k;
}
} // namespace

// With one rank (np 1) there is nobody to take work from it: it must do every block either way.
TEST(RankSchedule, DynamicHandsOutChunksOnDemandStaticDoesNot)
{
    slow_rank = size() >= 2 ? 1 : -1;
    pk_kernel k = slow_sum();
    CrossCase c = {pk_kernel_find("sum"), "", ""};
    const uint64_t nblocks = 60, n = nblocks * k.block;
    std::string want = rank() == 0 ? CrossJob(c, n).serial() : "";
    for (const char *s : {"static", "dynamic"}) {
        BackendRun r = run_backend(&k, c, n, false, s);
        ASSERT_EQ(r.code, 0) << r.error;
        if (rank() == 0) {
            EXPECT_EQ(r.text, want) << s;
        }
        // rank 0 learns every rank's block count, as the report does
        std::vector<double> blocks((size_t)size());
        MPI_Gather(&r.share.blocks, 1, MPI_DOUBLE, blocks.data(), 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        if (rank() != 0) continue;
        double fair = (double)nblocks / size();
        if (size() == 1) {
            EXPECT_EQ(blocks[0], (double)nblocks) << s;
        } else if (std::string(s) == "static") {
            EXPECT_GE(blocks[1], fair - 1) << "static gives the slow rank its full share";
        } else {
            // 20 ms per block on rank 1 while the others take microseconds: on demand, rank 1 can
            // only get a small part of its fair share, however loaded the machine is
            EXPECT_LT(blocks[1], fair / 2) << "rank 1 got " << blocks[1] << " of " << nblocks << " blocks";
            double others = 0;
            for (int i = 0; i < size(); i++) others += i == 1 ? 0 : blocks[i];
            EXPECT_EQ(others + blocks[1], (double)nblocks);
        }
    }
    slow_rank = -1;
}

TEST(RankSchedule, BadValuesAreUsageErrorsOnEveryRank)
{
    CrossCase c = {pk_kernel_find("pi"), "", ""};
    for (const char *bad : {"dynamic,0", "guided,-1", "sideways", "static,", "", "dynamic,1x", "guided,99999999999999"}) {
        BackendRun r = run_backend(c.kernel, c, c.kernel->test_n, false, bad);
        int code = r.code, all_same = 0;
        int codes[2] = {code, -code};
        int agree[2];
        MPI_Allreduce(codes, agree, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        all_same = agree[0] == -agree[1];
        EXPECT_EQ(code, PK_EXIT_USAGE) << "'" << bad << "'";
        EXPECT_TRUE(all_same) << "ranks disagree on '" << bad << "'";
        EXPECT_NE(r.error.find(PK_RANK_SCHEDULE_ENV), std::string::npos) << r.error;
    }
}
