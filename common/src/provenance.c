#include "parkit/provenance.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parkit/build_info.h"
#include "parkit/commit.h"

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

void pk_provenance_report(pk_report *r, const char *hosts)
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
    pk_report_str(r, "hosts", "%s", hosts);
    pk_report_str(r, "date_utc", "%s", date);
    pk_report_str(r, "cpu_model", "%s", cpu);
    pk_report_str(r, "compiler", "%s", PARKIT_COMPILER);
    pk_report_str(r, "build_type", "%s", PARKIT_BUILD_TYPE);
    pk_report_str(r, "build_flags", "%s", PARKIT_C_FLAGS);
    pk_report_str(r, "commit", "%s", PARKIT_COMMIT);
}
