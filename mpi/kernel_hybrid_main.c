/* <kernel>_hybrid: MPI ranks x OpenMP threads. Ranks take chunks of blocks as the rank schedule
 * says (--rank-schedule, PARKIT_RANK_SCHEDULE); a rank's threads share each chunk under
 * OMP_SCHEDULE. MPI_THREAD_FUNNELED: only the master thread calls MPI, between parallel regions.
 * Built per kernel like <kernel>_mpi (pk_this_program).
 *   OMP_NUM_THREADS=2 mpirun -np 2 --map-by ppr:2:node:PE=1 ./sum_hybrid --n 1e10
 * A warning says when ranks x threads exceed the node's cores or a rank is bound too tightly. */
#include "parkit/mpi_runner.h"
#include "parkit/omp_runner.h"

#include "parkit/program.h"

int main(int argc, char **argv) { return pk_mpi_main(&pk_this_program, argc, argv, &pk_omp_team); }
