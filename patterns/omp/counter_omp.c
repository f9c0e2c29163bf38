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
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"
#include "parkit/pattern_work.h"
#include "parkit/stats.h"

#define BINS PK_COUNTER_BINS

/* A count and its histogram: exactly one 64-byte cache line when aligned. */
typedef struct tally {
    _Alignas(64) uint64_t count;
    uint64_t hist[BINS];
} tally;

/* One update of a slot only its owner thread writes, forced to memory each time: a real program
 * updating a per-thread slot through a pointer does the same, and that is where false sharing bites
 * (plain code might keep the slot in a register and hide the effect). */
static inline void bump_own(uint64_t *slot)
{
    __atomic_store_n(slot, __atomic_load_n(slot, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* The racy update: load, add, store, with nothing tying the three together -- Python's
 * `counter += 1` without the lock. Each access is a relaxed atomic, so every load and store really
 * goes to memory (a plain `int` would be undefined behaviour, and the optimizer could keep it in a
 * register and add N once at the end); the read-modify-write as a whole is not atomic, so two
 * threads that load the same value both store value+1 and one update is lost. */
static inline void bump_racy(uint64_t *slot)
{
    uint64_t seen = __atomic_load_n(slot, __ATOMIC_RELAXED);
    __atomic_store_n(slot, seen + 1, __ATOMIC_RELAXED);
}

static void run_race(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        bump_racy(&out->count);
        bump_racy(&out->hist[i % BINS]);
    }
}

static void run_critical(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
#pragma omp critical(pk_counter)
        {
            out->count++;
            out->hist[b]++;
        }
    }
}

static void run_atomic(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
#pragma omp atomic
        out->count++;
#pragma omp atomic
        out->hist[b]++;
    }
}

static omp_lock_t counter_lock;

static void run_lock(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
        omp_set_lock(&counter_lock);
        out->count++;
        out->hist[b]++;
        omp_unset_lock(&counter_lock);
    }
}

static void run_reduction(uint64_t n, tally *out)
{
    uint64_t count = 0, hist[BINS] = {0};
    /* each thread gets private copies (in registers if the compiler likes); OpenMP adds them up once */
#pragma omp parallel for schedule(static) reduction(+ : count, hist[:BINS])
    for (uint64_t i = 0; i < n; i++) {
        count++;
        hist[i % BINS]++;
    }
    out->count = count;
    memcpy(out->hist, hist, sizeof hist);
}

/* Per-thread copies, merged after the loop. packed = 0: padded tallies, one cache line per thread.
 * packed = 1: count[t] side by side and hist[b][t] side by side -- every line is written by every
 * thread, so the line ping-pongs between cores although no value is shared (false sharing). */
static void run_private(uint64_t n, tally *out, int packed)
{
    int threads = omp_get_max_threads();
    size_t words = (size_t)threads * (1 + BINS);
    uint64_t *mem = aligned_alloc(64, (words * sizeof(uint64_t) + 63) / 64 * 64);
    tally *padded = aligned_alloc(64, (size_t)threads * sizeof(tally));
    if (!mem || !padded) {
        pk_error("counter_omp", "out of memory for %d per-thread tallies", threads);
        exit(PK_EXIT_FAIL);
    }
    memset(mem, 0, words * sizeof(uint64_t));
    memset(padded, 0, (size_t)threads * sizeof(tally));
    uint64_t *count = mem, *hist = mem + threads; /* hist[b * threads + t] */
    int used = threads;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
#pragma omp single
        used = omp_get_num_threads();
#pragma omp for schedule(static)
        for (uint64_t i = 0; i < n; i++) {
            if (packed) {
                bump_own(&count[t]);
                bump_own(&hist[(i % BINS) * (uint64_t)threads + (uint64_t)t]);
            } else {
                bump_own(&padded[t].count);
                bump_own(&padded[t].hist[i % BINS]);
            }
        }
    }
    memset(out, 0, sizeof *out);
    for (int t = 0; t < used; t++) {
        out->count += packed ? count[t] : padded[t].count;
        for (int b = 0; b < BINS; b++) out->hist[b] += packed ? hist[b * threads + t] : padded[t].hist[b];
    }
    free(mem);
    free(padded);
}

