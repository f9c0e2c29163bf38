/* <kernel>_mpi: one kernel on MPI ranks (separate processes, private memory, one message to
 * reduce the result). Built once per kernel with the pk_this_program parkit_add_kernel generates.
 *   mpirun -np 4 ./sum_mpi --n 1e10        (add --oversubscribe past the core count)
 *   mpirun -np 4 ./mandel_mpi --rank-schedule dynamic,4
 * Ranks share the blocks of [0, n) as the rank schedule says (default guided: every rank claims
 * its next chunk from a one-sided MPI counter); rank 0 prints the report. */
#include "parkit/mpi_runner.h"

#include "parkit/program.h"

int main(int argc, char **argv) { return pk_mpi_main(&pk_this_program, argc, argv, NULL); }
