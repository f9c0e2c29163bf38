/* One exchange around a ring of ranks: every rank sends a message to its right neighbour
 * (rank + 1 mod P) and receives one from its left, in one of four ways (deadlock_mpi's modes):
 *   cycle       MPI_Ssend right, then MPI_Recv left: every rank is sending, nobody receives: deadlock
 *   sendrecv    MPI_Sendrecv: the library pairs the send and the receive
 *   nonblocking MPI_Irecv + MPI_Isend, then wait for both
 *   oddeven     even ranks send first then receive, odd ranks receive first then send
 * Every wait is bounded: a synchronous send is posted as MPI_Issend and a receive as MPI_Irecv, then
 * polled with MPI_Test until a deadline (MPI_Issend followed by a wait is what MPI_Ssend is, by the
 * standard's definition), so a deadlock is seen, not suffered. */
#ifndef PARKIT_RING_H
#define PARKIT_RING_H
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ring_mode { RING_CYCLE, RING_SENDRECV, RING_NONBLOCKING, RING_ODDEVEN } ring_mode;

typedef struct ring_cfg {
    ring_mode mode;
    size_t bytes;      /* per message */
    double watchdog_s; /* the longest one wait may take before this rank declares itself stuck */
} ring_cfg;

/* Where a rank was when its deadline passed. */
typedef enum ring_block { RING_NOT_BLOCKED, RING_IN_SEND, RING_IN_RECV } ring_block;

typedef struct ring_state {
    int rank, size, left, right;
    MPI_Request send, recv; /* pending requests when stuck, else MPI_REQUEST_NULL */
    ring_block blocked;
    double waited_s;
} ring_state;

/* One exchange of round `tag`: sends out[0..bytes), receives into in[0..bytes). Returns 1 when it
 * completed; 0 when this rank's deadline passed (st->blocked says where, requests stay pending). */
int ring_exchange(const ring_cfg *cfg, ring_state *st, const unsigned char *out, unsigned char *in, int tag);

/* After every rank agreed that someone is stuck: completes or cancels every pending request on every
 * rank (a rank whose left neighbour is stuck in its send posts the receive it never reached), so
 * that all ranks can finalize. Collective. Returns 1, or 0 when a request still did not complete
 * within the watchdog (the caller then aborts the job: every rank has reported by then). */
int ring_unwind(const ring_cfg *cfg, ring_state *st, unsigned char *scratch, int tag);

const char *ring_mode_name(ring_mode m);
/* "MPI_Ssend to rank 1" / "MPI_Recv from rank 3" / "-" */
void ring_block_text(ring_block b, int peer, char *buf, size_t len);

#endif
