/* OMP_* environment: strict validation (libgomp only warns on a bad value and silently uses a
 * default, so a typo would give a wrong experiment) and the report of what is in force. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <ctype.h>
#include <sched.h>
#include <unistd.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parkit/omp_runner.h"
#include "parkit/size.h"

/* Copy of s without surrounding blanks, lower-cased. */
static void normalized(const char *s, char *out, size_t len)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    if (n >= len) n = len - 1;
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
}

static int positive_int(const char *s, uint64_t max)
{
    uint64_t v;
    if (!isdigit((unsigned char)*s)) return 0;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p)) return 0;
    if (pk_parse_size(s, &v, NULL, 0) != 0) return 0;
    return v >= 1 && v <= max;
}

/* Comma-separated list where every item satisfies ok(item). */
static int list_of(const char *s, int (*ok)(const char *))
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    if (!*buf) return 0;
    char *save = NULL;
    int items = 0;
    size_t len = strlen(buf);
    if (buf[0] == ',' || buf[len - 1] == ',' || strstr(buf, ",,")) return 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), items++)
        if (!ok(tok)) return 0;
    return items > 0;
}

static int thread_count_ok(const char *s) { return positive_int(s, 1u << 20); }

static int bind_ok(const char *s)
{
    static const char *words[] = {"true", "false", "close", "spread", "master", "primary"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0) return 1;
    return 0;
}

static int schedule_ok(const char *s)
{
    const char *colon = strchr(s, ':');
    if (colon) {
        size_t m = (size_t)(colon - s);
        if (!((m == 9 && strncmp(s, "monotonic", 9) == 0) || (m == 12 && strncmp(s, "nonmonotonic", 12) == 0)))
            return 0;
        s = colon + 1;
    }
    char kind[32];
    const char *comma = strchr(s, ',');
    size_t klen = comma ? (size_t)(comma - s) : strlen(s);
    if (klen == 0 || klen >= sizeof kind) return 0;
    memcpy(kind, s, klen);
    kind[klen] = '\0';
    if (strcmp(kind, "static") && strcmp(kind, "dynamic") && strcmp(kind, "guided") && strcmp(kind, "auto"))
        return 0;
    if (comma) {
        if (strcmp(kind, "auto") == 0) return 0;
        return positive_int(comma + 1, 1u << 30);
    }
    return 1;
}

static int places_ok(const char *s)
{
    if (*s == '{') { /* explicit place lists: leave the fine syntax to the runtime, check balance */
        int depth = 0;
        for (const char *p = s; *p; p++) {
            if (*p == '{') depth++;
            else if (*p == '}' && --depth < 0) return 0;
            else if (!isdigit((unsigned char)*p) && !strchr(",:!-{} ", *p)) return 0;
        }
        return depth == 0;
    }
    static const char *names[] = {"threads", "cores", "sockets", "ll_caches", "numa_domains"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(s, names[i], n) == 0) {
            const char *rest = s + n;
            if (*rest == '\0') return 1;
            size_t rl = strlen(rest);
            if (rest[0] == '(' && rest[rl - 1] == ')' && rl > 2) {
                char num[32];
                if (rl - 2 >= sizeof num) return 0;
                memcpy(num, rest + 1, rl - 2);
                num[rl - 2] = '\0';
                return positive_int(num, 1u << 20);
            }
            return 0;
        }
    }
    return 0;
}

static int bool_ok(const char *s) { return strcmp(s, "true") == 0 || strcmp(s, "false") == 0; }
static int wait_ok(const char *s) { return strcmp(s, "active") == 0 || strcmp(s, "passive") == 0; }
static int limit_ok(const char *s) { return positive_int(s, 1u << 20); }
static int thread_list_ok(const char *s) { return list_of(s, thread_count_ok); }
static int bind_list_ok(const char *s) { return list_of(s, bind_ok); }

static const struct {
    const char *var;
    int (*ok)(const char *);
    const char *expected;
} env_checks[] = {
    {"OMP_NUM_THREADS", thread_list_ok, "a positive integer (or a comma list of them), e.g. 4"},
    {"OMP_SCHEDULE", schedule_ok, "[monotonic:|nonmonotonic:]static|dynamic|guided|auto[,CHUNK>0], e.g. dynamic,64"},
    {"OMP_PROC_BIND", bind_list_ok, "true, false, close, spread or primary (or a comma list)"},
    {"OMP_PLACES", places_ok, "threads, cores, sockets, ll_caches, numa_domains [(N)] or an explicit {..} list"},
    {"OMP_DYNAMIC", bool_ok, "true or false"},
    {"OMP_WAIT_POLICY", wait_ok, "active or passive"},
    {"OMP_THREAD_LIMIT", limit_ok, "a positive integer"},
};

