/* The MPI runner: a kernel's blocks shared among ranks by the rank schedule (rank_schedule.h:
 * static, dynamic or guided), computed serially (<kernel>_mpi) or on OpenMP threads inside each
 * rank (<kernel>_hybrid), then reduced exactly to rank 0 with a user-defined MPI_Op that calls the
 * kernel's combine. */
#ifndef PARKIT_MPI_RUNNER_H
#define PARKIT_MPI_RUNNER_H
#include <mpi.h>
#include "parkit/driver.h"
#include "parkit/kernel.h"
#ifdef __cplusplus
extern "C" {
#endif

/* MPI_Init_thread with `required` (MPI_THREAD_SINGLE or MPI_THREAD_FUNNELED) and a check of
 * `provided`. Returns 0, or PK_EXIT_FAIL after rank 0 reported the problem (MPI is finalized). */
int pk_mpi_init(int *argc, char ***argv, int required, const char *program);

/* Rank 0 warns (stderr) when ranks on a node x threads per rank exceed that node's cores, or when
 * a rank's threads outnumber the CPUs it is bound to (mpirun binds a rank to one core by default). */
void pk_mpi_warn_oversubscription(const char *program, int threads_per_rank);

/* Combine `local` of every rank into `global` on rank 0 (exact, any rank count). */
void pk_mpi_reduce_result(const pk_kernel *k, const void *local, void *global, MPI_Comm comm);
/* Adds mpi_library: the MPI library's name and version (first line of MPI_Get_library_version). */
void pk_mpi_report_library(pk_report *r);
/* Frees the reduction's datatype and op (made on first use); before MPI_Finalize. */
void pk_mpi_reduce_release(void);

/* Backends for pk_drive: team NULL is pure MPI (one thread per rank); a team (pk_omp_team from
 * omp/) makes it hybrid, MPI ranks x threads. Offers --rank-schedule; pk_mpi_backend_free
 * (collective) releases its state before MPI_Finalize. */
pk_backend pk_mpi_backend(const pk_team *team);
void pk_mpi_backend_free(pk_backend *b);

/* The whole main of <kernel>_mpi (team NULL) and <kernel>_hybrid (team &pk_omp_team). */
struct pk_program;
int pk_mpi_main(const struct pk_program *program, int argc, char **argv, const pk_team *team);

#ifdef __cplusplus
}
#endif
#endif
