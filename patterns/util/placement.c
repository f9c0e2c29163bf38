/* Placement records, cpu lists and the placement report (see placement.h). */
#define _GNU_SOURCE /* sched_getcpu, sched_getaffinity, CPU_ISSET_S */
#include "parkit/placement.h"
#include "parkit/topology.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pk_cpulist(const void *mask, size_t size, char *buf, size_t len)
{
    const cpu_set_t *set = mask;
    int ncpu = (int)(size * 8), count = 0;
    size_t used = 0;
    if (len) buf[0] = '\0';
    for (int c = 0; c < ncpu; c++) {
        if (!CPU_ISSET_S(c, size, set)) continue;
        int end = c;
        while (end + 1 < ncpu && CPU_ISSET_S(end + 1, size, set)) end++;
        count += end - c + 1;
        char item[32];
        if (end == c) snprintf(item, sizeof item, "%s%d", used ? "," : "", c);
        else snprintf(item, sizeof item, "%s%d-%d", used ? "," : "", c, end);
        size_t n = strlen(item);
        if (used + n + 1 < len) {
            memcpy(buf + used, item, n + 1);
            used += n;
        } else if (len >= 4 && used + 4 <= len) { /* does not fit: say so instead of cutting a number */
            memcpy(buf + used, "...", 4);
            used = len; /* stop appending, keep counting */
        }
        c = end;
    }
    return count;
}

void pk_place_here(pk_place *p, int rank, int ranks, int thread, int threads)
{
    memset(p, 0, sizeof *p);
    if (gethostname(p->host, sizeof p->host - 1) != 0) snprintf(p->host, sizeof p->host, "unknown");
    p->rank = rank;
    p->ranks = ranks;
    p->thread = thread;
    p->threads = threads;
    p->cpu = sched_getcpu();
    pk_cpu_place where = pk_topology_place(p->cpu);
    p->core = where.core;
    p->package = where.package;
    p->numa = where.numa;
    cpu_set_t set;
    CPU_ZERO(&set);
    /* pid 0 = the calling thread: each OpenMP thread has its own mask once OMP_PROC_BIND binds it */
    if (sched_getaffinity(0, sizeof set, &set) == 0) p->ncpus = pk_cpulist(&set, sizeof set, p->cpus, sizeof p->cpus);
    else snprintf(p->cpus, sizeof p->cpus, "unknown");
}

static int by_rank_thread(const void *a, const void *b)
{
    const pk_place *x = a, *y = b;
    if (x->rank != y->rank) return (x->rank > y->rank) - (x->rank < y->rank);
    return (x->thread > y->thread) - (x->thread < y->thread);
}

int pk_place_check(pk_place *p, size_t n, int ranks, char *why, size_t len)
{
    qsort(p, n, sizeof *p, by_rank_thread);
    size_t i = 0;
    for (int r = 0; r < ranks; r++) {
        if (i >= n || p[i].rank != r) {
            snprintf(why, len, "rank %d is missing", r);
            return 0;
        }
        int threads = p[i].threads;
        for (int t = 0; t < threads; t++, i++) {
            if (i >= n || p[i].rank != r || p[i].thread != t) {
                snprintf(why, len, "rank %d: thread %d of %d is missing", r, t, threads);
                return 0;
            }
            if (p[i].threads != threads) {
                snprintf(why, len, "rank %d: threads disagree on the team size (%d vs %d)", r, p[i].threads,
                         threads);
                return 0;
            }
        }
        if (i < n && p[i].rank == r) {
            snprintf(why, len, "rank %d: thread %d listed twice or beyond its team of %d", r, p[i].thread, threads);
            return 0;
        }
    }
    if (i != n) {
        snprintf(why, len, "unexpected record for rank %d (job has %d ranks)", p[i].rank, ranks);
        return 0;
    }
    snprintf(why, len, "%zu workers listed, each (rank, thread) exactly once", n);
    return 1;
}

const pk_col pk_place_cols[] = {
    {"host", "Host", 16, 0},    {"rank", "Rank", 6, 1},          {"thread", "Thread", 7, 1},
    {"shm_group", "SHM", 5, 1},  {"cpu", "CPU", 5, 1},            {"core", "Core", 5, 1},
    {"package", "Pkg", 4, 1},    {"numa", "NUMA", 5, 1},          {"ncpus", "NCPUs", 6, 1},
    {"affinity", "Affinity", 12, 0},
};
const size_t pk_place_ncols = sizeof pk_place_cols / sizeof pk_place_cols[0];

