/* counter_omp: many threads update one shared counter and one shared histogram -- the lesson
 * "threads share memory, so `counter += 1` needs a lock" -- done every way OpenMP offers, checked
 * exactly and timed per update.
 *   OMP_NUM_THREADS=2 ./counter_omp --mode all            (side-by-side table, '#' header lines)
 *   OMP_NUM_THREADS=2 ./counter_omp --mode race           (lost updates; exits 1, never PASS)
 *   OMP_NUM_THREADS=2 ./counter_omp --mode atomic --updates 1e7 --json
 * Update i adds 1 to the counter and 1 to bin i % 7 of the histogram, so the exact answer is known:
 * counter = N, bin b = N/7 (+1 for b < N%7).
 * Modes: race (unsynchronized read-modify-write), critical, atomic, lock (omp_lock_t), reduction
 * (private copies combined by OpenMP at the end), private (per-thread copies packed side by side in
 * one array: false sharing), padded (per-thread copies each on its own 64-byte line).
 * Exit: 0 when the run is verified (for --mode all: every synchronized mode exact; the race row is
 * shown, not judged); 1 for --mode race (its count is never verified, lost updates or not) or a
 * wrong synchronized count; 2 for bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter_modes.h"
#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/stats.h"

typedef struct options {
    const char *mode; /* a mode's name, or "all" */
    uint64_t updates;
} options;

static double ns_per_update(double seconds, uint64_t n) { return seconds / (double)n * 1e9; }

/* One mode: its counts and verdict as report fields. A racy count is never verified: a run that
 * happens to lose nothing proves nothing. Returns 1 for PASS. */
static int report_one(pk_report *r, const mode *m, const options *o, const pk_pat_common *c, const outcome *out,
                      int threads)
{
    unsigned long long n = o->updates;
    char detail[256];
    int pass = !m->racy && out->exact;
    pk_report_str(r, "method", "%s", m->how);
    pk_report_num(r, "counter_expected", "%llu", n);
    pk_report_num(r, "counter_got", "%llu", (unsigned long long)out->got);
    pk_report_num(r, "updates_lost", "%llu", (unsigned long long)out->lost);
    pk_report_num(r, "histogram_updates_lost", "%llu", (unsigned long long)out->hist_lost);
    pk_report_num(r, "updates_lost_worst_run", "%llu", (unsigned long long)out->lost_max);
    if (m->racy && (out->lost_max > 0 || out->hist_lost > 0))
        snprintf(detail, sizeof detail, "race: lost %llu of %llu updates (expected %llu, got %llu); unsynchronized "
                 "read-modify-write, never verified", (unsigned long long)out->lost, n, n, (unsigned long long)out->got);
    else if (m->racy)
        snprintf(detail, sizeof detail, "race: no update lost this time (%d thread%s), but the count is unsynchronized "
                 "and never verified", threads, threads == 1 ? "" : "s");
    else
        snprintf(detail, sizeof detail, pass ? "counter = %llu and all %d bins exact in every run"
                                             : "counter or bins wrong: expected %llu updates, %d bins", n, BINS);
    pk_pat_report_verdict(r, pass, detail);
    pk_pat_report_times(r, c, out->times, c->repeat);
    pk_report_num(r, "ns_per_update_median", "%.3f", ns_per_update(pk_stats_of(out->times, c->repeat).median, n));
    return pass;
}

