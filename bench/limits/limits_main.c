/* parkit_limits: the machine's own limits, the yardstick every parkit rate is reported against.
 *
 *   ./parkit_limits                       # everything; writes ~/.cache/parkit/limits-HOST.json
 *   ./parkit_limits --only read,triad     # just the memory bandwidth
 *   ./parkit_limits --quick --out /tmp/l.json   # seconds-long smoke run (numbers not meaningful)
 *
 * Measures streaming int64 read and STREAM-style triad bandwidth (1 thread and all threads, arrays
 * far beyond the last-level cache), vector int64-add, FMA and division throughput and the
 * Mandelbrot step's throughput (per core and all cores),
 * OpenMP parallel-region/barrier/reduction overhead (EPCC-style), and MPI small-message and
 * reduction latency plus launch cost (through parkit_mpi_latency under mpirun). The JSON file is
 * one flat object; bench/ scripts and bench/README.md name its keys. The machine may be shared:
 * loadavg_1m records how busy it was when the run started. */
#define _GNU_SOURCE /* readlink */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "limits.h"
#include "parkit/cli.h"
#include "parkit/error.h"
#include "parkit/limits.h"
#include "parkit/omp_runner.h"
#include "parkit/output_path.h"
#include "parkit/version.h"

/* "compute" means every compute probe; div and mandel alone serve the pi and mandel comparisons */
enum {
    ONLY_READ = 1,
    ONLY_TRIAD = 2,
    ONLY_COMPUTE = 4,
    ONLY_OMP = 8,
    ONLY_MPI = 16,
    ONLY_DIV = 32,
    ONLY_MANDEL = 64,
    ONLY_ALL = 127
};

static int set_only(void *ctx, const char *value, char *err, size_t errlen)
{
    static const struct {
        const char *word;
        int bit;
    } words[] = {{"read", ONLY_READ}, {"triad", ONLY_TRIAD}, {"compute", ONLY_COMPUTE | ONLY_DIV | ONLY_MANDEL},
                 {"div", ONLY_DIV},   {"mandel", ONLY_MANDEL}, {"omp", ONLY_OMP},
                 {"mpi", ONLY_MPI},   {"all", ONLY_ALL}};
    int *mask = ctx, m = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", value);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int bit = 0;
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (strcmp(tok, words[i].word) == 0) bit = words[i].bit;
        if (!bit) {
            snprintf(err, errlen,
                     "unknown probe '%s': expected a comma list of read, triad, compute, div, mandel, omp, mpi, all",
                     tok);
            return -1;
        }
        m |= bit;
    }
    if (!m) {
        snprintf(err, errlen, "empty list");
        return -1;
    }
    *mask = m;
    return 0;
}

static double loadavg(void)
{
    double v = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &v) != 1) v = -1;
        fclose(f);
    }
    return v;
}

/* The directory of the default limits file, made private (0700) when it is missing: one level only
 * (the cache directory itself, ~/.cache, is the user's); a failure shows in the check that follows. */
static void make_cache_dir(const char *path)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return;
    *slash = '\0';
    char *parent = strrchr(dir, '/');
    if (parent && parent != dir) {
        *parent = '\0';
        mkdir(dir, 0700); /* ~/.cache, when even that is missing */
        *parent = '/';
    }
    mkdir(dir, 0700);
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    char dir[4096], default_out[4200];
    pk_program_dir(argv[0], dir, sizeof dir); /* where parkit_mpi_latency lives */
    pk_limits_path(default_out, sizeof default_out); /* where every report looks for it */

