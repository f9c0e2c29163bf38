/* The OpenMP runner: a kernel's blocks on the threads of one process, schedule(runtime) so that
 * OMP_SCHEDULE chooses static/dynamic/guided and the chunk (in blocks) without recompiling. */
#ifndef PARKIT_OMP_RUNNER_H
#define PARKIT_OMP_RUNNER_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/driver.h"
#include "parkit/kernel.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The OpenMP threads of one process as a team inside an MPI rank (hybrid programs). */
extern const pk_team pk_omp_team;
/* The result over blocks [b0, b1) on the current OpenMP threads (same bits as pk_compute_serial). */
void pk_omp_compute(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out);
/* pk_omp_compute that also adds each thread's blocks and busy seconds (its block loop, timed with
 * omp_get_wtime) to threads->of[thread number] and counts the region's threads in threads->used.
 * threads NULL: nothing counted (warm-up runs). */
void pk_omp_compute_tallied(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out,
                            pk_tally *threads);
/* First touch of blocks [b0, b1) with the same schedule as pk_omp_compute. */
void pk_omp_touch(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1);

/* The most threads per process OMP_NUM_THREADS may ask for. The runtime cannot go much further on
 * a usual Linux node: libgomp here fails to create 32768 threads (two memory maps per thread
 * against vm.max_map_count 65530) and crashes at 65536; 4096 is 8x the largest nodes' hardware
 * threads, room for waiting-bound experiments. */
#define PK_OMP_MAX_THREADS 4096
#define PK_STR_(x) #x
#define PK_STR(x) PK_STR_(x)

/* Validates OMP_NUM_THREADS, OMP_SCHEDULE, OMP_PROC_BIND, OMP_PLACES (and that it leaves this
 * process at least one place), OMP_DYNAMIC, OMP_WAIT_POLICY, OMP_THREAD_LIMIT, OMP_STACKSIZE,
 * OMP_MAX_ACTIVE_LEVELS, OMP_NESTED, OMP_DISPLAY_ENV, OMP_DISPLAY_AFFINITY, OMP_CANCELLATION,
 * OMP_DEFAULT_DEVICE, OMP_MAX_TASK_PRIORITY, GOMP_STACKSIZE and GOMP_SPINCOUNT: 0, or -1 with one
 * line naming the variable and what it expects. The OpenMP runtime itself would only warn and
 * carry on with a default. */
int pk_omp_check_env(char *err, size_t errlen);
/* Adds the thread and schedule fields: openmp_runtime, threads_requested, threads (counted in a parallel region),
 * omp_num_threads, omp_schedule (as set), schedule (in force), proc_bind, places, dynamic, wait_policy. */
void pk_omp_describe(pk_report *r);
/* "libgomp (GCC 12.2.0), OpenMP 201511": the runtime this program was built with. */
void pk_omp_runtime(char *buf, size_t len);
/* Adds it to a report as openmp_runtime (pattern programs; kernel programs get it from describe). */
void pk_omp_report_runtime(pk_report *r);
/* Threads an OpenMP parallel region really gets (counted, STREAM-style). */
int pk_omp_count_threads(void);

/* The OpenMP backend for pk_drive, and the whole main of <kernel>_omp. */
pk_backend pk_omp_backend(void);
struct pk_program;
int pk_omp_main(const struct pk_program *program, int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
