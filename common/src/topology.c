/* Topology (see topology.h): hwloc where found (PARKIT_HAVE_HWLOC), sysconf otherwise. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "parkit/topology.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#ifdef PARKIT_HAVE_HWLOC
#include <hwloc.h>
#endif

static pk_topology topo;
/* Loaded once, whichever thread asks first: every thread of a placement report asks at the same
 * moment, and a plain "loaded" flag let the second one read the topology before the first had
 * loaded it (its Core/Pkg/NUMA came out -1). */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
#ifdef PARKIT_HAVE_HWLOC
static hwloc_topology_t hw;
static char hwloc_source[32];
#endif

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

#ifdef PARKIT_HAVE_HWLOC
static int count(hwloc_obj_type_t type)
{
    int n = hwloc_get_nbobjs_by_type(hw, type);
    return n > 0 ? n : 0;
}

static int load_hwloc(void)
{
    if (hwloc_topology_init(&hw) != 0) return -1;
    /* every MPI rank loads this at start-up: caches are not needed, and leaving them out took the
     * load from 11 to 7 ms here */
    hwloc_topology_set_cache_types_filter(hw, HWLOC_TYPE_FILTER_KEEP_NONE);
    hwloc_topology_set_icache_types_filter(hw, HWLOC_TYPE_FILTER_KEEP_NONE);
    if (hwloc_topology_load(hw) != 0) {
        hwloc_topology_destroy(hw);
        hw = NULL;
        return -1;
    }
    unsigned v = hwloc_get_api_version();
    snprintf(hwloc_source, sizeof hwloc_source, "hwloc (API %u.%u.%u)", v >> 16, (v >> 8) & 0xff, v & 0xff);
    topo = (pk_topology){.hardware_threads = count(HWLOC_OBJ_PU),
                         .cores = count(HWLOC_OBJ_CORE),
                         .packages = count(HWLOC_OBJ_PACKAGE),
                         .numa_nodes = count(HWLOC_OBJ_NUMANODE),
                         .source = hwloc_source};
    if (topo.cores == 0) topo.cores = topo.hardware_threads; /* a machine that does not expose cores */
    return topo.hardware_threads > 0 ? 0 : -1;
}
#endif

static void load(void)
{
#ifdef PARKIT_HAVE_HWLOC
    if (load_hwloc() == 0) return;
#endif
    int n = online_cpus();
    topo = (pk_topology){.hardware_threads = n, .cores = n, .packages = 0, .numa_nodes = 0,
                         .source = "sysconf (no hwloc: cores = hardware threads)"};
}

const pk_topology *pk_topology_get(void)
{
    pthread_once(&load_once, load);
    return &topo;
}

pk_cpu_place pk_topology_place(int cpu)
{
    pk_cpu_place p = {-1, -1, -1};
    pk_topology_get();
#ifdef PARKIT_HAVE_HWLOC
    if (!hw || cpu < 0) return p;
    hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(hw, (unsigned)cpu);
    if (!pu) return p;
    hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(hw, HWLOC_OBJ_CORE, pu);
    hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(hw, HWLOC_OBJ_PACKAGE, pu);
    if (core) p.core = (int)core->logical_index;
    if (package) p.package = (int)package->logical_index;
    /* NUMA nodes are memory children in hwloc 2: the node whose cpuset holds this PU */
    hwloc_obj_t node = NULL;
    while ((node = hwloc_get_next_obj_by_type(hw, HWLOC_OBJ_NUMANODE, node)) != NULL)
        if (hwloc_bitmap_isset(node->cpuset, (unsigned)cpu)) {
            p.numa = (int)node->logical_index;
            break;
        }
#else
    (void)cpu;
#endif
    return p;
}

static int initial_cpus;

static int cpus_in_mask(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return online_cpus();
}

/* Priority 102, like the OpenMP environment guard: before the runtime's own constructor. */
__attribute__((constructor(102))) static void record_initial_cpus(void) { initial_cpus = cpus_in_mask(); }

int pk_initial_cpus(void) { return initial_cpus > 0 ? initial_cpus : cpus_in_mask(); }