/* Every mode side by side in a table; the race row shown, not judged. Returns 1 for PASS. */
static int report_all(pk_report *r, pk_table *t, const options *o, const pk_pat_common *c, outcome *out)
{
    enum { COL_MODE, COL_TIME, COL_NS, COL_NS_MIN, COL_NS_MAX, COL_LOST, COL_CHECK };
    static const pk_col cols[] = {
        [COL_MODE] = {.key = "mode", .header = "Mode", .width = 11},
        [COL_TIME] = {.key = "time_median_s", .header = "Time(s)", .width = 12, .numeric = 1},
        [COL_NS] = {.key = "ns_per_update", .header = "ns/update", .width = 11, .numeric = 1},
        [COL_NS_MIN] = {.key = "ns_per_update_min", .header = "min", .width = 9, .numeric = 1},
        [COL_NS_MAX] = {.key = "ns_per_update_max", .header = "max", .width = 9, .numeric = 1},
        [COL_LOST] = {.key = "updates_lost", .header = "Lost", .width = 10, .numeric = 1},
        [COL_CHECK] = {.key = "check", .header = "Check", .width = 7},
    };
    pk_table_init(t, cols, sizeof cols / sizeof cols[0]);
    uint64_t n = o->updates, race_lost = 0;
    int pass = 1;
    for (size_t i = 0; i < counter_nmodes; i++) {
        const mode *m = &counter_modes[i];
        counter_measure(m, n, c, out);
        if (m->racy) race_lost = out->lost;
        else if (!out->exact) pass = 0;
        pk_stats st = pk_stats_of(out->times, c->repeat);
        size_t row = pk_table_row(t);
        pk_table_set(t, row, COL_MODE, "%s", m->name);
        pk_table_set(t, row, COL_TIME, "%.6f", st.median);
        pk_table_set(t, row, COL_NS, "%.3f", ns_per_update(st.median, n));
        pk_table_set(t, row, COL_NS_MIN, "%.3f", ns_per_update(st.min, n));
        pk_table_set(t, row, COL_NS_MAX, "%.3f", ns_per_update(st.max, n));
        pk_table_set(t, row, COL_LOST, "%llu", (unsigned long long)out->lost);
        pk_table_set(t, row, COL_CHECK, "%s", m->racy ? "RACE" : out->exact ? "PASS" : "FAIL");
    }
    pk_report_num(r, "race_updates_lost", "%llu", (unsigned long long)race_lost);
    char detail[256];
    snprintf(detail, sizeof detail, pass ? "every synchronized mode exact in every run; race shown, not verified (lost "
                                           "%llu of %llu)"
                                         : "a synchronized mode gave a wrong count (see Check); race lost %llu of %llu",
             (unsigned long long)race_lost, (unsigned long long)n);
    pk_pat_report_verdict(r, pass, detail);
    pk_pat_report_runs(r, c);
    return pass;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "threads updating one shared counter and histogram: race, critical, atomic, lock, "
                          "reduction, private (false sharing), padded";
    options o = {.mode = "all", .updates = 1000000};
    pk_pat_common c = {.repeat = 5, .warmup = 1};
    const pk_opt opts[] = {
        {.name = "mode", .metavar = "MODE", .kind = PK_OPT_CHOICE, .target = &o.mode,
         .choices = "race|critical|atomic|lock|reduction|private|padded|all",
         .help = "race|critical|atomic|lock|reduction|private|padded|all (default all: the table)"},
        {.name = "updates", .metavar = "N", .kind = PK_OPT_SIZE, .target = &o.updates, .min = 1,
         .max = 10000000000000ULL, .help = "total updates, shared by all threads (default 1e6)"},
    };
    int code = pk_pat_parse(argc, argv, summary, opts, sizeof opts / sizeof opts[0], &c, PK_PAT_TIMED,
                            pk_omp_check_env, 0);
    if (code >= 0) return code;
    const mode *one = strcmp(o.mode, "all") == 0 ? NULL : counter_mode(o.mode); /* the parser checked the name */

    pk_report r;
    pk_pat_report_init(&r, prog, summary, "omp");
    pk_omp_report_runtime(&r);
    pk_report_str(&r, "mode", "%s", o.mode);
    pk_report_num(&r, "updates", "%llu", (unsigned long long)o.updates);
    pk_report_num(&r, "bins", "%d", BINS);
    pk_report_num(&r, "ranks", "1");
    pk_omp_describe(&r);
    pk_report_str(&r, "schedule", "static (fixed by the program)");
    const pk_field *tf = pk_report_get(&r, "threads");
    int threads = tf ? atoi(tf->text) : 1;
    pk_report_num(&r, "workers", "%d", threads);

    outcome out = {.times = calloc(c.repeat, sizeof(double))};
    if (!out.times) {
        pk_error(prog, "out of memory for %llu timings", (unsigned long long)c.repeat);
        return PK_EXIT_FAIL;
    }
    counter_modes_init();
    int pass;
    if (one) {
        counter_measure(one, o.updates, &c, &out);
        pass = report_one(&r, one, &o, &c, &out, threads);
        pk_pat_print(&r, NULL, c.json, stdout);
    } else {
        pk_table t;
        pass = report_all(&r, &t, &o, &c, &out);
        pk_pat_print(&r, &t, c.json, stdout);
        pk_table_free(&t);
    }
    counter_modes_free();
    free(out.times);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
