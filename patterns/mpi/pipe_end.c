/* pipe_mpi's duplex stream (see pipe_end.h). One loop per end keeps both directions moving: it
 * refills the send window and takes whatever has arrived, never blocking on either alone. */
#include "pipe_end.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/message.h"

enum { TAG_DATA = 1, TAG_CLOSE = 2 };

int pipe_end_open(pipe_end *p, const pipe_end_cfg *cfg, int rank)
{
    memset(p, 0, sizeof *p);
    p->rank = rank;
    p->peer = 1 - rank;
    p->window = (int)cfg->window;
    p->messages = cfg->messages;
    p->max_bytes = (size_t)cfg->max_bytes;
    p->out = malloc((size_t)p->window * (p->max_bytes + 1));
    p->in = malloc(p->max_bytes + 1);
    p->sends = malloc((size_t)p->window * sizeof *p->sends);
    if (!p->out || !p->in || !p->sends) {
        pipe_end_close(p);
        return -1;
    }
    return 0;
}

void pipe_end_close(pipe_end *p)
{
    free(p->out);
    free(p->in);
    free(p->sends);
    p->out = p->in = NULL;
    p->sends = NULL;
}

/* The message that just arrived: the next in sequence, whole? */
static void take(pipe_end *p, const MPI_Status *st)
{
    int len = 0;
    MPI_Get_count(st, MPI_BYTE, &len);
    if (st->MPI_TAG == TAG_CLOSE) {
        p->peer_closed = 1;
        if (p->ok && p->received != p->messages) {
            p->ok = 0;
            snprintf(p->why, sizeof p->why, "rank %d: the pipe closed after %llu of %llu messages", p->rank,
                     (unsigned long long)p->received, (unsigned long long)p->messages);
        }
        return;
    }
    uint64_t k = p->received++;
    size_t want = pk_msg_len(k, p->max_bytes);
    char why[160];
    if (!p->ok) return;
    if (k >= p->messages || (size_t)len != want) {
        p->ok = 0;
        snprintf(p->why, sizeof p->why, "rank %d: message %llu is %d bytes, expected %zu", p->rank,
                 (unsigned long long)k, len, want);
    } else if (!pk_msg_check(p->in, want, (uint64_t)p->peer, k, why, sizeof why)) {
        p->ok = 0;
        snprintf(p->why, sizeof p->why, "rank %d: %s", p->rank, why);
    }
}

/* A free send slot: an idle one, or one whose send has completed; -1 when the window is full. */
static int free_slot(pipe_end *p)
{
    for (int w = 0; w < p->window; w++)
        if (p->sends[w] == MPI_REQUEST_NULL) return w;
    int slot = MPI_UNDEFINED, done = 0;
    MPI_Testany(p->window, p->sends, &slot, &done, MPI_STATUS_IGNORE);
    return done && slot != MPI_UNDEFINED ? slot : -1;
}

double pipe_end_run(pipe_end *p)
{
    p->received = p->bytes_sent = 0;
    p->peer_closed = 0;
    p->ok = 1;
    p->why[0] = '\0';
    for (int w = 0; w < p->window; w++) p->sends[w] = MPI_REQUEST_NULL;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    uint64_t next = 0; /* next message to send */
    MPI_Request recv, close = MPI_REQUEST_NULL;
    int close_posted = 0, drained = 0;
    MPI_Irecv(p->in, (int)p->max_bytes, MPI_BYTE, p->peer, MPI_ANY_TAG, MPI_COMM_WORLD, &recv);
    /* Never block in one direction: an end that waited for its own sends to drain without receiving
     * would deadlock against the other end doing the same, once messages are too big to be buffered. */
    while (!drained || !p->peer_closed) {
        int progress = 0;
        int slot = next < p->messages ? free_slot(p) : -1;
        if (slot >= 0) { /* write while the window has room */
            unsigned char *buf = p->out + (size_t)slot * (p->max_bytes + 1);
            size_t len = pk_msg_len(next, p->max_bytes);
            pk_msg_fill(buf, len, (uint64_t)p->rank, next);
            MPI_Isend(buf, (int)len, MPI_BYTE, p->peer, TAG_DATA, MPI_COMM_WORLD, &p->sends[slot]);
            p->bytes_sent += len;
            next++;
            progress = 1;
        } else if (next == p->messages && !close_posted) {
            /* conn.close(): MPI keeps it behind the data sent before it (non-overtaking) */
            MPI_Isend(NULL, 0, MPI_BYTE, p->peer, TAG_CLOSE, MPI_COMM_WORLD, &close);
            close_posted = 1;
        } else if (close_posted && !drained) {
            int sends_done = 0, close_done = 0;
            MPI_Testall(p->window, p->sends, &sends_done, MPI_STATUSES_IGNORE);
            MPI_Test(&close, &close_done, MPI_STATUS_IGNORE);
            drained = sends_done && close_done;
        }
        /* read whatever has arrived */
        int arrived = 0;
        MPI_Status st;
        if (!p->peer_closed) MPI_Test(&recv, &arrived, &st);
        if (arrived) {
            take(p, &st);
            if (!p->peer_closed)
                MPI_Irecv(p->in, (int)p->max_bytes, MPI_BYTE, p->peer, MPI_ANY_TAG, MPI_COMM_WORLD, &recv);
            progress = 1;
        }
        if (!progress) sched_yield(); /* nothing to do: let the other end (or anyone) have the core */
    }
    return MPI_Wtime() - t0;
}

int pipe_end_check(pipe_end *p, char *why, size_t len)
{
    int mine = p->ok && p->peer_closed, both = 0;
    MPI_Allreduce(&mine, &both, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    char other[sizeof p->why];
    /* rank 1's story travels to rank 0, which reports */
    if (p->rank == 1) MPI_Send(p->why, (int)sizeof p->why, MPI_CHAR, 0, 3, MPI_COMM_WORLD);
    else MPI_Recv(other, (int)sizeof other, MPI_CHAR, 1, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (both) {
        snprintf(why, len, "both ends received all %llu messages whole and in order, then the close",
                 (unsigned long long)p->messages);
        return 1;
    }
    snprintf(why, len, "%s", p->why[0] ? p->why : p->rank == 0 && other[0] ? other : "a message or the close is missing");
    return 0;
}
