#include "parkit/provenance.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parkit/build_info.h"
#include "parkit/commit.h"
#include "parkit/program.h"
#include "parkit/version.h"

void pk_host_name(char *buf, size_t len)
{
    if (gethostname(buf, len) != 0) snprintf(buf, len, "unknown");
    buf[len - 1] = '\0';
}

/* "model name : AMD EPYC ..." from /proc/cpuinfo (x86), else "unknown". */
static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        const char *v = strchr(line, ':');
        if (!v) break;
        v++;
        while (*v == ' ' || *v == '\t') v++;
        snprintf(buf, len, "%s", v);
        buf[strcspn(buf, "\n")] = '\0';
        break;
    }
    fclose(f);
}

/* The flags as one line with single spaces (CMake joins empty parts with blanks). */
static void squeeze(char *out, size_t len, const char *in)
{
    size_t o = 0;
    for (; *in && o + 1 < len; in++)
        if (*in != ' ' || (o > 0 && out[o - 1] != ' ')) out[o++] = *in;
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
}

static const char *or_kit(const char *own, const char *kit) { return own && *own ? own : kit; }

void pk_provenance_report(pk_report *r, const char *hosts, const pk_build *build)
{
    char host[256], cpu[256], date[64];
    if (!hosts) {
        pk_host_name(host, sizeof host);
        hosts = host;
    }
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
    cpu_model(cpu, sizeof cpu);
    static const pk_build kit = {0};
    if (!build) build = &kit;
    pk_report_str(r, "hosts", "%s", hosts);
    pk_report_str(r, "date_utc", "%s", date);
    pk_report_str(r, "cpu_model", "%s", cpu);
    pk_report_str(r, "compiler", "%s", or_kit(build->compiler, PARKIT_COMPILER));
    pk_report_str(r, "build_type", "%s", or_kit(build->build_type, PARKIT_BUILD_TYPE));
    char flags[2048];
    squeeze(flags, sizeof flags, or_kit(build->flags, PARKIT_C_FLAGS));
    pk_report_str(r, "build_flags", "%s", flags);
    pk_report_str(r, "commit", "%s", or_kit(build->commit, PARKIT_COMMIT));
    if (build->project && *build->project) {
        pk_report_str(r, "project", "%s", build->project);
        pk_report_str(r, "project_version", "%s", or_kit(build->version, "(none)"));
    }
    pk_report_str(r, "parkit_version", "%s", PARKIT_VERSION);
    pk_report_str(r, "parkit_build_type", "%s", PARKIT_BUILD_TYPE);
    pk_report_str(r, "parkit_build_flags", "%s", PARKIT_C_FLAGS);
    pk_report_str(r, "parkit_commit", "%s", PARKIT_COMMIT);
}
