/* create_cost: what it costs to create a worker -- the tutorials' "threads are lightweight and quick
 * to create" measured, in one table, per creation (median of --repeat, each creation timed alone):
 *   a POSIX thread started and joined; an OpenMP parallel region, the first of a process (the
 *   runtime creates its threads) and a later one (it reuses them); a process forked and reaped; a
 *   program started with posix_spawn and reaped (/bin/true and the kit's empty create_cost_nop);
 *   an MPI launch (mpiexec -n 1 and -n 2 of create_cost_mpi, which only initialises and finalises
 *   MPI); and MPI_Comm_spawn of one process, where the MPI library supports it.
 *   OMP_NUM_THREADS=2 ./create_cost
 *   ./create_cost --repeat 1000 --launch-repeat 9 --json
 * The MPI rows launch through the launcher CMake found (MPIEXEC_EXECUTABLE and its flags, as the
 * tests do; --mpiexec overrides) and time the whole launch, as a user waits for it. Without MPI
 * they say "not built with MPI"; a refused or hanging MPI_Comm_spawn is "not supported" (bounded
 * by --timeout), never a hang. Exit: 0 every creation succeeded, 1 one failed, 2 usage. */
#define _GNU_SOURCE
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parkit/create_cost.h"
#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"
#include "parkit/stats.h"

#define MAX_ROWS 10
#define MAX_WORDS 24
#define STATUS_LEN 400

typedef struct cc_config {
    uint64_t launch_repeat; /* MPI launches and spawns take ~0.1-1 s each: fewer of them */
    uint64_t timeout_s;     /* per launch, and for the whole MPI_Comm_spawn helper run */
    const char *mpiexec;    /* the launcher command (words split at blanks) */
} cc_config;

typedef struct cc_row {
    const char *key, *what;
    uint64_t repeats;
    pk_stats s;               /* seconds per creation */
    char status[STATUS_LEN];  /* "ok", or why there is no number */
    int failed;               /* a creation failed: the run's verdict is FAIL */
} cc_row;

typedef double (*cc_probe)(void *ctx, char *err, size_t errlen);

/* Times `repeat` creations after `warmup` untimed ones; the first failure ends the row. */
static void measure(cc_row *row, cc_probe one, void *ctx, uint64_t repeat, uint64_t warmup)
{
    double *t = calloc(repeat, sizeof *t);
    char err[STATUS_LEN - 16] = "";
    row->repeats = repeat;
    for (uint64_t i = 0; t && i < warmup + repeat; i++) {
        double dt = one(ctx, err, sizeof err);
        if (dt < 0) {
            snprintf(row->status, sizeof row->status, "failed: %s", err);
            row->failed = 1;
            free(t);
            return;
        }
        if (i >= warmup) t[i - warmup] = dt;
    }
    if (!t) {
        snprintf(row->status, sizeof row->status, "failed: out of memory");
        row->failed = 1;
        return;
    }
    row->s = pk_stats_of(t, repeat);
    snprintf(row->status, sizeof row->status, "ok");
    free(t);
}

/* ---- the probes ------------------------------------------------------------------------------ */
static double probe_thread(void *ctx, char *err, size_t errlen) { (void)ctx; return pk_cc_thread(err, errlen); }
static double probe_fork(void *ctx, char *err, size_t errlen) { (void)ctx; return pk_cc_fork(err, errlen); }
typedef struct spawn_job {
    char *const *argv;
    double timeout_s; /* a program that has not exited by then is killed: the row fails, nothing hangs */
} spawn_job;

static double probe_spawn(void *ctx, char *err, size_t errlen)
{
    const spawn_job *job = ctx;
    return pk_cc_spawn(job->argv, job->timeout_s, err, errlen);
}

/* The first parallel region of a process: only a fresh process has one, so each creation forks a
 * child that opens its first region and reports the time through a pipe. Safe only while this
 * process has not run a region itself (a forked child would inherit a pool whose threads it lacks):
 * this row is measured before any other. */
