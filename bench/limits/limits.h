/* The machine-limit probes of parkit_limits, one file per family:
 *   mem.c       streaming int64 read and STREAM-style triad bandwidth
 *   compute.c   vector integer-add, FMA and division throughput of a core, and the
 *               Mandelbrot step's throughput (the ceilings of sum, pi and mandel)
 *   overhead.c  OpenMP parallel-region, barrier and reduction overhead (EPCC-style)
 *   mpi_probe.c MPI latency and launch cost, by running parkit_mpi_latency under mpirun
 * Each probe adds its fields to the report; the keys are the file format other tools read. */
#ifndef PARKIT_BENCH_LIMITS_H
#define PARKIT_BENCH_LIMITS_H
#include <stdint.h>
#include "parkit/report.h"
#include "parkit/stats.h"

typedef struct limits_opts {
    const char *program;    /* for messages */
    uint64_t mem_bytes;     /* bytes of the read array; each triad array is a third of it */
    uint64_t repeat;        /* timed runs per measurement (after one warm-up) */
    int threads;            /* the "all cores" thread count */
    double compute_seconds; /* target duration of one compute measurement */
    uint64_t overhead_reps; /* EPCC outer repetitions */
    const char *mpi;        /* auto | yes | no */
    const char *mpirun;     /* launcher command */
    uint64_t launch_repeat; /* launches timed per rank count */
    int progress;           /* progress lines on stderr */
    int quick;              /* smoke run: the MPI probe also runs short */
} limits_opts;

/* Each returns 0, or -1 after printing one error line (allocation or verification failure). */
int limits_mem_read(const limits_opts *o, pk_report *r);
int limits_mem_triad(const limits_opts *o, pk_report *r);
int limits_compute(const limits_opts *o, pk_report *r);    /* int add, FMA */
int limits_div(const limits_opts *o, pk_report *r);        /* vdivpd: pi's ceiling */
int limits_mandel_step(const limits_opts *o, pk_report *r); /* mandel's ceiling */
int limits_overhead(const limits_opts *o, pk_report *r);
/* Returns 0 also when MPI is skipped (mpi_status says why), -1 when --mpi yes and it failed. */
int limits_mpi(const limits_opts *o, const char *self_dir, pk_report *r);

/* Helpers shared by the probes. */
void limits_progress(const limits_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* min/median/max of the timings into report keys "<prefix>" (rate from best time) and
 * "<prefix>_median" (rate from the median time): rate = work / time. */
void limits_report_rate(pk_report *r, const char *prefix, double work, const double *times, uint64_t count);

/* Hide a value from the optimizer without emitting an instruction, so loops really run. */
#if defined(__x86_64__) || defined(__i386__)
#define LIMITS_OPAQUE_VEC(v) __asm__("" : "+v"(v))
#elif defined(__aarch64__)
#define LIMITS_OPAQUE_VEC(v) __asm__("" : "+w"(v))
#else
#define LIMITS_OPAQUE_VEC(v) __asm__ volatile("" : "+m"(v))
#endif
#define LIMITS_OPAQUE(x) __asm__ volatile("" : "+r"(x))

#endif
