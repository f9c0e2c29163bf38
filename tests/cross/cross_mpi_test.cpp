// Cross-model on ranks: run under mpiexec with 1..4 ranks (ctest starts one launch per count).
// For every kernel, each rank computes its balanced, block-aligned share (serially = <k>_mpi, and
// on 2 OpenMP threads = <k>_hybrid), the shares are reduced exactly to rank 0, and rank 0
// compares with the serial reference bit for bit. Includes n smaller than the rank count.
#include <mpi.h>
#include <omp.h>
#include "cross_common.h"
#include "parkit/mpi_runner.h"
#include "parkit/omp_runner.h"

namespace {
int rank() { int r; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
int size() { int s; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

// The model's result text on rank 0 ("" elsewhere).
std::string distributed(const CrossCase &c, uint64_t n, bool threaded)
{
    CrossJob j(c, n);
    pk_range mine = pk_partition(j.nblocks, (uint64_t)size(), (uint64_t)rank());
    int ok = j.setup(mine.lo, mine.hi), all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) return "setup failed on some rank";
    pk_result local, global;
    std::memset(&global, 0, sizeof global);
    if (threaded) {
        pk_omp_touch(j.k, &j.job, mine.lo, mine.hi);
        pk_omp_compute(j.k, &j.job, mine.lo, mine.hi, &local);
    } else {
        pk_touch_serial(j.k, &j.job, mine.lo, mine.hi);
        pk_compute_serial(j.k, &j.job, mine.lo, mine.hi, &local);
    }
    pk_mpi_reduce_result(j.k, &local, &global, MPI_COMM_WORLD);
    std::string t = rank() == 0 ? j.text(&global) : "";
    j.teardown();
    return t;
}
} // namespace

class CrossMpi : public testing::TestWithParam<CrossCase> {};

TEST_P(CrossMpi, RanksAndHybridGiveTheSerialBits)
{
    const CrossCase &c = GetParam();
    for (uint64_t n : cross_sizes(c.kernel)) {
        CrossJob probe(c, n);
        if (!probe.ok) continue; // refused sizes are covered by the thread test
        std::string want = rank() == 0 ? probe.serial() : "";
        std::string pure = distributed(c, n, false);
        omp_set_num_threads(2);
        omp_set_schedule(omp_sched_dynamic, 1);
        std::string hybrid = distributed(c, n, true);
        if (rank() == 0) {
            EXPECT_EQ(pure, want) << c.name() << " n=" << n << " ranks=" << size();
            EXPECT_EQ(hybrid, want) << c.name() << " n=" << n << " ranks=" << size() << " x 2 threads";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Catalog, CrossMpi, testing::ValuesIn(cross_cases()), cross_case_name);
