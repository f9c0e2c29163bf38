#include "parkit/balance.h"

#include <stdlib.h>
#include <string.h>

pk_balance pk_balance_of(const pk_share *shares, size_t count)
{
    pk_balance b;
    memset(&b, 0, sizeof b);
    b.imbalance = 1.0;
    if (count == 0) return b;
    double *v = malloc(count * sizeof *v);
    if (!v) return b;
    for (size_t i = 0; i < count; i++) v[i] = shares[i].blocks;
    b.blocks = pk_stats_of(v, count);
    for (size_t i = 0; i < count; i++) v[i] = shares[i].busy_s;
    b.busy_s = pk_stats_of(v, count);
    free(v);
    if (b.busy_s.mean > 0) b.imbalance = b.busy_s.max / b.busy_s.mean;
    return b;
}

void pk_balance_report(pk_report *r, const pk_balance *b, uint64_t runs)
{
    double per = runs ? 1.0 / (double)runs : 1.0;
    pk_report_num(r, "rank_blocks_min", "%.10g", b->blocks.min * per);
    pk_report_num(r, "rank_blocks_median", "%.10g", b->blocks.median * per);
    pk_report_num(r, "rank_blocks_max", "%.10g", b->blocks.max * per);
    pk_report_num(r, "rank_busy_s_min", "%.9f", b->busy_s.min * per);
    pk_report_num(r, "rank_busy_s_median", "%.9f", b->busy_s.median * per);
    pk_report_num(r, "rank_busy_s_max", "%.9f", b->busy_s.max * per);
    pk_report_num(r, "rank_imbalance", "%.4f", b->imbalance);
}
