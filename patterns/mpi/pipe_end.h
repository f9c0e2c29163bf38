/* One end of pipe_mpi's duplex pipe: it sends its stream to the other rank and receives the other's
 * at the same time, with a bounded number of sends in flight, then a close message. */
#ifndef PARKIT_PIPE_END_H
#define PARKIT_PIPE_END_H
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pipe_end_cfg {
    uint64_t messages;  /* each end sends this many */
    uint64_t max_bytes; /* message k is pk_msg_len(k, max_bytes) bytes long */
    uint64_t window;    /* sends in flight */
} pipe_end_cfg;

typedef struct pipe_end {
    int rank, peer, window;
    uint64_t messages;
    size_t max_bytes;
    unsigned char *out, *in; /* window send buffers of max_bytes each; one receive buffer */
    MPI_Request *sends;
    /* what the last run saw */
    uint64_t received, bytes_sent;
    int peer_closed, ok;
    char why[200];
} pipe_end;

int pipe_end_open(pipe_end *p, const pipe_end_cfg *cfg, int rank);
void pipe_end_close(pipe_end *p);
/* One run: both ends stream and close (collective over the two ranks). Returns this rank's time. */
double pipe_end_run(pipe_end *p);
/* Collective: 1 when both ends received every message whole and in order and then the close;
 * otherwise 0 with the first problem (rank 0's `why`). */
int pipe_end_check(pipe_end *p, char *why, size_t len);

#endif
