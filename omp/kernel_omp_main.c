/* <kernel>_omp: one kernel on the OpenMP threads of one process (shared memory).
 * Built once per kernel with the pk_this_program parkit_add_kernel generates.
 *   OMP_NUM_THREADS=2 OMP_SCHEDULE=dynamic,4 OMP_PROC_BIND=close ./sum_omp --n 1e10
 * Threads share the job's memory; each thread sums its blocks privately and the partials are
 * combined once per thread, so no lock is taken inside the loop. */
#include "parkit/omp_runner.h"

#include "parkit/program.h"

int main(int argc, char **argv) { return pk_omp_main(&pk_this_program, argc, argv); }