/* The first invalid variable, or 0. */
static int first_invalid(char *err, size_t errlen, int remove)
{
    int found = 0;
    for (size_t i = 0; i < sizeof env_checks / sizeof *env_checks; i++) {
        const char *raw = getenv(env_checks[i].var);
        if (!raw) continue;
        char v[256];
        normalized(raw, v, sizeof v);
        if (env_checks[i].ok(v)) continue;
        if (!found)
            snprintf(err, errlen, "%s='%s' is not valid: expected %s", env_checks[i].var, raw,
                     env_checks[i].expected);
        found = 1;
        if (remove) unsetenv(env_checks[i].var);
    }
    return found;
}

/* libgomp reads OMP_* in its own constructor, prints "libgomp: Invalid value ..." and goes on with
 * a default. libgomp is linked statically (see omp/CMakeLists.txt), so this constructor, with a
 * priority, runs before libgomp's: it records the first bad value and takes the bad variables out
 * of the environment, so that the program's own error line is the only one and exit code 2
 * follows (pk_omp_check_env reports it once the program knows its rank). */
static char env_error[512];
/* The process's CPU mask before the runtime starts: with OMP_PROC_BIND set, libgomp pins the
 * initial thread to its first place during start-up, after which the mask shows one CPU only. */
static int initial_cpus;

static int cpus_in_mask(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

__attribute__((constructor(101))) static void pk_omp_env_guard(void)
{
    first_invalid(env_error, sizeof env_error, 1);
    initial_cpus = cpus_in_mask();
}

int pk_omp_initial_cpus(void)
{
    return initial_cpus > 0 ? initial_cpus : cpus_in_mask();
}

int pk_omp_check_env(char *err, size_t errlen)
{
    if (env_error[0]) {
        snprintf(err, errlen, "%s", env_error);
        return -1;
    }
    return first_invalid(err, errlen, 0) ? -1 : 0;
}

static const char *schedule_name(omp_sched_t kind)
{
    switch ((int)kind & ~(int)omp_sched_monotonic) {
    case omp_sched_static: return "static";
    case omp_sched_dynamic: return "dynamic";
    case omp_sched_guided: return "guided";
    case omp_sched_auto: return "auto";
    default: return "unknown";
    }
}

static const char *bind_name(omp_proc_bind_t b)
{
    switch (b) {
    case omp_proc_bind_false: return "false";
    case omp_proc_bind_true: return "true";
    case omp_proc_bind_master: return "primary";
    case omp_proc_bind_close: return "close";
    case omp_proc_bind_spread: return "spread";
    default: return "unknown";
    }
}

void pk_omp_describe(pk_report *r)
{
    const char *env;
    int counted = pk_omp_count_threads();
    pk_report_num(r, "threads_requested", "%d", omp_get_max_threads());
    pk_report_num(r, "threads", "%d", counted);
    env = getenv("OMP_NUM_THREADS");
    pk_report_str(r, "omp_num_threads", "%s", env ? env : "(unset)");
    env = getenv("OMP_SCHEDULE");
    pk_report_str(r, "omp_schedule", "%s", env ? env : "(unset)");
    omp_sched_t kind;
    int chunk;
    omp_get_schedule(&kind, &chunk);
    /* chunk <= 0 means the runtime's default chunk */
    if (chunk > 0 && (kind & ~omp_sched_monotonic) != omp_sched_auto)
        pk_report_str(r, "schedule", "%s,%d", schedule_name(kind), chunk);
    else
        pk_report_str(r, "schedule", "%s", schedule_name(kind));
    pk_report_str(r, "proc_bind", "%s", bind_name(omp_get_proc_bind()));
    env = getenv("OMP_PLACES");
    pk_report_str(r, "omp_places", "%s", env ? env : "(unset)");
    pk_report_num(r, "places", "%d", omp_get_num_places());
    pk_report_bool(r, "dynamic", omp_get_dynamic());
    env = getenv("OMP_WAIT_POLICY");
    pk_report_str(r, "wait_policy", "%s", env ? env : "(unset)");
}