static void run_packed(uint64_t n, tally *out) { run_private(n, out, 1); }
static void run_padded(uint64_t n, tally *out) { run_private(n, out, 0); }

typedef struct mode {
    const char *name;
    void (*run)(uint64_t n, tally *out);
    const char *how;
} mode;

static const mode modes[] = {
    {"race", run_race, "unsynchronized load/add/store on the shared tally (lost updates)"},
    {"critical", run_critical, "#pragma omp critical around both updates"},
    {"atomic", run_atomic, "#pragma omp atomic on each of the two updates"},
    {"lock", run_lock, "omp_set_lock/omp_unset_lock around both updates"},
    {"reduction", run_reduction, "reduction(+: count, hist[:7]): private copies combined once"},
    {"private", run_packed, "per-thread copies packed in one array, merged after (false sharing)"},
    {"padded", run_padded, "per-thread copies each on its own 64-byte line, merged after"},
};
#define NMODES (sizeof modes / sizeof modes[0])

/* What the timed runs of one mode gave. */
typedef struct outcome {
    double *times;
    uint64_t got, lost, hist_lost; /* of the last run */
    uint64_t lost_max;             /* counter updates lost, worst run */
    int exact;                     /* every run exact */
} outcome;

static void measure(const mode *m, uint64_t n, const pk_pat_common *c, outcome *o)
{
    static tally shared;
    o->exact = 1;
    o->lost_max = 0;
    for (uint64_t r = 0; r < c->warmup + c->repeat; r++) {
        memset(&shared, 0, sizeof shared);
        double t0 = omp_get_wtime();
        m->run(n, &shared);
        double dt = omp_get_wtime() - t0;
        if (r < c->warmup) continue;
        o->times[r - c->warmup] = dt;
        o->got = shared.count;
        if (!pk_counter_check(n, shared.count, shared.hist, &o->lost, &o->hist_lost)) o->exact = 0;
        if (o->lost > o->lost_max) o->lost_max = o->lost;
    }
}

