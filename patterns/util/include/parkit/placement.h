/* The placement report of where_omp, where_mpi and where_hybrid (xthi-style): for every
 * (rank, thread), the host, the CPU it runs on now (sched_getcpu) and the CPUs it may run on
 * (its affinity mask, written as a cpu list like 0-1,4). Records have a fixed size so that MPI
 * can gather them as bytes. */
#ifndef PARKIT_PLACEMENT_H
#define PARKIT_PLACEMENT_H
#include <stddef.h>
#include "parkit/pattern.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_place {
    char host[64];
    int rank, ranks;     /* this rank and the job's rank count */
    int thread, threads; /* this thread and its team's size */
    int cpu;             /* sched_getcpu(), -1 when unknown */
    int ncpus;           /* CPUs in the affinity mask */
    int core, package, numa; /* where cpu sits (topology.h: hwloc), -1 when unknown */
    int shm_group;       /* the lowest rank that shares memory with this one (MPI_COMM_TYPE_SHARED):
                          * ranks of different groups can only talk over the network; 0 without MPI */
    char cpus[176];      /* the affinity mask as a cpu list, e.g. "0-1" */
} pk_place;

/* "0-3,8,10-11": the CPUs set in `mask` (bytes of a cpu_set_t, `size` bytes). Returns the CPU count. */
int pk_cpulist(const void *mask, size_t size, char *buf, size_t len);

/* Fills p for the calling thread (its own affinity mask, not the process's). */
void pk_place_here(pk_place *p, int rank, int ranks, int thread, int threads);

/* Sorts by (rank, thread) and checks that every rank 0..ranks-1 appears with each of its threads
 * 0..threads-1 exactly once. Returns 1, or 0 with the first problem in why. */
int pk_place_check(pk_place *p, size_t n, int ranks, char *why, size_t len);

/* Report fields (ranks, threads per rank, workers, hosts, shared-memory groups, distinct CPUs and
 * cores in use, shared CPUs (a CPU is one host's: CPU 0 of two hosts is two CPUs), the node's cores /
 * hardware threads / packages / NUMA nodes and where that came from) and the table rows (host, rank,
 * thread, shared-memory group, cpu, core, package, NUMA node, affinity), ready for
 * pk_pat_print. cols must outlive t. */
extern const pk_col pk_place_cols[];
extern const size_t pk_place_ncols;
void pk_place_report(const pk_place *p, size_t n, pk_report *r, pk_table *t);

#ifdef __cplusplus
}
#endif
#endif
