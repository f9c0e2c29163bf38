/* The ring exchange of deadlock_mpi, with bounded waits (see ring.h). */
#include "ring.h"

#include <stdio.h>
#include <time.h>

/* Polls until every request in r[0..n) completed or `watchdog` seconds passed: 1 or 0. The first
 * millisecond spins (a healthy exchange finishes well within it); after that the rank naps between
 * tests so that a stuck rank does not take a core from the others. */
static int wait_within(MPI_Request *r, int n, double watchdog, double *waited)
{
    const struct timespec nap = {0, 100000};
    double t0 = MPI_Wtime();
    int done = 0;
    for (;;) {
        MPI_Testall(n, r, &done, MPI_STATUSES_IGNORE);
        if (done) return 1;
        double dt = MPI_Wtime() - t0;
        if (dt > watchdog) {
            *waited = dt;
            return 0;
        }
        if (dt > 1e-3) nanosleep(&nap, NULL);
    }
}

/* MPI_Ssend and MPI_Recv, each with a deadline. */
static int ssend_within(const ring_cfg *cfg, ring_state *st, const unsigned char *out, int tag)
{
    MPI_Issend(out, (int)cfg->bytes, MPI_BYTE, st->right, tag, MPI_COMM_WORLD, &st->send);
    if (wait_within(&st->send, 1, cfg->watchdog_s, &st->waited_s)) return 1;
    st->blocked = RING_IN_SEND;
    return 0;
}

static int recv_within(const ring_cfg *cfg, ring_state *st, unsigned char *in, int tag)
{
    MPI_Irecv(in, (int)cfg->bytes, MPI_BYTE, st->left, tag, MPI_COMM_WORLD, &st->recv);
    if (wait_within(&st->recv, 1, cfg->watchdog_s, &st->waited_s)) return 1;
    st->blocked = RING_IN_RECV;
    return 0;
}

int ring_exchange(const ring_cfg *cfg, ring_state *st, const unsigned char *out, unsigned char *in, int tag)
{
    st->send = st->recv = MPI_REQUEST_NULL;
    st->blocked = RING_NOT_BLOCKED;
    st->waited_s = 0;
    switch (cfg->mode) {
    case RING_CYCLE: /* everyone sends first: no receive is ever posted */
        return ssend_within(cfg, st, out, tag) && recv_within(cfg, st, in, tag);
    case RING_SENDRECV:
        MPI_Sendrecv(out, (int)cfg->bytes, MPI_BYTE, st->right, tag, in, (int)cfg->bytes, MPI_BYTE, st->left, tag,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return 1;
    case RING_NONBLOCKING: {
        /* the receive is posted before anything waits, so every send finds it */
        MPI_Request r[2];
        MPI_Irecv(in, (int)cfg->bytes, MPI_BYTE, st->left, tag, MPI_COMM_WORLD, &r[0]);
        MPI_Isend(out, (int)cfg->bytes, MPI_BYTE, st->right, tag, MPI_COMM_WORLD, &r[1]);
        if (wait_within(r, 2, cfg->watchdog_s, &st->waited_s)) return 1;
        st->recv = r[0];
        st->send = r[1];
        st->blocked = r[0] != MPI_REQUEST_NULL ? RING_IN_RECV : RING_IN_SEND;
        return 0;
    }
    case RING_ODDEVEN: /* even ranks send while odd ranks receive, then the other way round */
        if (st->rank % 2 == 0) return ssend_within(cfg, st, out, tag) && recv_within(cfg, st, in, tag);
        return recv_within(cfg, st, in, tag) && ssend_within(cfg, st, out, tag);
    }
    return 0;
}

int ring_unwind(const ring_cfg *cfg, ring_state *st, unsigned char *scratch, int tag)
{
    /* who is stuck in a send to its right neighbour? */
    int mine = st->send != MPI_REQUEST_NULL, left_sending = 0;
    MPI_Request r[3] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    MPI_Sendrecv(&mine, 1, MPI_INT, st->right, 0x7fff, &left_sending, 1, MPI_INT, st->left, 0x7fff, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    if (left_sending && st->recv == MPI_REQUEST_NULL) /* the receive the ring never reached */
        MPI_Irecv(scratch, (int)cfg->bytes, MPI_BYTE, st->left, tag, MPI_COMM_WORLD, &r[0]);
    if (!left_sending && st->recv != MPI_REQUEST_NULL) MPI_Cancel(&st->recv); /* nobody will send it */
    r[1] = st->send;
    r[2] = st->recv;
    double waited = 0;
    int ok = wait_within(r, 3, cfg->watchdog_s, &waited);
    st->send = st->recv = MPI_REQUEST_NULL;
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

const char *ring_mode_name(ring_mode m)
{
    static const char *names[] = {"cycle", "sendrecv", "nonblocking", "oddeven"};
    return names[m];
}

void ring_block_text(ring_block b, int peer, char *buf, size_t len)
{
    if (b == RING_IN_SEND) snprintf(buf, len, "MPI_Ssend to rank %d", peer);
    else if (b == RING_IN_RECV) snprintf(buf, len, "MPI_Recv from rank %d", peer);
    else snprintf(buf, len, "-");
}
