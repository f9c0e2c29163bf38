/* where_mpi: where do my ranks run? An xthi-style placement report: for every MPI rank, the host,
 * the CPU it is on (sched_getcpu) and the CPUs it may use (affinity mask as a cpu list), gathered and
 * printed in rank order by rank 0. Use it to check mpirun's --map-by/--bind-to or srun's binding.
 *   mpirun -np 2 ./where_mpi
 *   mpirun -np 4 --oversubscribe --bind-to none ./where_mpi --json
 * Exit: 0 when every rank is listed exactly once, 1 otherwise, 2 usage (all ranks exit). */
#include "parkit/pattern_mpi.h"

int main(int argc, char **argv) { return pk_where_mpi_main(argc, argv, PK_WHERE_RANKS); }