static double ns_per_update(double seconds, uint64_t n) { return seconds / (double)n * 1e9; }

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "threads updating one shared counter and histogram: race, critical, atomic, lock, "
                          "reduction, private (false sharing), padded";
    const char *mode_name = "all";
    uint64_t n = 1000000;
    pk_pat_common c = {5, 1, 0};
    pk_opt opts[] = {
        {"mode", "MODE", "race|critical|atomic|lock|reduction|private|padded|all (default all: the table)",
         PK_OPT_CHOICE, &mode_name, 0, 0, "race|critical|atomic|lock|reduction|private|padded|all", NULL, NULL,
         NULL},
        {"updates", "N", "total updates, shared by all threads (default 1e6)", PK_OPT_SIZE, &n, 1,
         10000000000000ULL, NULL, NULL, NULL, NULL},
    };
    int code = pk_pat_parse(argc, argv, summary, opts, sizeof opts / sizeof opts[0], &c, 1, pk_omp_check_env, 0);
    if (code >= 0) return code;

    omp_init_lock(&counter_lock);
    int all = strcmp(mode_name, "all") == 0;
    pk_report r;
    pk_pat_report_init(&r, prog, summary, "omp");
    pk_omp_report_runtime(&r);
    pk_report_str(&r, "mode", "%s", mode_name);
    pk_report_num(&r, "updates", "%llu", (unsigned long long)n);
    pk_report_num(&r, "bins", "%d", BINS);
    pk_report_num(&r, "ranks", "1");
    pk_omp_describe(&r);
    pk_report_str(&r, "schedule", "static (fixed by the program)");
    const pk_field *tf = pk_report_get(&r, "threads");
    int threads = tf ? atoi(tf->text) : 1;
    pk_report_num(&r, "workers", "%d", threads);

    double *times = calloc(c.repeat, sizeof *times);
    if (!times) {
        pk_error(prog, "out of memory for %llu timings", (unsigned long long)c.repeat);
        return PK_EXIT_FAIL;
    }
    outcome o = {times, 0, 0, 0, 0, 1};
    int pass = 1;
    char detail[256] = "";

    if (!all) {
        const mode *m = NULL;
        for (size_t i = 0; i < NMODES; i++)
            if (strcmp(modes[i].name, mode_name) == 0) m = &modes[i];
        if (!m) return pk_pat_usage(0, prog, "--mode '%s': unknown", mode_name); /* the parser checked it */
        measure(m, n, &c, &o);
        pk_report_str(&r, "method", "%s", m->how);
        pk_report_num(&r, "counter_expected", "%llu", (unsigned long long)n);
        pk_report_num(&r, "counter_got", "%llu", (unsigned long long)o.got);
        pk_report_num(&r, "updates_lost", "%llu", (unsigned long long)o.lost);
        pk_report_num(&r, "histogram_updates_lost", "%llu", (unsigned long long)o.hist_lost);
        pk_report_num(&r, "updates_lost_worst_run", "%llu", (unsigned long long)o.lost_max);
        if (strcmp(m->name, "race") == 0) {
            /* a racy count is never verified: a run that happens to lose nothing proves nothing */
            pass = 0;
            if (o.lost_max > 0 || o.hist_lost > 0)
                snprintf(detail, sizeof detail, "race: lost %llu of %llu updates (expected %llu, got %llu); "
                         "unsynchronized read-modify-write, never verified", (unsigned long long)o.lost,
                         (unsigned long long)n, (unsigned long long)n, (unsigned long long)o.got);
            else
                snprintf(detail, sizeof detail, "race: no update lost this time (%d thread%s), but the count is "
                         "unsynchronized and never verified", threads, threads == 1 ? "" : "s");
        } else {
            pass = o.exact;
            snprintf(detail, sizeof detail, pass ? "counter = %llu and all %d bins exact in every run"
                                                 : "counter or bins wrong: expected %llu updates, %d bins",
                     (unsigned long long)n, BINS);
        }
        pk_pat_report_verdict(&r, pass, detail);
        pk_pat_report_times(&r, &c, times, c.repeat);
        pk_report_num(&r, "ns_per_update_median", "%.3f", ns_per_update(pk_stats_of(times, c.repeat).median, n));
        pk_pat_print(&r, NULL, c.json, stdout);
    } else {
        static const pk_col cols[] = {
            {"mode", "Mode", 11, 0},           {"time_median_s", "Time(s)", 12, 1},
            {"ns_per_update", "ns/update", 11, 1}, {"ns_per_update_min", "min", 9, 1},
            {"ns_per_update_max", "max", 9, 1}, {"updates_lost", "Lost", 10, 1},
            {"check", "Check", 7, 0},
        };
        pk_table t;
        pk_table_init(&t, cols, sizeof cols / sizeof cols[0]);
        uint64_t race_lost = 0;
        for (size_t i = 0; i < NMODES; i++) {
            measure(&modes[i], n, &c, &o);
            int racy = strcmp(modes[i].name, "race") == 0;
            if (racy) race_lost = o.lost;
            else if (!o.exact) pass = 0;
            pk_stats st = pk_stats_of(times, c.repeat);
            size_t row = pk_table_row(&t);
            pk_table_set(&t, row, 0, "%s", modes[i].name);
            pk_table_set(&t, row, 1, "%.6f", st.median);
            pk_table_set(&t, row, 2, "%.3f", ns_per_update(st.median, n));
            pk_table_set(&t, row, 3, "%.3f", ns_per_update(st.min, n));
            pk_table_set(&t, row, 4, "%.3f", ns_per_update(st.max, n));
            pk_table_set(&t, row, 5, "%llu", (unsigned long long)o.lost);
            pk_table_set(&t, row, 6, "%s", racy ? "RACE" : o.exact ? "PASS" : "FAIL");
        }
        pk_report_num(&r, "race_updates_lost", "%llu", (unsigned long long)race_lost);
        snprintf(detail, sizeof detail, pass ? "every synchronized mode exact in every run; race shown, not "
                                               "verified (lost %llu of %llu)"
                                             : "a synchronized mode gave a wrong count (see Check); race lost %llu "
                                               "of %llu",
                 (unsigned long long)race_lost, (unsigned long long)n);
        pk_pat_report_verdict(&r, pass, detail);
        pk_pat_report_runs(&r, &c);
        pk_pat_print(&r, &t, c.json, stdout);
        pk_table_free(&t);
    }
    free(times);
    omp_destroy_lock(&counter_lock);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
