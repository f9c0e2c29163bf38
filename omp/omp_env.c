/* OMP_* environment: strict validation (libgomp only warns on a bad value and silently uses a
 * default, so a typo would give a wrong experiment) and the report of what is in force. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parkit/omp_runner.h"
#include "parkit/topology.h"
#include "parkit/topology.h"
#include "parkit/size.h"

/* Copy of s without surrounding blanks, lower-cased, whatever its length (a value cut to fit a
 * buffer would be checked in part only); NULL when out of memory. */
static char *normalized(const char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
    return out;
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
    size_t len = strlen(s);
    if (len == 0 || s[0] == ',' || s[len - 1] == ',' || strstr(s, ",,")) return 0;
    char *buf = strdup(s);
    if (!buf) return 0;
    char *save = NULL;
    int items = 0, good = 1;
    for (char *tok = strtok_r(buf, ",", &save); tok && good; tok = strtok_r(NULL, ",", &save), items++)
        good = ok(tok);
    free(buf);
    return good && items > 0;
}

static int thread_count_ok(const char *s) { return positive_int(s, PK_OMP_MAX_THREADS); }

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

/* An explicit place list, OpenMP's grammar (spaces allowed between tokens):
 *   list     := item (',' item)*          item := place (':' count (':' stride)?)?
 *   place    := '{' res (',' res)* '}'    res  := '!'? cpu (':' count (':' stride)?)?
 * count >= 1, stride a nonzero integer (may be negative). Every CPU an interval reaches must be a
 * CPU this machine has, and every place must keep at least one CPU: libgomp would otherwise drop
 * the place with a warning, or all of them, and run with "places: 0". (OpenMP also allows '!'
 * before a whole place, to remove one listed earlier; libgomp rejects most uses of it, so the
 * kit does not accept it.) */
typedef struct place_parser {
    const char *p;
    long cpus;
} place_parser;

static void skip_blanks(place_parser *pp)
{
    while (*pp->p == ' ' || *pp->p == '\t') pp->p++;
}

static int read_long(place_parser *pp, long *out, int allow_negative)
{
    skip_blanks(pp);
    int neg = 0;
    if (allow_negative && *pp->p == '-') neg = 1, pp->p++;
    if (!isdigit((unsigned char)*pp->p)) return 0;
    long v = 0;
    while (isdigit((unsigned char)*pp->p)) {
        if (v > 1000000000L) return 0;
        v = v * 10 + (*pp->p++ - '0');
    }
    *out = neg ? -v : v;
    return 1;
}

/* ':' count [':' stride], or nothing (count 1, stride 1). */
static int read_interval(place_parser *pp, long *count, long *stride)
{
    *count = 1, *stride = 1;
    skip_blanks(pp);
    if (*pp->p != ':') return 1;
    pp->p++;
    if (!read_long(pp, count, 0) || *count < 1) return 0;
    skip_blanks(pp);
    if (*pp->p != ':') return 1;
    pp->p++;
    return read_long(pp, stride, 1) && *stride != 0;
}

/* One '{...}' place: its lowest and highest CPU and how many it keeps (exclusions are subtracted
 * approximately: a place of only excluded CPUs is caught). */
static int read_place(place_parser *pp, long *lo, long *hi)
{
    skip_blanks(pp);
    if (*pp->p != '{') return 0;
    pp->p++;
    long kept = 0;
    *lo = pp->cpus, *hi = -1;
    for (;;) {
        skip_blanks(pp);
        int exclude = *pp->p == '!';
        if (exclude) pp->p++;
        long cpu, count, stride;
        if (!read_long(pp, &cpu, 0)) return 0;
        if (exclude) count = 1, stride = 1;
        else if (!read_interval(pp, &count, &stride)) return 0;
        long last = cpu + (count - 1) * stride;
        if (cpu >= pp->cpus || last < 0 || last >= pp->cpus) return 0;
        if (!exclude) {
            kept += count;
            if (cpu < *lo) *lo = cpu;
            if (last < *lo) *lo = last;
            if (cpu > *hi) *hi = cpu;
            if (last > *hi) *hi = last;
        } else {
            kept--;
        }
        skip_blanks(pp);
        if (*pp->p == ',') {
            pp->p++;
            continue;
        }
        if (*pp->p != '}') return 0;
        pp->p++;
        return kept > 0;
    }
}

