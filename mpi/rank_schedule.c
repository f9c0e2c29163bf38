#include "parkit/rank_schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pk_rank_schedule_choose(const char *option, int holds_data, pk_schedule *s, const char **source, char *err,
                            size_t errlen)
{
    const char *env = getenv(PK_RANK_SCHEDULE_ENV);
    const char *text = option ? option : env;
    const char *from = option ? "--rank-schedule" : PK_RANK_SCHEDULE_ENV;
    if (!text) {
        s->kind = holds_data ? PK_SCHED_STATIC : PK_SCHED_GUIDED;
        s->chunk = 0;
        *source = "default";
        return 0;
    }
    char why[160];
    if (pk_schedule_parse(text, s, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s '%s' is not valid: %s", from, text, why);
        return -1;
    }
    if (holds_data && (s->kind != PK_SCHED_STATIC || s->chunk != 0)) {
        snprintf(err, errlen, "%s '%s': this kernel reads data each rank holds for its own static slice, so only "
                 "the plain static rank schedule can run it", from, text);
        return -1;
    }
    *source = option ? "option" : "environment";
    return 0;
}

/* The counter's window: one uint64_t on rank 0, none elsewhere, and a shared lock on every rank for
 * the window's whole life (lock_all), so that a claim is one atomic plus a flush, with no lock
 * traffic. Returns 1 when every rank has it. The window is made on a duplicate communicator that
 * returns errors instead of aborting: an MPI library may have no one-sided transport between the
 * job's nodes (Open MPI with its osc/pt2pt component excluded, as Debian's default configuration
 * does: pk_mpi_init re-enables it), and MPI_Win_allocate then fails on every rank. The duplicate is
 * kept: rank 0 probes it to make progress (serve_claims), and no other message ever travels on it. */
static int open_counter(pk_rank_schedule *rs)
{
    MPI_Comm_dup(rs->comm, &rs->wcomm);
    MPI_Comm_set_errhandler(rs->wcomm, MPI_ERRORS_RETURN);
    MPI_Aint bytes = rs->rank == 0 ? (MPI_Aint)sizeof(uint64_t) : 0;
    int ok = MPI_Win_allocate(bytes, (int)sizeof(uint64_t), MPI_INFO_NULL, rs->wcomm, &rs->counter, &rs->win) ==
             MPI_SUCCESS;
    if (!ok) rs->win = MPI_WIN_NULL;
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, rs->comm);
    if (all) {
        MPI_Win_lock_all(MPI_MODE_NOCHECK, rs->win);
    } else {
        if (ok) MPI_Win_free(&rs->win);
        MPI_Comm_free(&rs->wcomm);
    }
    return all;
}

void pk_rank_schedule_open(pk_rank_schedule *rs, const pk_schedule *s, MPI_Comm comm)
{
    memset(rs, 0, sizeof *rs);
    rs->comm = comm;
    rs->wcomm = MPI_COMM_NULL;
    rs->win = MPI_WIN_NULL;
    rs->requested = *s;
    rs->schedule = *s;
    MPI_Comm_rank(comm, &rs->rank);
    MPI_Comm_size(comm, &rs->size);
    if (pk_schedule_on_demand(s) && !open_counter(rs)) {
        /* no one-sided MPI here: deal small chunks round-robin instead, which still spreads
         * uneven costs evenly when they vary smoothly (the caller warns) */
        rs->schedule.kind = PK_SCHED_STATIC;
        rs->schedule.chunk = s->chunk ? s->chunk : 1;
        rs->fallback = 1;
    }
}

void pk_rank_schedule_close(pk_rank_schedule *rs)
{
    if (rs->win != MPI_WIN_NULL) {
        MPI_Win_unlock_all(rs->win);
        MPI_Win_free(&rs->win);
        rs->win = MPI_WIN_NULL;
    }
    if (rs->wcomm != MPI_COMM_NULL) MPI_Comm_free(&rs->wcomm);
}

uint64_t pk_rank_schedule_claim(const pk_rank_schedule *rs)
{
    const uint64_t one = 1;
    uint64_t got = 0;
    MPI_Fetch_and_op(&one, &got, MPI_UINT64_T, 0, 0, MPI_SUM, rs->win);
    MPI_Win_flush(0, rs->win);
    return got;
}

/* Rank 0 sets the counter back to 0 (atomically, like the claims) between two barriers: the first
 * one waits until every rank's last claim of the previous run is done (a rank still finishing it
 * would otherwise take this run's chunk 0), the second keeps every rank from claiming before the
 * reset (it would read the previous run's exhausted counter and skip this run's work). */
static void reset(const pk_rank_schedule *rs)
{
    MPI_Barrier(rs->comm);
    if (rs->rank == 0) {
        const uint64_t zero = 0;
        uint64_t old;
        MPI_Fetch_and_op(&zero, &old, MPI_UINT64_T, 0, 0, MPI_REPLACE, rs->win);
        MPI_Win_flush(0, rs->win);
    }
    MPI_Barrier(rs->comm);
}

