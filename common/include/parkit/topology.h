/* The node's hardware as the kit needs it: cores (not hardware threads) for oversubscription
 * warnings, and where a logical CPU sits (core, package, NUMA node) for the placement report.
 * From hwloc, the HPC standard for topology, where the build found it; otherwise from sysconf
 * (which counts hardware threads only, so cores = hardware threads and the rest is unknown). */
#ifndef PARKIT_TOPOLOGY_H
#define PARKIT_TOPOLOGY_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_topology {
    int hardware_threads; /* logical CPUs online (PUs) */
    int cores;            /* physical cores */
    int packages;         /* sockets; 0 when unknown */
    int numa_nodes;       /* 0 when unknown */
    const char *source;   /* "hwloc (API 2.8.0)" or "sysconf (no hwloc: cores = hardware threads)" */
} pk_topology;

/* Where one logical CPU sits; -1 for what is unknown. Core numbers are hwloc's logical indexes. */
typedef struct pk_cpu_place {
    int core, package, numa;
} pk_cpu_place;

/* The node's topology, read once per process (later calls return the same values). */
const pk_topology *pk_topology_get(void);
pk_cpu_place pk_topology_place(int cpu);
/* CPUs in this process's affinity mask as it started, before an OpenMP runtime could pin the
 * initial thread to one place (recorded by a constructor). */
int pk_initial_cpus(void);

#ifdef __cplusplus
}
#endif
#endif
