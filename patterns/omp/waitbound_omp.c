/* waitbound_omp: waiting-bound vs CPU-bound tasks on 1..64 threads of one process -- the lesson
 * "threads help I/O-bound work; CPU-bound work needs cores". A waiting task sleeps (a bounded
 * simulated latency, like a network call: the thread holds no core meanwhile); a CPU task runs an
 * LCG chain calibrated to take as long on one free core. On a 2-core machine the waiting column keeps
 * speeding up with every thread added, the CPU column stops at about 2. Unlike Python, there is no
 * interpreter lock: the CPU column does reach the core count with threads alone.
 *   ./waitbound_omp                                   (1,2,4,...,64 threads, 64 tasks of 2 ms)
 *   ./waitbound_omp --workers 1,16 --tasks 16 --wait-us 20000 --cpu-us 1000
 * Every task is checked (ran exactly once; CPU result against an independent jump-ahead; the wait
 * lasted at least what was asked). Exit: 0 verified, 1 a task wrong or missing, 2 usage. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"
#include "parkit/pattern_work.h"
#include "parkit/stats.h"
#include "parkit/waitbound.h"

#define MAX_THREADS 1024

/* One run of all tasks of one kind on `workers` threads. Returns the wall time; counts into done[]
 * and adds the tasks that failed their check to *bad; *team gets the team size really obtained. */
static double run(int kind, int workers, const pk_wb_config *cfg, int *done, int *bad, int *team)
{
    double wait_s = (double)cfg->wait_us * 1e-6;
    int errors = 0, size = 0;
    memset(done, 0, cfg->tasks * sizeof *done);
    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(workers) reduction(+ : errors)
    {
#pragma omp single nowait
        size = omp_get_num_threads();
#pragma omp for schedule(static)
        for (uint64_t t = 0; t < cfg->tasks; t++) {
            errors += !pk_wb_task(kind, t, wait_s, cfg->cpu_steps);
            done[t]++; /* task t belongs to one thread only: no race */
        }
    }
    double dt = omp_get_wtime() - t0;
    for (uint64_t t = 0; t < cfg->tasks; t++) errors += done[t] != 1;
    *bad += errors;
    *team = size;
    return dt;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "waiting-bound vs CPU-bound tasks on 1..64 threads: waiting keeps speeding up past "
                          "the cores, computing stops at them";
    pk_wb_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.tasks = 64;
    cfg.wait_us = 2000;
    cfg.max_workers = MAX_THREADS; /* the largest count --workers accepts */
    pk_pat_common c = {.repeat = 3, .warmup = 1};
    pk_opt opts[8];
    size_t nopts = pk_wb_options(&cfg, opts);
    int code = pk_pat_parse(argc, argv, summary, opts, nopts, &c, PK_PAT_TIMED, pk_omp_check_env, 0);
    if (code >= 0) return code;
    if (!cfg.counts_given) cfg.max_workers = 64; /* the default list: 1, 2, 4, ..., 64 */
    pk_wb_finish(&cfg);
    cfg.cpu_steps = (uint64_t)((double)cfg.cpu_us * 1e-6 * pk_lcg_steps_per_second(0.1));

    int *done = malloc(cfg.tasks * sizeof *done);
    double *wait_med = calloc((size_t)cfg.ncounts, sizeof *wait_med);
    double *cpu_med = calloc((size_t)cfg.ncounts, sizeof *cpu_med);
    double *times = calloc(c.repeat, sizeof *times);
    if (!done || !wait_med || !cpu_med || !times) {
        pk_error(prog, "out of memory");
        return PK_EXIT_FAIL;
    }
    int bad = 0, short_team = 0;
    for (int i = 0; i < cfg.ncounts; i++) {
        for (int kind = PK_WB_WAIT; kind <= PK_WB_CPU; kind++) {
            for (uint64_t r = 0; r < c.warmup + c.repeat; r++) {
                int team = 0;
                double dt = run(kind, (int)cfg.counts[i], &cfg, done, &bad, &team);
                if (team != (int)cfg.counts[i]) short_team = team;
                if (r >= c.warmup) times[r - c.warmup] = dt;
            }
            double med = pk_stats_of(times, c.repeat).median;
            if (kind == PK_WB_WAIT) wait_med[i] = med;
            else cpu_med[i] = med;
        }
    }

    pk_report rep;
    pk_pat_report_init(&rep, prog, summary, "omp");
    pk_omp_report_runtime(&rep);
    pk_report_num(&rep, "ranks", "1");
    pk_omp_describe(&rep);
    pk_report_str(&rep, "schedule", "static (fixed by the program)");
    pk_report_str(&rep, "threads_requested", "per row: the Workers column (num_threads clause)");
    pk_report_str(&rep, "threads", "per row: the Workers column (team sizes checked)");
    pk_table t;
    pk_wb_report(&cfg, wait_med, cpu_med, &rep, &t);
    int pass = bad == 0 && short_team == 0;
    char why[256];
    if (short_team)
        snprintf(why, sizeof why, "a team got only %d threads (OMP_THREAD_LIMIT or OMP_DYNAMIC?)", short_team);
    else if (bad)
        snprintf(why, sizeof why, "%d task checks failed (missing, repeated, wrong result or short wait)", bad);
    else
        snprintf(why, sizeof why, "every task of every run ran once and checked out (%llu tasks x %d counts x 2 "
                 "kinds x %llu runs)", (unsigned long long)cfg.tasks, cfg.ncounts,
                 (unsigned long long)(c.warmup + c.repeat));
    pk_pat_report_verdict(&rep, pass, why);
    pk_pat_report_runs(&rep, &c);
    pk_pat_print(&rep, &t, c.json, stdout);
    pk_table_free(&t);
    free(done);
    free(wait_med);
    free(cpu_med);
    free(times);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
