/* Load balance and makespans of a worker pool run (see pool_report.h). */
#include "parkit/pool_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/pattern_work.h"

uint64_t pk_pool_job_run(uint64_t seed, uint64_t j, uint64_t units, uint64_t unit_steps)
{
    return pk_lcg_run(pk_job_start(seed, j), units * unit_steps);
}

int pk_pool_job_ok(uint64_t seed, uint64_t j, uint64_t units, uint64_t unit_steps, uint64_t result)
{
    return result == pk_lcg_jump(pk_job_start(seed, j), units * unit_steps);
}

double pk_pool_seconds_per_unit(uint64_t unit_steps)
{
    double rate = pk_lcg_steps_per_second(0.05);
    return rate > 0 ? (double)unit_steps / rate : 0;
}

const pk_col pk_pool_cols[] = {
    {"worker", "Worker", 8, 1}, {"jobs", "Jobs", 6, 1}, {"units", "Units", 7, 1}, {"busy_s", "Busy(s)", 11, 1},
    {"busy_share", "Busy/Makespan", 14, 1},
};
const size_t pk_pool_ncols = sizeof pk_pool_cols / sizeof pk_pool_cols[0];

void pk_pool_report(const pk_pool_run *run, pk_report *r, pk_table *t)
{
    int w = run->nworkers > 0 ? run->nworkers : 1;
    uint64_t *jobs = calloc((size_t)w, sizeof *jobs), *units = calloc((size_t)w, sizeof *units);
    if (!jobs || !units) {
        free(jobs);
        free(units);
        return;
    }
    uint64_t total = 0;
    for (uint64_t j = 0; j < run->njobs; j++) {
        int k = run->worker_of[j];
        if (k >= 0 && k < w) {
            jobs[k]++;
            units[k] += run->units[j];
        }
        total += run->units[j];
    }
    double busy_sum = 0, busy_max = 0; /* load balance = mean busy / max busy */
    uint64_t units_max = 0;
    for (int k = 0; k < w; k++) {
        busy_sum += run->busy[k];
        if (run->busy[k] > busy_max) busy_max = run->busy[k];
        if (units[k] > units_max) units_max = units[k];
    }
    /* makespans in seconds as if every worker had a core of its own: units x the cost of a unit */
    double spu = run->seconds_per_unit;
    uint64_t block = pk_makespan_block(run->units, run->njobs, (uint64_t)w);
    uint64_t cyclic = pk_makespan_cyclic(run->units, run->njobs, (uint64_t)w);
    uint64_t bound = pk_makespan_bound(run->units, run->njobs, (uint64_t)w);

    pk_report_num(r, "pool_workers", "%d", w);
    pk_report_num(r, "units_total", "%llu", (unsigned long long)total);
    pk_report_num(r, "seconds_per_unit", "%.6e", spu);
    pk_report_num(r, "makespan_s", "%.6f", run->makespan);
    pk_report_num(r, "makespan_units_dynamic", "%llu", (unsigned long long)units_max);
    pk_report_num(r, "makespan_units_static_block", "%llu", (unsigned long long)block);
    pk_report_num(r, "makespan_units_static_cyclic", "%llu", (unsigned long long)cyclic);
    pk_report_num(r, "makespan_units_lower_bound", "%llu", (unsigned long long)bound);
    pk_report_str(r, "predicted", "makespan_units x seconds_per_unit: every worker on a core of its own");
    pk_report_num(r, "dynamic_predicted_s", "%.6f", (double)units_max * spu);
    pk_report_num(r, "static_block_predicted_s", "%.6f", (double)block * spu);
    pk_report_num(r, "lower_bound_s", "%.6f", (double)bound * spu);
    pk_report_num(r, "load_balance", "%.3f", busy_max > 0 ? busy_sum / w / busy_max : 1.0);

    char list[PK_REPORT_MAX_TEXT] = "";
    size_t used = 0;
    for (int k = 0; k < w && used + 1 < sizeof list; k++) {
        int n = snprintf(list + used, sizeof list - used, "%s%d:%llu", k ? " " : "", k, (unsigned long long)jobs[k]);
        if (n < 0) break;
        used += (size_t)n;
    }
    pk_report_str(r, "jobs_per_worker", "%s", list);

    for (int k = 0; k < w; k++) {
        size_t row = pk_table_row(t);
        pk_table_set(t, row, 0, "%d", k);
        pk_table_set(t, row, 1, "%llu", (unsigned long long)jobs[k]);
        pk_table_set(t, row, 2, "%llu", (unsigned long long)units[k]);
        pk_table_set(t, row, 3, "%.6f", run->busy[k]);
        pk_table_set(t, row, 4, "%.3f", run->makespan > 0 ? run->busy[k] / run->makespan : 0.0);
    }
    free(jobs);
    free(units);
}

size_t pk_pool_options(pk_pool_jobs *jobs, pk_opt *opts)
{
    const pk_opt table[PK_POOL_NOPTS] = {
        {.name = "jobs", .metavar = "J", .kind = PK_OPT_SIZE, .target = &jobs->njobs, .min = 1, .max = 10000000,
         .help = "number of jobs (default 10)"},
        {.name = "max-units", .metavar = "U", .kind = PK_OPT_SIZE, .target = &jobs->max_units, .min = 1, .max = 1000000,
         .help = "a job costs 1..U units, pseudo-random (default 8)"},
        {.name = "unit-steps", .metavar = "S", .kind = PK_OPT_SIZE, .target = &jobs->unit_steps, .min = 1,
         .max = 1000000000000ULL, .help = "LCG steps per unit of work (default 1e6, about 1 ms)"},
        {.name = "seed", .metavar = "S", .kind = PK_OPT_SIZE, .target = &jobs->seed,
         .help = "seed of the random job costs (default 1)"},
        {.name = "costs", .metavar = "KIND", .kind = PK_OPT_CHOICE, .target = &jobs->costs, .choices = "random|rising",
         .help = "random (default: pseudo-random 1..U) or rising (1..U growing with the job number)"},
    };
    memcpy(opts, table, sizeof table);
    return PK_POOL_NOPTS;
}

void pk_pool_describe(const pk_pool_jobs *jobs, pk_report *r)
{
    pk_report_num(r, "jobs", "%llu", (unsigned long long)jobs->njobs);
    pk_report_num(r, "max_units", "%llu", (unsigned long long)jobs->max_units);
    pk_report_num(r, "unit_steps", "%llu", (unsigned long long)jobs->unit_steps);
    pk_report_num(r, "seed", "%llu", (unsigned long long)jobs->seed);
    pk_report_str(r, "costs", "%s", jobs->costs);
}

uint64_t pk_pool_units(uint64_t seed, uint64_t j, uint64_t njobs, uint64_t max_units, int rising)
{
    return rising ? pk_job_units_rising(j, njobs, max_units) : pk_job_units(seed, j, max_units);
}
