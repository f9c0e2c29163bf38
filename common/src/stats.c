#include "parkit/stats.h"

#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

pk_stats pk_stats_of(const double *v, size_t count)
{
    pk_stats s = {0, 0, 0, 0, count};
    if (count == 0) return s;
    double *sorted = malloc(count * sizeof *sorted);
    if (!sorted) return s;
    memcpy(sorted, v, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, cmp_double);
    s.min = sorted[0];
    s.max = sorted[count - 1];
    s.median = count % 2 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
    double sum = 0;
    for (size_t i = 0; i < count; i++) sum += sorted[i];
    s.mean = sum / (double)count;
    free(sorted);
    return s;
}
