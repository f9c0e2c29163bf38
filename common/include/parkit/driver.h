/* The one program flow for every kernel program, whatever the programming model:
 * parse the command line, check the environment, set up data, warm up, time the repeats,
 * reduce, verify, report. A backend (serial, OpenMP, MPI, hybrid) supplies the parallel parts. */
#ifndef PARKIT_DRIVER_H
#define PARKIT_DRIVER_H
#include <stdint.h>
#include "parkit/kernel.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_backend {
    const char *model; /* "serial", "omp", "mpi", "hybrid" */
    int rank, size;    /* this process in the job; 0 and 1 without MPI */

    /* Usage check of the environment (OMP_* values); 0, or -1 with one line in err. May be NULL. */
    int (*check_env)(char *err, size_t errlen);
    /* Collective: 1 when `ok` is nonzero on every rank. */
    int (*all_ok)(int ok);
    /* Threads-and-blocks part: the result over blocks [b0, b1) of this process, and first touch. */
    void (*compute)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out);
    void (*touch)(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1);
    /* Collective: combine every rank's `local` into `global` on rank 0. */
    void (*reduce)(const pk_kernel *k, const void *local, void *global);
    /* Collective: all ranks start together (MPI barrier); no-op without MPI. */
    void (*barrier)(void);
    double (*wtime)(void);
    /* Collective: the maximum of t over ranks, valid on rank 0. */
    double (*max_over_ranks)(double t);
    /* Adds threads/ranks/schedule fields to the report. */
    void (*describe)(pk_report *r);
} pk_backend;

/* Runs the kernel program and returns its exit code (PK_EXIT_*). Every rank must call it. */
int pk_drive(const pk_kernel *k, const pk_backend *b, int argc, char **argv);

/* The serial backend (one process, one thread): the reference the other models are tested against. */
pk_backend pk_serial_backend(void);

#ifdef __cplusplus
}
#endif
#endif
