/* Counting output orders (see order.h). Runs are few (K <= 10^4) and short, so comparing each new
 * order with the distinct ones seen so far is cheap enough and needs no hashing to trust. */
#include "parkit/order.h"
#include "parkit/pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pk_order_init(pk_order_log *log, uint32_t workers, uint32_t runs)
{
    memset(log, 0, sizeof *log);
    log->seq = calloc((size_t)workers * runs + 1, sizeof *log->seq);
    if (!log->seq) return -1;
    log->workers = workers;
    log->runs = log->cap = runs;
    return 0;
}

void pk_order_free(pk_order_log *log)
{
    free(log->seq);
    log->seq = NULL;
}

uint32_t *pk_order_run(pk_order_log *log, uint32_t r) { return log->seq + (size_t)r * log->workers; }

static const uint32_t *run_of(const pk_order_log *log, uint32_t r) { return log->seq + (size_t)r * log->workers; }

static int same(const pk_order_log *log, uint32_t a, uint32_t b)
{
    return memcmp(run_of(log, a), run_of(log, b), log->workers * sizeof(uint32_t)) == 0;
}

/* distinct orders in order of first appearance; count[k] runs had order k */
static uint32_t distinct_orders(const pk_order_log *log, uint32_t *first, uint32_t *count)
{
    uint32_t n = 0;
    for (uint32_t r = 0; r < log->runs; r++) {
        uint32_t k = 0;
        while (k < n && !same(log, first[k], r)) k++;
        if (k == n) {
            first[n] = r;
            count[n++] = 0;
        }
        count[k]++;
    }
    return n;
}

pk_order_summary pk_order_summarize(const pk_order_log *log, char *why, size_t whylen)
{
    pk_order_summary s = {.every_run_complete = 1, .all_in_worker_order = 1};
    if (whylen) why[0] = '\0';
    unsigned char *seen = calloc(log->workers + 1, 1);
    uint32_t *first = calloc(log->runs + 1, sizeof *first), *count = calloc(log->runs + 1, sizeof *count);
    if (!seen || !first || !count) {
        snprintf(why, whylen, "out of memory summarizing %u runs", log->runs);
        s.every_run_complete = 0;
        goto out;
    }
    for (uint32_t r = 0; r < log->runs && s.every_run_complete; r++) {
        memset(seen, 0, log->workers);
        const uint32_t *q = run_of(log, r);
        for (uint32_t i = 0; i < log->workers; i++) {
            if (q[i] >= log->workers || seen[q[i]]) {
                s.every_run_complete = 0;
                snprintf(why, whylen, "run %u: line %u is from worker %u, %s", r + 1, i + 1, q[i],
                         q[i] >= log->workers ? "who does not exist" : "who had already printed");
                break;
            }
            seen[q[i]] = 1;
            if (q[i] != i) s.all_in_worker_order = 0;
        }
    }
    s.distinct = distinct_orders(log, first, count);
    for (uint32_t k = 0; k < s.distinct; k++)
        if (count[k] > s.top_count) {
            s.top_count = count[k];
            s.top_run = first[k];
        }
out:
    free(seen);
    free(first);
    free(count);
    return s;
}

uint32_t pk_order_distinct(const pk_order_log *log, uint32_t show, uint32_t *first_run, uint32_t *count)
{
    uint32_t *first = calloc(log->runs + 1, sizeof *first), *cnt = calloc(log->runs + 1, sizeof *cnt);
    uint32_t n = 0;
    if (first && cnt) {
        n = distinct_orders(log, first, cnt);
        if (n > show) n = show;
        memcpy(first_run, first, n * sizeof *first);
        memcpy(count, cnt, n * sizeof *cnt);
    }
    free(first);
    free(cnt);
    return n;
}

void pk_order_text(const pk_order_log *log, uint32_t r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    const uint32_t *q = run_of(log, r);
    for (uint32_t i = 0; i < log->workers && used < len; i++) {
        int n = i == 32 ? snprintf(buf + used, len - used, " ...") : snprintf(buf + used, len - used, "%s%u", i ? " " : "", q[i]);
        if (n < 0) break;
        used += (size_t)n;
        if (i == 32) break;
    }
}

int pk_order_verdict(const pk_order_log *log, int ordered, int work_ok, char *why, size_t len)
{
    char bad[200];
    pk_order_summary s = pk_order_summarize(log, bad, sizeof bad);
    if (!s.every_run_complete) {
        snprintf(why, len, "%s", bad);
        return 0;
    }
    if (!work_ok) {
        snprintf(why, len, "a worker's result was wrong (see work_check)");
        return 0;
    }
    if (ordered && (s.distinct != 1 || !s.all_in_worker_order)) {
        snprintf(why, len, "ordered, yet %u distinct order%s in %u runs%s", s.distinct, s.distinct == 1 ? "" : "s",
                 log->runs, s.distinct == 1 ? " (not 0, 1, 2, ...)" : "");
        return 0;
    }
    if (ordered)
        snprintf(why, len, "every one of %u runs printed workers 0..%u in order; every line once, every result checked",
                 log->runs, log->workers - 1);
    else
        snprintf(why, len, "every line printed once per run, every result checked; %u distinct order%s in %u runs "
                 "(not judged: any order is correct)", s.distinct, s.distinct == 1 ? "" : "s", log->runs);
    return 1;
}

const pk_col pk_order_cols[] = {
    {"order", "Order", 7, 1},
    {"runs", "Runs", 6, 1},
    {"sequence", "Sequence (worker of each line)", 40, 0},
};
const size_t pk_order_ncols = sizeof pk_order_cols / sizeof pk_order_cols[0];

void pk_order_report(const pk_order_log *log, uint32_t show, pk_report *r, pk_table *t)
{
    char bad[200], text[200];
    pk_order_summary s = pk_order_summarize(log, bad, sizeof bad);
    pk_report_num(r, "runs", "%u", log->runs);
    pk_report_num(r, "workers", "%u", log->workers);
    pk_report_num(r, "distinct_orders", "%u", s.distinct);
    pk_order_text(log, s.top_run, text, sizeof text);
    pk_report_str(r, "most_frequent_order", "%s", text);
    pk_report_num(r, "most_frequent_order_runs", "%u", s.top_count);
    uint32_t first[16], count[16];
    uint32_t n = pk_order_distinct(log, show < 16 ? show : 16, first, count);
    for (uint32_t k = 0; k < n; k++) {
        size_t row = pk_table_row(t);
        pk_order_text(log, first[k], text, sizeof text);
        pk_table_set(t, row, 0, "%u", k + 1);
        pk_table_set(t, row, 1, "%u", count[k]);
        pk_table_set(t, row, 2, "%s", text);
    }
}