/* Between two of its blocks, rank 0 (the counter's owner) lets its MPI library progress. A claim is a
 * passive-target atomic on rank 0's memory: where the transport can do it in hardware (shared memory
 * on one node, RDMA) rank 0 plays no part, but otherwise (Open MPI's osc/pt2pt over TCP, MPICH over
 * TCP and in its default shared-memory path) the request waits until rank 0 itself enters MPI, which
 * a rank computing a large chunk does not do for a long time: the claimant then idles. One probe of a
 * silent communicator drives the progress engine. Over TCP one probe costs microseconds (a poll of
 * the sockets), so it is made at most every PROGRESS_EVERY_S seconds and cheap blocks pay only a clock
 * read; claims are made ahead (claim_start), so this wait overlaps the claimant's current chunk. The
 * interval balances rank 0's probing against the claimants' waits at the end of a run, where guided's
 * chunks are short (bench/README.md, "Rank schedules across hosts"). MPICH's asynchronous progress
 * thread would do the same at the price of a core. */
#define PROGRESS_EVERY_S 200e-6

typedef struct serve_state {
    MPI_Comm comm;
    double last;
} serve_state;

static void serve_claims(void *ctx)
{
    serve_state *s = ctx;
    double now = MPI_Wtime();
    if (now - s->last < PROGRESS_EVERY_S) return;
    s->last = now;
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, s->comm, &flag, MPI_STATUS_IGNORE);
}

/* A claim made ahead: the index of a rank's next chunk is requested (MPI_Rget_accumulate, the request
 * form of a fetch-and-add) before its current chunk is computed, so that the round trip to rank 0 (tens
 * of microseconds over TCP, plus the wait for rank 0's next progress call) overlaps the work instead of
 * idling the rank between chunks. The claim is as atomic as MPI_Fetch_and_op: every index still goes
 * to exactly one claim. A rank thus holds at most one chunk in reserve, which under guided costs at
 * most one of the last, smallest chunks of balance. */
typedef struct claim {
    uint64_t got;
    MPI_Request req;
} claim;

static void claim_start(const pk_rank_schedule *rs, claim *c)
{
    static const uint64_t one = 1;
    MPI_Rget_accumulate(&one, 1, MPI_UINT64_T, &c->got, 1, MPI_UINT64_T, 0, 0, 1, MPI_UINT64_T, MPI_SUM, rs->win,
                        &c->req);
}

static uint64_t claim_end(claim *c)
{
    MPI_Wait(&c->req, MPI_STATUS_IGNORE); /* complete: the fetched value has arrived */
    return c->got;
}

/* What computes a rank's chunks: its team, with the tally of its threads when the run is counted. */
typedef struct chunk_worker {
    const pk_team *team;
    pk_tally *threads; /* NULL: not counted, or the team is one thread (the rank's share is its thread's) */
} chunk_worker;

static void compute_chunk(pk_rank_schedule *rs, const chunk_worker *w, const pk_kernel *k, const pk_job *job,
                          uint64_t b0, uint64_t i, void *local, pk_share *count)
{
    pk_range c = pk_chunks_at(&rs->chunks, i);
    if (c.lo >= c.hi) return;
    c.lo += b0, c.hi += b0;
    pk_result part;
    double t0 = MPI_Wtime();
    if (w->threads) w->team->compute_tallied(k, job, c.lo, c.hi, &part, w->threads);
    else w->team->compute(k, job, c.lo, c.hi, &part);
    k->combine(local, &part);
    pk_share_add(count, c.hi - c.lo, MPI_Wtime() - t0);
}

void pk_rank_schedule_run(pk_rank_schedule *rs, const pk_team *team, pk_tally *threads, const pk_kernel *k,
                          const pk_job *job, uint64_t b0, uint64_t b1, void *local, pk_share *mine)
{
    pk_share count = {0, 0};
    chunk_worker w = {.team = team, .threads = team->compute_tallied ? threads : NULL};
    k->identity(local);
    pk_chunks *c = &rs->chunks;
    pk_chunks_init(c, &rs->schedule, b1 > b0 ? b1 - b0 : 0, (uint64_t)rs->size);
    if (!pk_schedule_on_demand(&rs->schedule)) {
        for (uint64_t i = (uint64_t)rs->rank; i < c->count; i += c->workers)
            compute_chunk(rs, &w, k, job, b0, i, local, &count);
    } else {
        pk_job served = *job;
        serve_state serve = {.comm = rs->wcomm, .last = 0};
        if (rs->rank == 0 && rs->size > 1) {
            served.between_blocks = serve_claims;
            served.between_ctx = &serve;
        }
        reset(rs);
        claim ahead;
        claim_start(rs, &ahead);
        for (uint64_t i = claim_end(&ahead); i < c->count; i = claim_end(&ahead)) {
            claim_start(rs, &ahead);
            compute_chunk(rs, &w, k, &served, b0, i, local, &count);
        }
    }
    if (mine) {
        mine->blocks += count.blocks;
        mine->busy_s += count.busy_s;
    }
}