static int place_list_ok(const char *s)
{
    place_parser pp = {s, sysconf(_SC_NPROCESSORS_CONF)};
    if (pp.cpus < 1) pp.cpus = CPU_SETSIZE;
    for (;;) {
        long lo, hi, count, stride;
        if (!read_place(&pp, &lo, &hi) || !read_interval(&pp, &count, &stride)) return 0;
        /* the place moved by stride, count times: its CPUs must stay on the machine */
        long shift = (count - 1) * stride;
        if (lo + (shift < 0 ? shift : 0) < 0 || hi + (shift > 0 ? shift : 0) >= pp.cpus) return 0;
        skip_blanks(&pp);
        if (*pp.p == '\0') return 1;
        if (*pp.p != ',') return 0;
        pp.p++;
    }
}

static int places_ok(const char *s)
{
    if (*s == '{') return place_list_ok(s);
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
static int display_ok(const char *s) { return bool_ok(s) || strcmp(s, "verbose") == 0; }
static int count_ok(const char *s) { return strcmp(s, "0") == 0 || positive_int(s, 1u << 30); }

/* A positive size with an optional unit, as libgomp reads OMP_STACKSIZE: 512, 64k, 4M, 1G
 * (no unit = KiB), at most 1 GiB per thread. */
static int stacksize_ok(const char *s)
{
    char *end;
    if (!isdigit((unsigned char)*s)) return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v == 0) return 0;
    while (*end == ' ') end++;
    unsigned long long unit = 1024;
    if (*end) {
        const char *units = "bkmg";
        const char *u = strchr(units, *end);
        if (!u || end[1] != '\0') return 0;
        unit = 1ull << (10 * (u - units));
    }
    return v <= (1ull << 30) / unit;
}

/* GOMP_SPINCOUNT: a count with an optional k, M, G, T multiplier, or infinite/infinity. */
static int spincount_ok(const char *s)
{
    if (strcmp(s, "infinite") == 0 || strcmp(s, "infinity") == 0) return 1;
    char *end;
    if (!isdigit((unsigned char)*s)) return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    (void)v;
    if (errno) return 0;
    while (*end == ' ') end++;
    return *end == '\0' || (strchr("kmgt", *end) && end[1] == '\0');
}
static int wait_ok(const char *s) { return strcmp(s, "active") == 0 || strcmp(s, "passive") == 0; }
static int limit_ok(const char *s) { return positive_int(s, 1u << 20); }
static int thread_list_ok(const char *s) { return list_of(s, thread_count_ok); }
static int bind_list_ok(const char *s) { return list_of(s, bind_ok); }

static const struct {
    const char *var;
    int (*ok)(const char *);
    const char *expected;
} env_checks[] = {
    {"OMP_NUM_THREADS", thread_list_ok, "a positive integer up to " PK_STR(PK_OMP_MAX_THREADS)
                                        " (or a comma list of them), e.g. 4"},
    {"OMP_SCHEDULE", schedule_ok, "[monotonic:|nonmonotonic:]static|dynamic|guided|auto[,CHUNK>0], e.g. dynamic,64"},
    {"OMP_PROC_BIND", bind_list_ok, "true, false, close, spread or primary (or a comma list)"},
    {"OMP_PLACES", places_ok, "threads, cores, sockets, ll_caches, numa_domains [(N)], or places "
                               "{cpu[:count[:stride]],...}[:count[:stride]] of this machine's CPUs"},
    {"OMP_DYNAMIC", bool_ok, "true or false"},
    {"OMP_WAIT_POLICY", wait_ok, "active or passive"},
    {"OMP_THREAD_LIMIT", limit_ok, "a positive integer"},
    {"OMP_STACKSIZE", stacksize_ok, "a positive size with an optional unit B, K, M or G (no unit: K), at most 1G"},
    {"GOMP_STACKSIZE", stacksize_ok, "a positive size with an optional unit B, K, M or G (no unit: K), at most 1G"},
    {"OMP_MAX_ACTIVE_LEVELS", count_ok, "a non-negative integer"},
    {"OMP_NESTED", bool_ok, "true or false"},
    {"OMP_DISPLAY_ENV", display_ok, "true, false or verbose"},
    {"OMP_DISPLAY_AFFINITY", bool_ok, "true or false"},
    {"OMP_CANCELLATION", bool_ok, "true or false"},
    {"OMP_DEFAULT_DEVICE", count_ok, "a non-negative integer"},
    {"OMP_MAX_TASK_PRIORITY", count_ok, "a non-negative integer"},
    {"GOMP_SPINCOUNT", spincount_ok, "a non-negative integer with an optional k, M, G or T, or infinite"},
};

