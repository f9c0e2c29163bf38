/* The bounded producer/consumer queue on MPI ranks (see queue.h). */
#include "parkit/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/u128.h"

enum { TAG_ITEMS = 1, TAG_STOP = 2 };

static void consume(pk_queue *q, const uint64_t *v, int n, pk_u128 *sum)
{
    pk_queue_tally *t = &q->mine;
    for (int i = 0; i < n; i++) {
        uint64_t x = v[i];
        if (x < 1 || x > q->cfg.items) {
            t->out_of_range++;
            continue;
        }
        uint8_t bit = (uint8_t)(1u << ((x - 1) & 7));
        if (q->seen[(x - 1) >> 3] & bit) t->duplicates++;
        q->seen[(x - 1) >> 3] |= bit;
        *sum += (pk_u128)x * x;
        t->items++;
    }
    t->batches++;
}

void pk_queue_consume(pk_queue *q, const uint64_t *items, int n)
{
    pk_u128 sum = ((pk_u128)q->mine.sum_hi << 64) | q->mine.sum_lo;
    consume(q, items, n, &sum);
    q->mine.sum_lo = (uint64_t)sum;
    q->mine.sum_hi = (uint64_t)(sum >> 64);
}

static uint64_t batch_len(const pk_queue_cfg *cfg, uint64_t first)
{
    uint64_t left = cfg->items - (first - 1);
    return left < cfg->batch ? left : cfg->batch;
}

static void produce(pk_queue *q)
{
    const pk_queue_cfg *cfg = &q->cfg;
    uint64_t consumers = (uint64_t)q->consumers, nbatches = (cfg->items + cfg->batch - 1) / cfg->batch;
    for (uint64_t b = 0; b < nbatches; b++) {
        uint64_t c = b % consumers, slot = c * cfg->depth + (b / consumers) % cfg->depth;
        /* the slot's previous batch must have been taken before its buffer is refilled: backpressure */
        MPI_Wait(&q->reqs[slot], MPI_STATUS_IGNORE);
        uint64_t *buf = q->slots + slot * cfg->batch, first = b * cfg->batch + 1, n = batch_len(cfg, first);
        for (uint64_t i = 0; i < n; i++) buf[i] = first + i;
        MPI_Issend(buf, (int)n, MPI_UINT64_T, (int)c + 1, TAG_ITEMS, MPI_COMM_WORLD, &q->reqs[slot]);
    }
    MPI_Waitall((int)q->nslots, q->reqs, MPI_STATUSES_IGNORE);
    for (int c = 1; c <= q->consumers; c++) MPI_Send(NULL, 0, MPI_UINT64_T, c, TAG_STOP, MPI_COMM_WORLD);
}

static void consume_all(pk_queue *q, pk_u128 *sum)
{
    for (;;) {
        MPI_Status st;
        int n = 0;
        MPI_Recv(q->slots, (int)q->cfg.batch, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) break;
        MPI_Get_count(&st, MPI_UINT64_T, &n);
        consume(q, q->slots, n, sum);
    }
}

/* 1 rank: no one to send to, rank 0 consumes its own items, batch by batch, without messages. */
static void consume_own(pk_queue *q, pk_u128 *sum)
{
    for (uint64_t first = 1; first <= q->cfg.items; first += q->cfg.batch) {
        uint64_t n = batch_len(&q->cfg, first);
        for (uint64_t i = 0; i < n; i++) q->slots[i] = first + i;
        consume(q, q->slots, (int)n, sum);
    }
}

int pk_queue_open(pk_queue *q, const pk_queue_cfg *cfg)
{
    memset(q, 0, sizeof *q);
    q->cfg = *cfg;
    MPI_Comm_rank(MPI_COMM_WORLD, &q->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &q->size);
    q->consumers = q->size - 1;
    q->seen_bytes = (size_t)((cfg->items + 7) / 8);
    q->nslots = q->rank == 0 && q->consumers > 0 ? (size_t)q->consumers * cfg->depth : 1;
    q->slots = malloc(q->nslots * cfg->batch * sizeof *q->slots);
    q->reqs = malloc(q->nslots * sizeof *q->reqs);
    q->seen = calloc(q->seen_bytes ? q->seen_bytes : 1, 1);
    int ok = q->slots && q->reqs && q->seen;
    if (q->rank == 0) {
        q->seen_or = calloc(q->seen_bytes ? q->seen_bytes : 1, 1);
        q->all = calloc((size_t)q->size, sizeof *q->all); /* rank r's tally lands in all[r] */
        ok = ok && q->seen_or && q->all;
    }
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        pk_queue_close(q);
        return -1;
    }
    return 0;
}

