// main() for GoogleTest binaries run under mpiexec: every rank runs the tests, only rank 0
// prints gtest's output, each failing rank names itself on stderr, and the process exit code is
// nonzero on every rank if any rank failed (so mpiexec, and ctest, see the failure).
#include <gtest/gtest.h>
#include <mpi.h>
#include <cstdio>

int main(int argc, char **argv)
{
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    testing::InitGoogleTest(&argc, argv);
    if (provided < MPI_THREAD_FUNNELED) {
        if (rank == 0) std::fprintf(stderr, "MPI provides thread level %d < FUNNELED\n", provided);
        MPI_Finalize();
        return 1;
    }
    if (rank != 0) {
        auto &listeners = testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
    }
    int failed = RUN_ALL_TESTS() != 0, any = 0;
    if (failed) std::fprintf(stderr, "rank %d of %d: tests FAILED\n", rank, size);
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rank == 0) std::printf("[mpi] %d ranks: %s\n", size, any ? "FAILED on at least one rank" : "all ranks passed");
    MPI_Finalize();
    return any;
}
