/* Summary of repeated timings: the kit quotes min, median and max. */
#ifndef PARKIT_STATS_H
#define PARKIT_STATS_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_stats {
    double min, median, max, mean;
    size_t count;
} pk_stats;

/* Summary of v[0..count); v is left unchanged. count 0 gives all zeros. */
pk_stats pk_stats_of(const double *v, size_t count);

#ifdef __cplusplus
}
#endif
#endif
