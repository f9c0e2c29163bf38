#define _POSIX_C_SOURCE 200809L
#include "parkit/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parkit/cli.h"

/* A per-user, per-host cache file: an installed kit's programs live in /usr/bin, where nobody may
 * write, and one home directory is often shared by a cluster's nodes, which differ. */
void pk_limits_path(char *buf, size_t len)
{
    const char *env = getenv("PARKIT_LIMITS");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char host[256];
    if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    for (char *c = host; *c; c++)
        if (*c == '/') *c = '_';
    const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (cache && cache[0] == '/') snprintf(buf, len, "%s/parkit/limits-%s.json", cache, host);
    else if (home && home[0] == '/') snprintf(buf, len, "%s/.cache/parkit/limits-%s.json", home, host);
    else snprintf(buf, len, "limits-%s.json", host); /* no home: here */
}

int pk_limits_number(const char *json, const char *key, double *out)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    const char *p = json;
    while ((p = strstr(p, pattern)) != NULL) {
        p += strlen(pattern);
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (*p != ':') continue; /* the text was a value, not a key */
        p++;
        char *end = NULL;
        double v = strtod(p, &end);
        /* a limit is a positive, finite, normal number below any machine's (1e18 per second): nan,
         * inf, 1e999, 1e-320 or a negative value mean a damaged or forged file */
        if (end == p || !isfinite(v) || v < DBL_MIN || v > 1e18) return -1;
        *out = v;
        return 0;
    }
    return -1;
}

#define LIMITS_MAX_BYTES (1 << 16) /* parkit_limits writes about 2 KiB */

/* Opens path without blocking (a FIFO named there would wait for a writer forever) and checks it is a
 * regular file of a plausible size. The descriptor, or -1 with `why`. */
static int open_limits(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    const char *bad = NULL;
    if (fstat(fd, &st) != 0) bad = strerror(errno);
    else if (!S_ISREG(st.st_mode)) bad = "not a regular file";
    else if (st.st_size >= LIMITS_MAX_BYTES) bad = "larger than 64 KiB: not a limits file";
    if (bad) {
        snprintf(why, whylen, "%s", bad);
        close(fd);
        return -1;
    }
    return fd;
}

int pk_limits_check(char *err, size_t errlen)
{
    const char *env = getenv("PARKIT_LIMITS");
    if (!env || !*env) return 0; /* the default file is optional */
    char why[256];
    int fd = open_limits(env, why, sizeof why);
    if (fd < 0) {
        snprintf(err, errlen, "PARKIT_LIMITS '%s': %s (expected the limits.json that parkit_limits writes)", env, why);
        return -1;
    }
    close(fd);
    return 0;
}

static char *read_file(const char *path)
{
    char why[256];
    int fd = open_limits(path, why, sizeof why);
    if (fd < 0) return NULL;
    char *text = malloc(LIMITS_MAX_BYTES);
    size_t used = 0;
    while (text && used < LIMITS_MAX_BYTES - 1) {
        ssize_t got = read(fd, text + used, LIMITS_MAX_BYTES - 1 - used);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        used += (size_t)got;
    }
    close(fd);
    if (text) text[used] = '\0';
    return text;
}

void pk_limits_report(pk_report *r, double workers)
{
    char path[4096];
    pk_limits_path(path, sizeof path);
    char *json = read_file(path);
    if (!json) {
        pk_report_str(r, "limits_file", "(none: run parkit_limits to compare rates with this machine's limits)");
        return;
    }
    pk_report_str(r, "limits_file", "%s", path);
    double v, limit, cpus = 1;
    pk_limits_number(json, "cpus", &cpus);
    const pk_field *f = pk_report_get(r, "bytes_per_s");
    /* one worker streams alone; more share the memory system, as the all-core read does */
    if (f && pk_limits_number(json, workers > 1 ? "read_all_bytes_per_s" : "read_1t_bytes_per_s", &limit) == 0 &&
        limit > 0) {
        v = atof(f->text);
        pk_report_num(r, "read_limit_bytes_per_s", "%.6e", limit);
        pk_report_num(r, "bytes_per_s_of_read_limit", "%.3f", v / limit);
    }
    f = pk_report_get(r, "flops_per_s");
    if (f && pk_limits_number(json, "fma_1t_flops_per_s", &limit) == 0 && limit > 0) {
        double cores = workers < cpus ? workers : cpus;
        if (cores < 1) cores = 1;
        v = atof(f->text);
        pk_report_num(r, "fma_peak_flops_per_s", "%.6e", limit * cores);
        pk_report_num(r, "flops_per_s_of_fma_peak", "%.3f", v / (limit * cores));
    }
    free(json);
}