/* The first invalid variable, or 0. */
static int first_invalid(char *err, size_t errlen, int remove)
{
    int found = 0;
    for (size_t i = 0; i < sizeof env_checks / sizeof *env_checks; i++) {
        const char *raw = getenv(env_checks[i].var);
        if (!raw) continue;
        char *v = normalized(raw);
        int good = v && env_checks[i].ok(v);
        free(v);
        if (good) continue;
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
__attribute__((constructor(102))) static void pk_omp_env_guard(void) { first_invalid(env_error, sizeof env_error, 1); }

int pk_omp_check_env(char *err, size_t errlen)
{
    if (env_error[0]) {
        snprintf(err, errlen, "%s", env_error);
        return -1;
    }
    if (first_invalid(err, errlen, 0)) return -1;
    /* an explicit list whose places all lie outside this process's CPUs: the runtime drops them
     * all. (Abstract names like cores can also give 0 places where the runtime cannot read the
     * topology, e.g. in some containers; that is reported as places: 0, not refused.) */
    const char *places = getenv("OMP_PLACES");
    while (places && isspace((unsigned char)*places)) places++;
    if (places && *places == '{' && omp_get_num_places() == 0) {
        snprintf(err, errlen, "OMP_PLACES='%s' leaves this process no place to run on (its CPUs: %d)", places,
                 pk_initial_cpus());
        return -1;
    }
    /* Without OMP_SCHEDULE the runtimes differ (libgomp: dynamic,1; libomp: static), so the same
     * command would measure different things with gcc and clang. The kit's default is libgomp's,
     * the one its published numbers were measured with; the report says where it came from. */
    if (!getenv("OMP_SCHEDULE")) omp_set_schedule(omp_sched_dynamic, 1);
    return 0;
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

void pk_omp_runtime(char *buf, size_t len)
{
#if defined(__clang__)
    snprintf(buf, len, "libomp (clang %d.%d), OpenMP %d", __clang_major__, __clang_minor__, _OPENMP);
#elif defined(__GNUC__)
    snprintf(buf, len, "libgomp (GCC %d.%d.%d), OpenMP %d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__, _OPENMP);
#else
    snprintf(buf, len, "OpenMP %d", _OPENMP);
#endif
}

void pk_omp_report_runtime(pk_report *r)
{
    char runtime[96];
    pk_omp_runtime(runtime, sizeof runtime);
    pk_report_str(r, "openmp_runtime", "%s", runtime);
}

void pk_omp_describe(pk_report *r)
{
    const char *env;
    int counted = pk_omp_count_threads();
    pk_omp_report_runtime(r);
    pk_report_num(r, "threads_requested", "%d", omp_get_max_threads());
    pk_report_num(r, "threads", "%d", counted);
    env = getenv("OMP_NUM_THREADS");
    pk_report_str(r, "omp_num_threads", "%s", env ? env : "(unset)");
    env = getenv("OMP_SCHEDULE");
    pk_report_str(r, "omp_schedule", "%s", env ? env : "(unset: parkit's default dynamic,1 on every runtime)");
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
