/* Options, tasks and the table of waitbound_omp and waitbound_mpi (see waitbound.h). */
#include "parkit/waitbound.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parkit/pattern_work.h"
#include "parkit/topology.h"

static int set_workers(void *ctx, const char *value, char *err, size_t errlen)
{
    pk_wb_config *cfg = ctx;
    int n = pk_pat_parse_counts(value, cfg->max_workers, cfg->counts, PK_WB_MAX_COUNTS, err, errlen);
    if (n < 0) return -1;
    cfg->ncounts = n;
    cfg->counts_given = 1;
    return 0;
}

size_t pk_wb_options(pk_wb_config *cfg, pk_opt *opts)
{
    opts[0] = (pk_opt){"workers", "LIST", "worker counts to run, increasing, e.g. 1,2,4,8 (default: powers of two "
                       "up to the maximum)", PK_OPT_CALLBACK, NULL, 0, 0, NULL, set_workers, cfg, NULL};
    opts[1] = (pk_opt){"tasks", "T", "tasks per run, split evenly over the workers (default 64)", PK_OPT_SIZE,
                       &cfg->tasks, 1, 1000000, NULL, NULL, NULL, NULL};
    opts[2] = (pk_opt){"wait-us", "US", "how long a waiting task waits, microseconds (default 2000)", PK_OPT_SIZE,
                       &cfg->wait_us, 0, 60000000, NULL, NULL, NULL, NULL};
    opts[3] = (pk_opt){"cpu-us", "US", "how long a CPU task computes on one free core, microseconds (default: "
                       "the wait)", PK_OPT_SIZE, &cfg->cpu_us, 0, 60000000, NULL, NULL, NULL, &cfg->cpu_given};
    return 4;
}

void pk_wb_finish(pk_wb_config *cfg)
{
    if (!cfg->cpu_given) cfg->cpu_us = cfg->wait_us;
    if (cfg->max_workers < 1) cfg->max_workers = 1;
    if (!cfg->counts_given) {
        cfg->ncounts = 0;
        for (uint64_t w = 1; w <= cfg->max_workers && cfg->ncounts < PK_WB_MAX_COUNTS - 1; w *= 2)
            cfg->counts[cfg->ncounts++] = w;
        if (cfg->counts[cfg->ncounts - 1] != cfg->max_workers) cfg->counts[cfg->ncounts++] = cfg->max_workers;
    }
    if (cfg->counts[0] != 1) { /* the baseline of every speedup */
        if (cfg->ncounts == PK_WB_MAX_COUNTS) cfg->ncounts--;
        memmove(cfg->counts + 1, cfg->counts, (size_t)cfg->ncounts * sizeof cfg->counts[0]);
        cfg->counts[0] = 1;
        cfg->ncounts++;
    }
}

int pk_wb_task(int kind, uint64_t t, double wait_s, uint64_t steps)
{
    if (kind == PK_WB_WAIT) return pk_sleep(wait_s) >= wait_s;
    uint64_t start = pk_mix64(t);
    return pk_lcg_run(start, steps) == pk_lcg_jump(start, steps);
}

void pk_wb_report(const pk_wb_config *cfg, const double *wait_med, const double *cpu_med, pk_report *r,
                  pk_table *t)
{
    static const pk_col cols[] = {
        {"workers", "Workers", 9, 1},      {"wait_time_s", "Wait(s)", 12, 1}, {"wait_speedup", "Speedup", 9, 1},
        {"cpu_time_s", "CPU(s)", 12, 1}, {"cpu_speedup", "Speedup", 9, 1},
    };
    pk_table_init(t, cols, sizeof cols / sizeof cols[0]);
    pk_report_num(r, "tasks", "%llu", (unsigned long long)cfg->tasks);
    pk_report_num(r, "wait_us", "%llu", (unsigned long long)cfg->wait_us);
    pk_report_num(r, "cpu_us", "%llu", (unsigned long long)cfg->cpu_us);
    pk_report_num(r, "cpu_steps_per_task", "%llu", (unsigned long long)cfg->cpu_steps);
    pk_report_num(r, "cores", "%d", pk_topology_get()->cores); /* physical: hardware threads share one */
    char list[PK_REPORT_MAX_TEXT] = "";
    size_t used = 0;
    for (int i = 0; i < cfg->ncounts && used + 1 < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%llu", i ? "," : "", (unsigned long long)cfg->counts[i]);
        if (n < 0) break;
        used += (size_t)n;
    }
    pk_report_str(r, "worker_counts", "%s", list);
    int last = cfg->ncounts - 1;
    double ws = wait_med[last] > 0 ? wait_med[0] / wait_med[last] : 0;
    double cs = cpu_med[last] > 0 ? cpu_med[0] / cpu_med[last] : 0;
    pk_report_num(r, "wait_speedup_at_max", "%.3f", ws);
    pk_report_num(r, "cpu_speedup_at_max", "%.3f", cs);
    pk_report_str(r, "speedup", "time with 1 worker / time with W workers (median of the repeats)");
    for (int i = 0; i < cfg->ncounts; i++) {
        size_t row = pk_table_row(t);
        pk_table_set(t, row, 0, "%llu", (unsigned long long)cfg->counts[i]);
        pk_table_set(t, row, 1, "%.6f", wait_med[i]);
        pk_table_set(t, row, 2, "%.2f", wait_med[i] > 0 ? wait_med[0] / wait_med[i] : 0);
        pk_table_set(t, row, 3, "%.6f", cpu_med[i]);
        pk_table_set(t, row, 4, "%.2f", cpu_med[i] > 0 ? cpu_med[0] / cpu_med[i] : 0);
    }
}
