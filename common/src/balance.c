#include "parkit/balance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pk_share_add(pk_share *share, uint64_t blocks, double busy_s)
{
    if (!share) return;
    share->blocks += (double)blocks;
    share->busy_s += busy_s;
}

int pk_tally_reserve(pk_tally *t, size_t threads)
{
    if (threads <= t->capacity) return 0;
    pk_share *of = realloc(t->of, threads * sizeof *of);
    if (!of) {
        t->lost = 1;
        return -1;
    }
    memset(of + t->capacity, 0, (threads - t->capacity) * sizeof *of);
    t->of = of;
    t->capacity = threads;
    return 0;
}

int pk_tally_join(pk_tally *t, size_t threads)
{
    if (pk_tally_reserve(t, threads) != 0) return -1;
    if (threads > t->used) t->used = threads;
    return 0;
}

void pk_tally_reset(pk_tally *t)
{
    if (t->of) memset(t->of, 0, t->capacity * sizeof *t->of);
    t->used = 0;
    t->lost = 0;
}

void pk_tally_free(pk_tally *t)
{
    free(t->of);
    *t = (pk_tally){.of = NULL};
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* min/median/max of whole block counts, the median the lower middle one (sorts v). */
static pk_stats count_stats(double *v, size_t count)
{
    pk_stats s = pk_stats_of(v, count);
    qsort(v, count, sizeof *v, cmp_double);
    s.median = v[(count - 1) / 2];
    return s;
}

/* Block and busy statistics of count > 0 shares, and max busy / mean busy. 0, or -1 out of memory. */
static int summarize(const pk_share *shares, size_t count, pk_stats *blocks, pk_stats *busy_s, double *imbalance)
{
    double *v = calloc(count, sizeof *v); /* calloc: gcc cannot see that count > 0 fills it */
    if (!v) return -1;
    for (size_t i = 0; i < count; i++) v[i] = shares[i].busy_s;
    *busy_s = pk_stats_of(v, count);
    for (size_t i = 0; i < count; i++) v[i] = shares[i].blocks;
    *blocks = count_stats(v, count);
    free(v);
    *imbalance = busy_s->mean > 0 ? busy_s->max / busy_s->mean : 1.0;
    return 0;
}

pk_balance pk_balance_of(const pk_share *shares, size_t count)
{
    pk_balance b = {.imbalance = 1.0, .thread_imbalance = 1.0};
    if (count > 0) summarize(shares, count, &b.blocks, &b.busy_s, &b.imbalance);
    return b;
}

void pk_balance_add_threads(pk_balance *b, const pk_share *threads, size_t count)
{
    if (count == 0) return;
    b->has_threads = summarize(threads, count, &b->thread_blocks, &b->thread_busy_s, &b->thread_imbalance) == 0;
}

/* prefix_blocks_{min,median,max} (totals), prefix_busy_s_{min,median,max} (per run), prefix_imbalance */
static void report_level(pk_report *r, const char *prefix, const pk_stats *blocks, const pk_stats *busy_s,
                         double imbalance, double per_run)
{
    const char *stat[3] = {"min", "median", "max"};
    const double count[3] = {blocks->min, blocks->median, blocks->max};
    const double busy[3] = {busy_s->min, busy_s->median, busy_s->max};
    char name[64];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s_blocks_%s", prefix, stat[i]);
        pk_report_num(r, name, "%.0f", count[i]); /* exact: whole numbers below 2^53 */
    }
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s_busy_s_%s", prefix, stat[i]);
        pk_report_num(r, name, "%.9f", busy[i] * per_run);
    }
    snprintf(name, sizeof name, "%s_imbalance", prefix);
    pk_report_num(r, name, "%.4f", imbalance);
}

void pk_balance_report(pk_report *r, const pk_balance *b, uint64_t runs)
{
    double per_run = runs ? 1.0 / (double)runs : 1.0;
    report_level(r, "rank", &b->blocks, &b->busy_s, b->imbalance, per_run);
    if (b->has_threads)
        report_level(r, "thread", &b->thread_blocks, &b->thread_busy_s, b->thread_imbalance, per_run);
}
