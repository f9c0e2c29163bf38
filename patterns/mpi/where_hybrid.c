/* where_hybrid: where do the threads of my ranks run? The placement report of MPI x OpenMP: every
 * rank records, on each of its OpenMP threads, the host, the CPU the thread is on and its affinity
 * mask; the master thread alone calls MPI (MPI_THREAD_FUNNELED) to gather them on rank 0, which
 * prints them sorted by (rank, thread).
 *   OMP_NUM_THREADS=2 mpirun -np 2 --bind-to none ./where_hybrid
 *   OMP_NUM_THREADS=2 OMP_PROC_BIND=close mpirun -np 2 --map-by ppr:2:node:PE=1 ./where_hybrid --json
 * Exit: 0 when every (rank, thread) is listed exactly once, 1 otherwise, 2 usage (all ranks exit). */
#include "parkit/pattern_mpi.h"

int main(int argc, char **argv) { return pk_where_mpi_main(argc, argv, PK_WHERE_THREADS); }
