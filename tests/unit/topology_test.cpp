// The node's topology (topology.h): counts that hang together, and each CPU this process may use
// placed on a core that exists when hwloc read the topology (sysconf fallback: nothing placed).
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <string>

#include "parkit/topology.h"

TEST(Topology, CountsHangTogether)
{
    const pk_topology *t = pk_topology_get();
    ASSERT_NE(t, nullptr);
    EXPECT_GE(t->cores, 1);
    EXPECT_LE(t->cores, t->hardware_threads) << "a core has at least one hardware thread";
    // hwloc counts the CPUs this process may use (a container's cpuset can hide some)
    EXPECT_LE(t->hardware_threads, (int)sysconf(_SC_NPROCESSORS_ONLN));
    EXPECT_EQ(pk_topology_get(), t) << "read once per process";
    EXPECT_GE(pk_initial_cpus(), 1);
}

TEST(Topology, EveryCpuOfThisProcessHasAPlaceWithHwloc)
{
    const pk_topology *t = pk_topology_get();
    const bool hwloc = std::string(t->source).rfind("hwloc", 0) == 0;
    cpu_set_t mask;
    ASSERT_EQ(sched_getaffinity(0, sizeof mask, &mask), 0);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &mask)) continue;
        pk_cpu_place p = pk_topology_place(cpu);
        if (hwloc) {
            EXPECT_GE(p.core, 0) << "cpu " << cpu;
            EXPECT_LT(p.core, t->cores) << "cpu " << cpu;
            EXPECT_GE(p.package, 0) << "cpu " << cpu;
        } else {
            EXPECT_EQ(p.core, -1) << "no hwloc: unknown";
        }
    }
    pk_cpu_place bad = pk_topology_place(-1);
    EXPECT_EQ(bad.core, -1);
    EXPECT_EQ(bad.package, -1);
    EXPECT_EQ(bad.numa, -1);
}