double pk_queue_run(pk_queue *q)
{
    memset(&q->mine, 0, sizeof q->mine);
    memset(q->seen, 0, q->seen_bytes);
    for (size_t s = 0; s < q->nslots; s++) q->reqs[s] = MPI_REQUEST_NULL;
    pk_u128 sum = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    if (q->consumers == 0) consume_own(q, &sum);
    else if (q->rank == 0) produce(q);
    else consume_all(q, &sum);
    double dt = MPI_Wtime() - t0;
    q->mine.sum_lo = (uint64_t)sum;
    q->mine.sum_hi = (uint64_t)(sum >> 64);
    return dt;
}

const pk_queue_tally *pk_queue_tallies(const pk_queue *q, int *first, int *count)
{
    *first = q->consumers > 0 ? 1 : 0;
    *count = q->consumers > 0 ? q->consumers : 1;
    return q->all ? q->all + *first : NULL;
}

int pk_queue_verify(pk_queue *q, char *why, size_t len)
{
    if (q->consumers == 0) {
        q->all[0] = q->mine;
        memcpy(q->seen_or, q->seen, q->seen_bytes);
    } else {
        MPI_Gather(&q->mine, sizeof q->mine, MPI_BYTE, q->all, sizeof q->mine, MPI_BYTE, 0, MPI_COMM_WORLD);
        MPI_Reduce(q->seen, q->seen_or, (int)q->seen_bytes, MPI_UINT8_T, MPI_BOR, 0, MPI_COMM_WORLD);
    }
    if (q->rank != 0) return 1;
    int first, count;
    const pk_queue_tally *t = pk_queue_tallies(q, &first, &count);
    return pk_queue_check(&q->cfg, t, count, q->seen_or, why, len);
}

void pk_queue_close(pk_queue *q)
{
    free(q->slots);
    free(q->reqs);
    free(q->seen);
    free(q->seen_or);
    free(q->all);
    q->slots = NULL;
    q->reqs = NULL;
    q->seen = q->seen_or = NULL;
    q->all = NULL;
}

int pk_queue_check(const pk_queue_cfg *cfg, const pk_queue_tally *t, int n, const uint8_t *seen_or, char *why,
                   size_t len)
{
    uint64_t items = 0, dups = 0, bad = 0, missing = 0;
    pk_u128 sum = 0;
    for (int c = 0; c < n; c++) {
        items += t[c].items;
        dups += t[c].duplicates;
        bad += t[c].out_of_range;
        sum += ((pk_u128)t[c].sum_hi << 64) | t[c].sum_lo;
    }
    for (uint64_t v = 0; v < cfg->items; v++) missing += !(seen_or[v >> 3] & (1u << (v & 7)));
    /* N(N+1)(2N+1)/6, exact: N(N+1)/2 is an integer, and so is that times (2N+1) divided by 3 */
    pk_u128 N = cfg->items, want = N * (N + 1) / 2 * (2 * N + 1) / 3;
    char got_s[48], want_s[48];
    pk_u128_to_string(sum, got_s, sizeof got_s);
    pk_u128_to_string(want, want_s, sizeof want_s);
    if (items != cfg->items || missing || dups || bad || sum != want) {
        snprintf(why, len, "consumed %llu of %llu items: %llu missing, %llu duplicated, %llu out of range; sum of "
                 "squares %s, expected %s", (unsigned long long)items, (unsigned long long)cfg->items,
                 (unsigned long long)missing, (unsigned long long)dups, (unsigned long long)bad, got_s, want_s);
        return 0;
    }
    snprintf(why, len, "all %llu items consumed exactly once (counts and bitmaps); sum of squares %s = "
             "N(N+1)(2N+1)/6", (unsigned long long)cfg->items, want_s);
    return 1;
}
