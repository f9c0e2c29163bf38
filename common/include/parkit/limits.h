/* The machine's measured limits (bench's parkit_limits writes limits.json), so a report can put
 * a rate beside what this machine can do: "96% of the measured read bandwidth". */
#ifndef PARKIT_LIMITS_H
#define PARKIT_LIMITS_H
#include <stddef.h>
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The limits file: $PARKIT_LIMITS, else $XDG_CACHE_HOME/parkit/limits-<host>.json (XDG_CACHE_HOME
 * defaults to ~/.cache), where parkit_limits writes it by default. */
void pk_limits_path(char *buf, size_t len);
/* A number from a flat JSON object's text: 0 and *out set, or -1 when the key is absent or its value
 * is no plausible limit (not finite, not a positive normal number, above 1e18). */
int pk_limits_number(const char *json, const char *key, double *out);
/* Adds, for the rates already in the report, the matching limit and the fraction of it reached:
 * bytes_per_s vs the streaming read bandwidth, flops_per_s vs the FMA peak of the workers' cores.
 * `workers` = threads x ranks. Without a limits file, adds limits_file: (none). */
void pk_limits_report(pk_report *r, double workers);
/* Before the work: 0 when PARKIT_LIMITS is unset or names a regular file of a plausible size, else -1
 * with one line in err (a FIFO, a device, a directory, a missing file, a huge file). */
int pk_limits_check(char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