/* Records ordered by (host, cpu, shared-memory group), for counting hosts, groups and shared CPUs. */
static int by_host_cpu(const void *a, const void *b)
{
    const pk_place *x = *(const pk_place *const *)a, *y = *(const pk_place *const *)b;
    int c = strcmp(x->host, y->host);
    if (c) return c;
    if (x->cpu != y->cpu) return x->cpu < y->cpu ? -1 : 1;
    return (x->shm_group > y->shm_group) - (x->shm_group < y->shm_group);
}

void pk_place_report(const pk_place *p, size_t n, pk_report *r, pk_table *t)
{
    int ranks = 0, max_threads = 0, shared = 0, hosts = 0, groups = 0, distinct = 0, distinct_cores = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].rank + 1 > ranks) ranks = p[i].rank + 1;
        if (p[i].threads > max_threads) max_threads = p[i].threads;
        if (p[i].rank == p[i].shm_group && p[i].thread == 0) groups++; /* a group is named by its lowest rank */
    }
    /* hosts, distinct (host, CPU) pairs in use and workers that share one (at this instant): sorted, so
     * that 10^5 workers cost n log n */
    const pk_place **order = malloc((n ? n : 1) * sizeof *order);
    if (order) {
        for (size_t i = 0; i < n; i++) order[i] = &p[i];
        qsort(order, n, sizeof *order, by_host_cpu);
        for (size_t i = 0; i < n; i++) {
            int same_host = i > 0 && strcmp(order[i]->host, order[i - 1]->host) == 0;
            hosts += !same_host;
            if (order[i]->cpu < 0) continue;
            if (same_host && order[i]->cpu == order[i - 1]->cpu) shared++;
            else distinct++;
        }
        free(order);
    }
    enum { MAXCPU = 4096 };
    static unsigned char core_seen[MAXCPU];
    memset(core_seen, 0, sizeof core_seen);
    for (size_t i = 0; i < n; i++) /* one host's core numbers: meaningful for single-host jobs */
        if (p[i].core >= 0 && p[i].core < MAXCPU && !core_seen[p[i].core]++) distinct_cores++;
    const pk_topology *topo = pk_topology_get();
    pk_report_num(r, "ranks", "%d", ranks);
    pk_report_num(r, "threads_per_rank", "%d", max_threads);
    pk_report_num(r, "workers", "%zu", n);
    pk_report_num(r, "host_count", "%d", hosts); /* "hosts" is the provenance list */
    pk_report_num(r, "shared_memory_groups", "%d", groups);
    pk_report_num(r, "cpus_online", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    pk_report_num(r, "cores", "%d", topo->cores);
    pk_report_num(r, "hardware_threads", "%d", topo->hardware_threads);
    pk_report_num(r, "packages", "%d", topo->packages);
    pk_report_num(r, "numa_nodes", "%d", topo->numa_nodes);
    pk_report_str(r, "topology_from", "%s", topo->source);
    pk_report_num(r, "distinct_cpus_in_use", "%d", distinct);
    if (hosts == 1) pk_report_num(r, "distinct_cores_in_use", "%d", distinct_cores);
    pk_report_num(r, "workers_sharing_a_cpu", "%d", shared);
    for (size_t i = 0; i < n; i++) {
        size_t row = pk_table_row(t);
        pk_table_set(t, row, 0, "%s", p[i].host);
        pk_table_set(t, row, 1, "%d", p[i].rank);
        pk_table_set(t, row, 2, "%d", p[i].thread);
        pk_table_set(t, row, 3, "%d", p[i].shm_group);
        pk_table_set(t, row, 4, "%d", p[i].cpu);
        pk_table_set(t, row, 5, "%d", p[i].core);
        pk_table_set(t, row, 6, "%d", p[i].package);
        pk_table_set(t, row, 7, "%d", p[i].numa);
        pk_table_set(t, row, 8, "%d", p[i].ncpus);
        pk_table_set(t, row, 9, "%s", p[i].cpus);
    }
}