static double probe_first_region(void *ctx, char *err, size_t errlen)
{
    int want = *(const int *)ctx, fd[2];
    if (pipe(fd) != 0) {
        snprintf(err, errlen, "pipe failed");
        return -1.0;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int team = 0;
        double t0 = omp_get_wtime();
#pragma omp parallel
        {
            if (omp_get_thread_num() == 0) team = omp_get_num_threads();
        }
        double got[2] = {omp_get_wtime() - t0, (double)team};
        _exit(write(fd[1], got, sizeof got) == (ssize_t)sizeof got ? 0 : 1);
    }
    close(fd[1]);
    double got[2] = {-1.0, 0.0};
    ssize_t n = pid > 0 ? read(fd[0], got, sizeof got) : -1;
    close(fd[0]);
    int status = 1;
    if (pid > 0) waitpid(pid, &status, 0);
    if (n != (ssize_t)sizeof got || status != 0) {
        snprintf(err, errlen, "the child running its first region did not report");
        return -1.0;
    }
    if ((int)got[1] != want) {
        snprintf(err, errlen, "first region had %d threads, expected %d", (int)got[1], want);
        return -1.0;
    }
    return got[0];
}

static double probe_later_region(void *ctx, char *err, size_t errlen)
{
    int want = *(const int *)ctx, team = 0;
    double t0 = omp_get_wtime();
#pragma omp parallel
    {
        if (omp_get_thread_num() == 0) team = omp_get_num_threads();
    }
    double dt = omp_get_wtime() - t0;
    if (team != want) {
        snprintf(err, errlen, "region had %d threads, expected %d", team, want);
        return -1.0;
    }
    return dt;
}

/* ---- MPI rows: launches through the configured mpiexec ------------------------------------------ */
#ifdef PK_CC_MPIEXEC
#ifndef PK_CC_MPIEXEC_PRE
#define PK_CC_MPIEXEC_PRE ""
#endif
typedef struct launch {
    char buf[1024];
    char *argv[MAX_WORDS];
} launch;

/* mpiexec <np flag> <np> <preflags> <program> [args], FindMPI's order (tests/mpi_tests.cmake). */
static int launch_argv(launch *l, const cc_config *cfg, const char *np, const char *program, const char *a1,
                       const char *a2)
{
    char line[1024];
    snprintf(line, sizeof line, "%s %s %s %s %s %s %s", cfg->mpiexec, PK_CC_MPIEXEC_NP, np, PK_CC_MPIEXEC_PRE,
             program, a1 ? a1 : "", a2 ? a2 : "");
    return pk_cc_split(line, l->buf, sizeof l->buf, l->argv, MAX_WORDS);
}

/* The launcher's first line of explanation in out (Open MPI frames its messages in dashes), if any. */
static void first_message(const char *out, char *said, size_t len)
{
    said[0] = '\0';
    for (const char *p = out; *p; p += strcspn(p, "\n"), p += *p == '\n') {
        size_t n = strcspn(p, "\n");
        if (n > 0 && *p != '-' && strncmp(p, "unsupported: ", 13) != 0) {
            snprintf(said, len, "%.*s", (int)n, p);
            return;
        }
    }
}

static void mpi_rows(cc_row *launch1, cc_row *launch2, cc_row *spawn, const cc_config *cfg, const char *dir,
                     uint64_t warmup)
{
    char helper[4200];
    snprintf(helper, sizeof helper, "%s/create_cost_mpi", dir);
    if (access(helper, X_OK) != 0) {
        const char *why = "not measured: create_cost_mpi not found next to create_cost";
        snprintf(launch1->status, STATUS_LEN, "%s", why);
        snprintf(launch2->status, STATUS_LEN, "%s", why);
        snprintf(spawn->status, STATUS_LEN, "%s", why);
        return;
    }
    launch l1, l2, ls;
    launch_argv(&l1, cfg, "1", helper, NULL, NULL);
    launch_argv(&l2, cfg, "2", helper, NULL, NULL);
    spawn_job j1 = {.argv = l1.argv, .timeout_s = (double)cfg->timeout_s};
    spawn_job j2 = {.argv = l2.argv, .timeout_s = (double)cfg->timeout_s};
    measure(launch1, probe_spawn, &j1, cfg->launch_repeat, warmup);
    measure(launch2, probe_spawn, &j2, cfg->launch_repeat, warmup);

    char count[32], out[8192], err[STATUS_LEN - 40];
    snprintf(count, sizeof count, "%llu", (unsigned long long)cfg->launch_repeat);
    launch_argv(&ls, cfg, "1", helper, "--spawn", count);
    spawn->repeats = cfg->launch_repeat;
    int code = pk_cc_capture(ls.argv, (double)cfg->timeout_s, out, sizeof out, err, sizeof err);
    char *line = strstr(out, "spawn_s:"), *why = strstr(out, "unsupported: ");
    if (code == 0 && line) {
        double t[1000];
        size_t n = 0;
        char *p = line + strlen("spawn_s:"), *end;
        for (double v; n < cfg->launch_repeat && (v = strtod(p, &end), end != p); p = end) t[n++] = v;
        spawn->s = pk_stats_of(t, n);
        spawn->repeats = n;
        if (n > 0) snprintf(spawn->status, STATUS_LEN, "ok");
        else snprintf(spawn->status, STATUS_LEN, "not supported here: the spawning helper printed no times");
    } else if (why) {
        why[strcspn(why, "\n")] = '\0';
        char said[160];
        first_message(out, said, sizeof said);
        snprintf(spawn->status, STATUS_LEN, "not supported: %s%s%s", why + strlen("unsupported: "),
                 *said ? "; the launcher said: " : "", said);
    } else if (code < 0) {
        snprintf(spawn->status, STATUS_LEN, "not supported here: %s", err);
    } else {
        snprintf(spawn->status, STATUS_LEN, "not supported here: the spawning helper exited %d", code);
    }
}
#endif

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "what creating a worker costs: thread, OpenMP region (first, later), process (fork, "
                          "spawn), MPI launch and MPI_Comm_spawn, per creation, in one table";
