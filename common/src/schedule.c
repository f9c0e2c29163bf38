#include "parkit/schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {"static", "dynamic", "guided"};

/* Plain decimal digits only (the OMP_SCHEDULE grammar): no sign, no exponent, no suffix. */
static int parse_chunk(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 20) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (v < 1 || v > PK_SCHEDULE_MAX_CHUNK) return -1;
    *out = v;
    return 0;
}

int pk_schedule_parse(const char *text, pk_schedule *s, char *err, size_t errlen)
{
    const char *p = text ? text : "";
    while (isspace((unsigned char)*p)) p++;
    size_t len = strlen(p);
    while (len > 0 && isspace((unsigned char)p[len - 1])) len--;
    const char *comma = memchr(p, ',', len);
    size_t klen = comma ? (size_t)(comma - p) : len;
    int kind = -1;
    for (int i = 0; i < 3; i++)
        if (klen == strlen(kind_names[i]) && strncasecmp(p, kind_names[i], klen) == 0) kind = i;
    uint64_t chunk = 0;
    if (kind < 0 || (comma && parse_chunk(comma + 1, len - klen - 1, &chunk) != 0)) {
        snprintf(err, errlen, "expected static, dynamic or guided, optionally with a chunk of 1..%llu blocks "
                 "(e.g. dynamic,4)", (unsigned long long)PK_SCHEDULE_MAX_CHUNK);
        return -1;
    }
    s->kind = (pk_sched_kind)kind;
    s->chunk = chunk;
    return 0;
}

void pk_schedule_format(const pk_schedule *s, char *buf, size_t len)
{
    if (s->chunk) snprintf(buf, len, "%s,%llu", kind_names[s->kind], (unsigned long long)s->chunk);
    else snprintf(buf, len, "%s", kind_names[s->kind]);
}

int pk_schedule_on_demand(const pk_schedule *s) { return s->kind != PK_SCHED_STATIC; }

static uint64_t min_chunk(const pk_schedule *s) { return s->chunk ? s->chunk : 1; }

/* Guided chunk sizes depend only on what remains, so every rank derives the same boundaries. */
static uint64_t guided_next(uint64_t remaining, uint64_t workers, uint64_t least)
{
    uint64_t share = remaining / (2 * workers) + (remaining % (2 * workers) != 0);
    if (share < least) share = least;
    return share < remaining ? share : remaining;
}

void pk_chunks_init(pk_chunks *c, const pk_schedule *s, uint64_t nblocks, uint64_t workers)
{
    memset(c, 0, sizeof *c);
    c->schedule = *s;
    c->nblocks = nblocks;
    c->workers = workers ? workers : 1;
    uint64_t least = min_chunk(s);
    if (s->kind == PK_SCHED_STATIC && s->chunk == 0) c->count = c->workers;
    else if (s->kind != PK_SCHED_GUIDED) c->count = nblocks / least + (nblocks % least != 0);
    else
        for (uint64_t done = 0; done < nblocks; c->count++) done += guided_next(nblocks - done, c->workers, least);
}

pk_range pk_chunks_at(pk_chunks *c, uint64_t i)
{
    pk_range r = {0, 0};
    if (i >= c->count) return r;
    if (c->schedule.kind == PK_SCHED_STATIC && c->schedule.chunk == 0)
        return pk_partition(c->nblocks, c->workers, i);
    uint64_t least = min_chunk(&c->schedule);
    if (c->schedule.kind == PK_SCHED_GUIDED) {
        if (i < c->cursor) c->cursor = c->cursor_start = 0; /* walked past it: start over */
        for (; c->cursor < i; c->cursor++)
            c->cursor_start += guided_next(c->nblocks - c->cursor_start, c->workers, least);
        r.lo = c->cursor_start;
        r.hi = r.lo + guided_next(c->nblocks - r.lo, c->workers, least);
        return r;
    }
    r.lo = i * least;
    r.hi = c->nblocks - r.lo > least ? r.lo + least : c->nblocks;
    return r;
}