#ifndef PK_LIMITS_MPIRUN
#define PK_LIMITS_MPIRUN "mpirun" /* built without MPI: the probe then reports parkit_mpi_latency missing */
#endif
    const char *env_mpirun = getenv("PARKIT_MPIRUN");
    limits_opts o = {prog, (uint64_t)1 << 30, 10, omp_get_num_procs(), 0.2, 20, "auto",
                     env_mpirun && *env_mpirun ? env_mpirun : PK_LIMITS_MPIRUN, 3, 1, 0};
    uint64_t threads = (uint64_t)o.threads, compute_ms = 200;
    const char *out = default_out;
    int json = 0, quick = 0, quiet = 0, only = ONLY_ALL;
    int g_mem = 0, g_rep = 0, g_ms = 0, g_oreps = 0, g_launch = 0;
    const pk_opt table[] = {
        {"out", "PATH", "JSON file to write (default: $PARKIT_LIMITS, else $XDG_CACHE_HOME/parkit/limits-HOST.json, "
         "where the reports look)", PK_OPT_STRING, &out, 0, 0, NULL, NULL, NULL, NULL},
        {"only", "LIST", "probes to run: read,triad,compute,div,mandel,omp,mpi (default all; compute includes div, mandel)",
         PK_OPT_CALLBACK, NULL, 0, 0,
         NULL, set_only, &only, NULL},
        {"threads", "T", "the all-cores thread count (default: the CPUs available)", PK_OPT_SIZE, &threads, 1,
         4096, NULL, NULL, NULL, NULL},
        {"mem-bytes", "SIZE", "bytes of the read array; triad uses 3 arrays of a third (default 1Gi)",
         PK_OPT_SIZE, &o.mem_bytes, 4096, (uint64_t)1 << 40, NULL, NULL, NULL, &g_mem},
        {"repeat", "K", "timed runs per measurement, after a warm-up (default 10)", PK_OPT_SIZE, &o.repeat, 1,
         10000, NULL, NULL, NULL, &g_rep},
        {"compute-ms", "MS", "duration of one compute run (default 200)", PK_OPT_SIZE, &compute_ms, 1, 100000,
         NULL, NULL, NULL, &g_ms},
        {"overhead-reps", "R", "EPCC outer repetitions (default 20)", PK_OPT_SIZE, &o.overhead_reps, 1, 10000,
         NULL, NULL, NULL, &g_oreps},
        {"mpi", "auto|yes|no", "MPI probe: auto skips it when MPI is unavailable (default auto)", PK_OPT_CHOICE,
         &o.mpi, 0, 0, "auto|yes|no", NULL, NULL, NULL},
        {"mpirun", "CMD", "MPI launcher command (default $PARKIT_MPIRUN, else the build's: " PK_LIMITS_MPIRUN ")", PK_OPT_STRING, &o.mpirun, 0,
         0, NULL, NULL, NULL, NULL},
        {"launch-repeat", "K", "launches timed per rank count (default 3)", PK_OPT_SIZE, &o.launch_repeat, 1, 100,
         NULL, NULL, NULL, &g_launch},
        {"quick", NULL, "smoke run: small arrays, short runs (for tests; numbers not meaningful)", PK_OPT_FLAG,
         &quick, 0, 0, NULL, NULL, NULL, NULL},
        {"json", NULL, "print the report as one JSON object (the file is always JSON)", PK_OPT_FLAG, &json, 0, 0,
         NULL, NULL, NULL, NULL},
        {"quiet", NULL, "no progress lines on stderr", PK_OPT_FLAG, &quiet, 0, 0, NULL, NULL, NULL, NULL},
    };
    const size_t ntable = sizeof table / sizeof *table;
    char err[512] = "";
    switch (pk_cli_parse(argc, argv, table, ntable, err, sizeof err)) {
    case PK_CLI_HELP:
        pk_cli_help(prog, "the machine's limits (bandwidth, compute, OpenMP and MPI overheads) into a JSON file",
                    table, ntable);
        return PK_EXIT_OK;
    case PK_CLI_VERSION:
        printf("%s (parkit) %s\n", prog, PARKIT_VERSION);
        return PK_EXIT_OK;
    case PK_CLI_ERROR:
        pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    case PK_CLI_OK:
        break;
    }
    /* its OpenMP probes run under OMP_*: a bad value would measure a default instead */
    if (pk_omp_check_env(err, sizeof err) != 0) {
        pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    }
    if (quick) { /* explicit options still win */
        if (!g_mem) o.mem_bytes = (uint64_t)8 << 20;
        if (!g_rep) o.repeat = 2;
        if (!g_ms) compute_ms = 5;
        if (!g_oreps) o.overhead_reps = 3;
        if (!g_launch) o.launch_repeat = 1;
    }
    o.threads = (int)threads;
    o.compute_seconds = (double)compute_ms / 1000.0;
    o.progress = !quiet;
    o.quick = quick;

    /* fail before minutes of measuring if the file cannot be written; it is replaced only at the
     * end and only by a complete report (pk_output_replace), so a failed run leaves an earlier
     * limits.json as it was */
    char why[4400];
    if (out == default_out) make_cache_dir(out); /* ~/.cache/parkit may not exist yet */
    if (pk_output_path_check(out, why, sizeof why) != 0) {
        pk_error(prog, "--out: %s: cannot write there", why);
        return PK_EXIT_USAGE;
    }

    pk_report r;
    pk_report_init(&r, "parkit_limits: the machine's limits");
    pk_report_str(&r, "program", "%s", prog);
    pk_report_str(&r, "version", "%s", PARKIT_VERSION);
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    pk_report_str(&r, "measured_at", "%s", when);
    pk_report_num(&r, "loadavg_1m", "%.2f", loadavg());
    pk_report_num(&r, "cpus", "%d", omp_get_num_procs());
    pk_report_num(&r, "threads", "%d", o.threads);
    const char *bind = getenv("OMP_PROC_BIND");
    pk_report_str(&r, "omp_proc_bind", "%s", bind ? bind : "(unset)");
    pk_report_bool(&r, "quick", quick);

    int rc = 0;
    if (!rc && (only & ONLY_READ)) rc = limits_mem_read(&o, &r);
    if (!rc && (only & ONLY_TRIAD)) rc = limits_mem_triad(&o, &r);
    if (!rc && (only & ONLY_COMPUTE)) rc = limits_compute(&o, &r);
    if (!rc && (only & ONLY_DIV)) rc = limits_div(&o, &r);
    if (!rc && (only & ONLY_MANDEL)) rc = limits_mandel_step(&o, &r);
    if (!rc && (only & ONLY_OMP)) rc = limits_overhead(&o, &r);
    if (!rc && (only & ONLY_MPI)) rc = limits_mpi(&o, dir, &r);

    if (rc == 0) { /* no half-measured file for the scripts to trust: written only when complete */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        int ok = f != NULL;
        if (ok) pk_report_print_json(&r, f);
        if (f && fclose(f) != 0) ok = 0;
        if (!ok || pk_output_replace(out, text, len, why, sizeof why) != 0) {
            pk_error(prog, "--out '%s': %s", out, ok ? why : "out of memory");
            rc = -1;
        }
        free(text);
    }
    if (rc != 0) return PK_EXIT_FAIL;
    if (json) pk_report_print_json(&r, stdout);
    else pk_report_print_text(&r, stdout);
    limits_progress(&o, "written: %s", out);
    return PK_EXIT_OK;
}