#ifdef PK_CC_MPIEXEC
    const char *default_mpiexec = PK_CC_MPIEXEC;
#else
    const char *default_mpiexec = "(not built with MPI)";
#endif
    cc_config cfg = {.launch_repeat = 5, .timeout_s = 30, .mpiexec = default_mpiexec};
    pk_pat_common c = {.repeat = 200, .warmup = 3, .json = 0};
    const pk_opt opts[] = {
        {.name = "launch-repeat", .metavar = "L", .help = "MPI launches and spawns per row (default 5)",
         .kind = PK_OPT_SIZE, .target = &cfg.launch_repeat, .min = 1, .max = 1000},
        {.name = "timeout", .metavar = "S", .help = "seconds before a started program, or the whole MPI_Comm_spawn "
         "row, is given up (default 30)", .kind = PK_OPT_SIZE, .target = &cfg.timeout_s, .min = 1, .max = 3600},
        {.name = "mpiexec", .metavar = "CMD", .help = "MPI launcher (default: the one CMake found)",
         .kind = PK_OPT_STRING, .target = &cfg.mpiexec},
    };
    int code = pk_pat_parse(argc, argv, summary, opts, sizeof opts / sizeof opts[0], &c, 1, pk_omp_check_env, 0);
    if (code >= 0) return code;

    int threads = omp_get_max_threads();
    char dir[4096], nop[4200];
    pk_program_dir(NULL, dir, sizeof dir);
    snprintf(nop, sizeof nop, "%s/create_cost_nop", dir);
    char *true_argv[] = {"/bin/true", NULL}, *nop_argv[] = {nop, NULL};
    spawn_job run_true = {.argv = true_argv, .timeout_s = (double)cfg.timeout_s};
    spawn_job run_nop = {.argv = nop_argv, .timeout_s = (double)cfg.timeout_s};

    cc_row rows[MAX_ROWS] = {
        {.key = "omp_first_region", .what = "OpenMP region, first of a process"},
        {.key = "thread", .what = "pthread_create + pthread_join"},
        {.key = "omp_later_region", .what = "OpenMP region, later (pool kept)"},
        {.key = "fork", .what = "fork + waitpid"},
        {.key = "spawn_true", .what = "posix_spawn + waitpid /bin/true"},
        {.key = "spawn_nop", .what = "posix_spawn + waitpid create_cost_nop"},
        {.key = "mpiexec_np1", .what = "mpiexec -n 1 create_cost_mpi"},
        {.key = "mpiexec_np2", .what = "mpiexec -n 2 create_cost_mpi"},
        {.key = "comm_spawn", .what = "MPI_Comm_spawn 1 process"},
    };
    size_t nrows = 9;
    /* the first region before anything else opens one in this process (see probe_first_region) */
    measure(&rows[0], probe_first_region, &threads, c.repeat, c.warmup);
    measure(&rows[1], probe_thread, NULL, c.repeat, c.warmup);
    measure(&rows[3], probe_fork, NULL, c.repeat, c.warmup);
    if (access(true_argv[0], X_OK) == 0) measure(&rows[4], probe_spawn, &run_true, c.repeat, c.warmup);
    else snprintf(rows[4].status, STATUS_LEN, "not measured: /bin/true not found");
    if (access(nop, X_OK) == 0) measure(&rows[5], probe_spawn, &run_nop, c.repeat, c.warmup);
    else snprintf(rows[5].status, STATUS_LEN, "not measured: create_cost_nop not found next to create_cost");
    /* regions last among the local rows: afterwards the pool's threads may spin for a while */
    measure(&rows[2], probe_later_region, &threads, c.repeat, c.warmup);
