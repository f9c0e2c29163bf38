/* Helpers shared by the probes of parkit_limits: progress lines and rate fields. */
#include <stdarg.h>
#include <stdio.h>

#include "limits.h"

void limits_progress(const limits_opts *o, const char *fmt, ...)
{
    if (!o->progress) return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[%s] %s\n", o->program, line);
    fflush(stderr);
}

void limits_report_rate(pk_report *r, const char *prefix, double work, const double *times, uint64_t count)
{
    pk_stats st = pk_stats_of(times, (size_t)count);
    char key[48];
    /* the best run is the machine's capability (STREAM's convention); the median is what a
     * program should expect on this machine as it is, and what the scripts compare against */
    if (st.min > 0) pk_report_num(r, prefix, "%.4e", work / st.min);
    snprintf(key, sizeof key, "%s_median", prefix);
    if (st.median > 0) pk_report_num(r, key, "%.4e", work / st.median);
}
