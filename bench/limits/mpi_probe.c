/* The MPI part of parkit_limits: parkit_limits itself is not an MPI program (its bandwidth and
 * compute probes must own every core), so it launches parkit_mpi_latency, found next to itself,
 * under the MPI launcher and copies its numbers. The launch cost (wall time of a launch that only
 * starts and stops MPI) is timed here too, for 1 and 2 ranks: the model adds it to a job's time.
 * The rank schedule's claim cost (mpi_claim_latency_s, mpi_claim_service_s, mpi_claim_status) is
 * copied when parkit_mpi_latency reports it (older builds did not). */
#define _GNU_SOURCE /* setenv, popen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "limits.h"
#include "parkit/error.h"
#include "parkit/stats.h"
#include "parkit/timer.h"

/* Single-quoted for /bin/sh. */
static void quoted(const char *s, char *out, size_t len)
{
    size_t j = 0;
    if (len < 3) return;
    out[j++] = '\'';
    for (; *s && j + 5 < len; s++) {
        if (*s == '\'') {
            memcpy(out + j, "'\\''", 4);
            j += 4;
        } else {
            out[j++] = *s;
        }
    }
    out[j++] = '\'';
    out[j] = '\0';
}

/* The number after "key": in a one-line JSON object; 0 when found. */
static int json_number(const char *line, const char *key, double *out)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    if (!p) return -1;
    char *end;
    *out = strtod(p + strlen(pat), &end);
    return end == p + strlen(pat) ? -1 : 0;
}

/* The string after "key": in a one-line JSON object (no escapes expected: a status line); 0 when
 * found. */
static int json_string(const char *line, const char *key, char *out, size_t len)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    if (!p || len == 0) return -1;
    p += strlen(pat);
    const char *end = strchr(p, '"');
    if (!end) return -1;
    size_t n = (size_t)(end - p) < len - 1 ? (size_t)(end - p) : len - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* Runs cmd, keeps the last stdout line that starts with '{'; returns the exit status or -1. */
static int run_json(const char *cmd, char *line, size_t len)
{
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    char buf[4096];
    line[0] = '\0';
    while (fgets(buf, sizeof buf, f))
        if (buf[0] == '{') snprintf(line, len, "%s", buf);
    int st = pclose(f);
    return st == -1 ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : 128);
}

static int skip(const limits_opts *o, pk_report *r, int failed, const char *why)
{
    pk_report_str(r, "mpi_status", "%s: %s", failed ? "failed" : "skipped", why);
    if (strcmp(o->mpi, "yes") == 0) {
        pk_error(o->program, "MPI probe %s: %s", failed ? "failed" : "impossible", why);
        return -1;
    }
    limits_progress(o, "MPI probe %s: %s", failed ? "failed" : "skipped", why);
    return 0;
}

int limits_mpi(const limits_opts *o, const char *self_dir, pk_report *r)
{
    if (strcmp(o->mpi, "no") == 0) {
        pk_report_str(r, "mpi_status", "skipped: --mpi no");
        return 0;
    }
    char exe[4096], q[8300], cmd[9000], line[8192];
    snprintf(exe, sizeof exe, "%s/parkit_mpi_latency", self_dir);
    if (access(exe, X_OK) != 0) return skip(o, r, 0, "parkit_mpi_latency not built (no MPI library?)");
    /* Open MPI refuses root unless told that it is on purpose (containers, CI) */
    if (geteuid() == 0) {
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    }
    quoted(exe, q, sizeof q);

    limits_progress(o, "MPI latency: %s -np 2 parkit_mpi_latency", o->mpirun);
    snprintf(cmd, sizeof cmd, "%s -np 2 %s --json %s </dev/null", o->mpirun, q,
             o->quick ? "--iters 200 --warmup 20 --repeat 1" : "");
    int st = run_json(cmd, line, sizeof line);
    if (st != 0 || !line[0]) {
        char why[256];
        snprintf(why, sizeof why, "'%s -np 2 parkit_mpi_latency' exited with %d%s", o->mpirun, st,
                 line[0] ? "" : " and no JSON");
        return skip(o, r, 1, why);
    }
    /* optional: fields an older parkit_mpi_latency did not print (left out of the report then) */
    static const struct {
        const char *from, *to;
        int optional;
    } keys[] = {{"latency_s", "mpi_latency_s", 0},
                {"reduce_latency_s", "mpi_reduce_latency_s", 0},
                {"allreduce_latency_s", "mpi_allreduce_latency_s", 0},
                {"barrier_latency_s", "mpi_barrier_latency_s", 0},
                {"claim_latency_s", "mpi_claim_latency_s", 1},
                {"claim_service_s", "mpi_claim_service_s", 1},
                {"bytes", "mpi_message_bytes", 0},
                {"ranks", "mpi_ranks", 0}};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        double v;
        if (json_number(line, keys[i].from, &v) != 0) {
            if (keys[i].optional) continue;
            return skip(o, r, 1, "parkit_mpi_latency JSON lacks a field");
        }
        pk_report_num(r, keys[i].to, "%.4g", v);
    }
    /* "measured", or why the claims could not be timed (both claim fields are 0 then) */
    char claim_status[200];
    if (json_string(line, "claim_status", claim_status, sizeof claim_status) == 0)
        pk_report_str(r, "mpi_claim_status", "%s", claim_status);

    /* launch cost: wall time of start + MPI_Init + MPI_Finalize + exit, median of launch_repeat */
    double *t = calloc(o->launch_repeat, sizeof *t);
    if (!t) return skip(o, r, 1, "out of memory");
    for (int np = 1; np <= 2; np++) {
        limits_progress(o, "MPI launch cost, %d rank%s, %llu launches", np, np > 1 ? "s" : "",
                        (unsigned long long)o->launch_repeat);
        snprintf(cmd, sizeof cmd, "%s -np %d %s --launch-only </dev/null >/dev/null", o->mpirun, np, q);
        for (uint64_t k = 0; k < o->launch_repeat; k++) {
            double t0 = pk_wtime();
            int rc = system(cmd);
            t[k] = pk_wtime() - t0;
            if (rc != 0) {
                free(t);
                return skip(o, r, 1, "a --launch-only run failed");
            }
        }
        char key[48];
        snprintf(key, sizeof key, "mpi_launch_np%d_s", np);
        pk_report_num(r, key, "%.4g", pk_stats_of(t, (size_t)o->launch_repeat).median);
    }
    free(t);
    pk_report_str(r, "mpi_launcher", "%s", o->mpirun);
    pk_report_str(r, "mpi_status", "measured");
    return 0;
}