#ifdef PK_CC_MPIEXEC
    mpi_rows(&rows[6], &rows[7], &rows[8], &cfg, dir, c.warmup > 0 ? 1 : 0);
#else
    for (size_t i = 6; i < 9; i++) snprintf(rows[i].status, STATUS_LEN, "not built with MPI");
#endif

    static const pk_col cols[] = {
        {"mechanism", "Mechanism", 38, 0}, {"key", "Key", 17, 0},       {"repeats", "Repeats", 8, 1},
        {"median_us", "Median(us)", 12, 1}, {"min_us", "Min(us)", 12, 1}, {"max_us", "Max(us)", 12, 1},
        {"x_thread", "xThread", 9, 1},      {"status", "Status", 13, 0},
    };
    pk_table t;
    pk_table_init(&t, cols, sizeof cols / sizeof cols[0]);
    double thread_s = rows[1].failed ? 0.0 : rows[1].s.median;
    int failed = 0, measured = 0;
    for (size_t i = 0; i < nrows; i++) {
        const cc_row *r = &rows[i];
        int ok = strcmp(r->status, "ok") == 0;
        size_t k = pk_table_row(&t);
        pk_table_set(&t, k, 0, "%s", r->what);
        pk_table_set(&t, k, 1, "%s", r->key);
        if (ok) { /* no number: empty cells (JSON null) */
            pk_table_set(&t, k, 2, "%llu", (unsigned long long)r->repeats);
            pk_table_set(&t, k, 3, "%.3f", r->s.median * 1e6);
            pk_table_set(&t, k, 4, "%.3f", r->s.min * 1e6);
            pk_table_set(&t, k, 5, "%.3f", r->s.max * 1e6);
            if (thread_s > 0) pk_table_set(&t, k, 6, "%.1f", r->s.median / thread_s);
        }
        /* the table says which kind; the report line <key>_why says why (table cells are short) */
        const char *kind = ok ? "ok" : r->failed ? "FAILED" : strncmp(r->status, "not built", 9) == 0 ? "no-MPI"
                           : strncmp(r->status, "not supported", 13) == 0 ? "unsupported" : "not-measured";
        pk_table_set(&t, k, 7, "%s", kind);
        failed += r->failed;
        measured += ok;
    }

    pk_report rep;
    pk_pat_report_init(&rep, prog, summary, "omp");
    pk_omp_report_runtime(&rep);
    pk_omp_describe(&rep);
    pk_report_str(&rep, "mpiexec", "%s", cfg.mpiexec);
    pk_report_num(&rep, "launch_repeat", "%llu", (unsigned long long)cfg.launch_repeat);
    pk_report_str(&rep, "timing", "each creation timed alone (start to joined or reaped), median of Repeats; "
                  "xThread = median / pthread median");
    for (size_t i = 0; i < nrows; i++) {
        if (strcmp(rows[i].status, "ok") == 0) continue;
        char key[64];
        snprintf(key, sizeof key, "%s_why", rows[i].key);
        pk_report_str(&rep, key, "%s", rows[i].status);
    }
    char why[256];
    if (failed)
        snprintf(why, sizeof why, "%d row(s) failed: a creation did not succeed (see Status)", failed);
    else
        snprintf(why, sizeof why, "%d of %zu rows measured; every thread joined, every team as large as asked "
                 "(%d), every process exited 0", measured, nrows, threads);
    pk_pat_report_verdict(&rep, !failed, why);
    pk_pat_report_runs(&rep, &c);
    pk_pat_print(&rep, &t, c.json, stdout);
    pk_table_free(&t);
    return failed ? PK_EXIT_FAIL : PK_EXIT_OK;
}
