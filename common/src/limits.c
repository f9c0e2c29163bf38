#include "parkit/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/cli.h"

void pk_limits_path(char *buf, size_t len)
{
    const char *env = getenv("PARKIT_LIMITS");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char dir[4096];
    pk_program_dir(NULL, dir, sizeof dir);
    if (snprintf(buf, len, "%s/limits.json", dir) >= (int)len) snprintf(buf, len, "limits.json"); /* too long: here */
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
        if (end == p) return -1;
        *out = v;
        return 0;
    }
    return -1;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, used = 0;
    char *text = malloc(cap);
    if (text) used = fread(text, 1, cap - 1, f);
    fclose(f);
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
