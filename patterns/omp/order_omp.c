/* order_omp: in what order do threads print? Not a fixed one. Every thread of the team does the same
 * piece of work and prints "worker i: done" as soon as it finishes -- the tutorials' interleaved
 * prints. Over --runs K runs the program records the order the lines came out in (each line and its
 * place are taken under the stream's lock, so the record is the printed order) and counts how many
 * distinct orders it saw, showing the most frequent ones. --ordered puts the print in an OpenMP
 * `ordered` region of a loop over the workers: the work still runs in parallel, the prints come out
 * 0, 1, 2, ... every time -- and the program measures what that costs against the same runs
 * without it.
 *   OMP_NUM_THREADS=4 ./order_omp                 (the first run's lines, then the orders seen)
 *   OMP_NUM_THREADS=4 ./order_omp --ordered       (one order; time with and without)
 *   OMP_NUM_THREADS=8 ./order_omp --runs 200 --steps 1e4 --json
 * The first run prints to stdout as it goes (text mode); later runs print to memory, so that K runs
 * do not flood the terminal. Every line's result is checked against the LCG jump-ahead.
 * Exit: 0 PASS (every worker's line once per run, results right; --ordered: one order, 0..W-1),
 * 1 otherwise, 2 usage. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/order.h"
#include "parkit/pattern.h"
#include "parkit/pattern_work.h"
#include "parkit/stats.h"

typedef struct options {
    uint64_t runs, steps;
    int ordered;
} options;

/* One run's shared state: where lines go and the order they went in. */
typedef struct run_ctx {
    FILE *out;
    uint32_t *slots, next;
    uint64_t steps;
    int run, work_ok;
} run_ctx;

static uint64_t start_of(int worker, int run) { return pk_mix64(((uint64_t)run << 32) ^ (uint64_t)worker); }

/* Print worker i's line and note its place, as one step: under the stream's own lock (what every
 * printf takes anyway), so the recorded order is the printed order. */
static void say(run_ctx *c, int i, uint64_t x)
{
    flockfile(c->out);
    fprintf(c->out, "worker %d: done (x = %016llx)\n", i, (unsigned long long)x);
    fflush(c->out);
    if (c->slots) c->slots[c->next++] = (uint32_t)i;
    if (x != pk_lcg_jump(start_of(i, c->run), c->steps)) c->work_ok = 0;
    funlockfile(c->out);
}

static double one_run(run_ctx *c, int workers, int ordered)
{
    double t0 = omp_get_wtime();
    if (ordered) {
#pragma omp parallel for ordered schedule(static, 1) num_threads(workers)
        for (int i = 0; i < workers; i++) {
            uint64_t x = pk_lcg_run(start_of(i, c->run), c->steps); /* in parallel */
#pragma omp ordered
            say(c, i, x); /* one at a time, in loop order */
        }
    } else {
#pragma omp parallel for schedule(static, 1) num_threads(workers)
        for (int i = 0; i < workers; i++) say(c, i, pk_lcg_run(start_of(i, c->run), c->steps));
    }
    return omp_get_wtime() - t0;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "threads print as they finish: how many distinct orders over K runs; --ordered gives one "
                          "order and shows its cost";
    options o = {.runs = 20, .steps = 100000};
    pk_pat_common c = {.repeat = 1};
    const pk_opt opts[] = {
        {.name = "runs", .metavar = "K", .kind = PK_OPT_SIZE, .target = &o.runs, .min = 1, .max = 10000,
         .help = "runs to compare (default 20)"},
        {.name = "steps", .metavar = "S", .kind = PK_OPT_SIZE, .target = &o.steps, .min = 0, .max = 10000000000ULL,
         .help = "LCG steps of work per worker before it prints (default 1e5)"},
        {.name = "ordered", .kind = PK_OPT_FLAG, .target = &o.ordered,
         .help = "print inside an `ordered` region: workers 0, 1, 2, ... every time"},
    };
    int code = pk_pat_parse(argc, argv, summary, opts, sizeof opts / sizeof opts[0], &c, PK_PAT_UNTIMED,
                            pk_omp_check_env, 0);
    if (code >= 0) return code;

    int workers = omp_get_max_threads();
    pk_order_log log;
    char *mem_text = NULL;
    size_t mem_len = 0;
    FILE *mem = open_memstream(&mem_text, &mem_len);
    double *t_mode = calloc(o.runs, sizeof *t_mode), *t_other = calloc(o.runs, sizeof *t_other);
    if (!mem || !t_mode || !t_other || pk_order_init(&log, (uint32_t)workers, (uint32_t)o.runs) != 0) {
        pk_error(prog, "out of memory for %llu runs of %d workers", (unsigned long long)o.runs, workers);
        return PK_EXIT_FAIL;
    }
    int work_ok = 1;
    if (!c.json) printf("# run 1, as the workers print:\n");
    for (uint64_t r = 0; r < o.runs; r++) {
        run_ctx rc = {.out = r == 0 && !c.json ? stdout : mem, .slots = pk_order_run(&log, (uint32_t)r),
                      .steps = o.steps, .run = (int)r, .work_ok = 1};
        t_mode[r] = one_run(&rc, workers, o.ordered);
        work_ok = work_ok && rc.work_ok && rc.next == (uint32_t)workers;
        if (o.ordered) { /* the same run without the ordered region: what the order costs */
            run_ctx plain = {.out = mem, .steps = o.steps, .run = (int)r, .work_ok = 1};
            t_other[r] = one_run(&plain, workers, 0);
            work_ok = work_ok && plain.work_ok;
        }
        rewind(mem); /* keep memory flat over many runs */
    }
    fclose(mem);
    free(mem_text);

    char why[300];
    int pass = pk_order_verdict(&log, o.ordered, work_ok, why, sizeof why);
    pk_report rep;
    pk_pat_report_init(&rep, prog, summary, "omp");
    pk_omp_report_runtime(&rep);
    pk_omp_describe(&rep);
    pk_report_str(&rep, "schedule", "static,1 (fixed by the program: worker i is thread i)");
    pk_report_str(&rep, "mode", "%s", o.ordered ? "ordered (print in an omp ordered region)" : "unordered (print when done)");
    pk_report_num(&rep, "steps_per_worker", "%llu", (unsigned long long)o.steps);
    pk_table t;
    pk_table_init(&t, pk_order_cols, pk_order_ncols);
    pk_order_report(&log, 5, &rep, &t);
    pk_report_str(&rep, "work_check", "%s", work_ok ? "every result = LCG jump-ahead" : "a result was wrong");
    pk_pat_report_verdict(&rep, pass, why);
    double med = pk_stats_of(t_mode, o.runs).median;
    pk_report_num(&rep, "time_median_s", "%.9f", med);
    if (o.ordered) {
        double plain = pk_stats_of(t_other, o.runs).median;
        pk_report_num(&rep, "time_unordered_median_s", "%.9f", plain);
        pk_report_num(&rep, "ordered_cost_us", "%.3f", (med - plain) * 1e6);
        if (plain > 0) pk_report_num(&rep, "ordered_time_ratio", "%.3f", med / plain);
    }
    pk_pat_print(&rep, &t, c.json, stdout);
    pk_table_free(&t);
    pk_order_free(&log);
    free(t_mode);
    free(t_other);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
