/* Ping-pong with checked contents (see pingpong.h). */
#include "parkit/pingpong.h"

#include <mpi.h>
#include <string.h>

#include "parkit/pattern_work.h"

#define WORD_MIX 0xD6E8FEB86659FD93ULL

static uint64_t seed_of(uint64_t size, uint64_t it) { return pk_mix64(size * 0x9E3779B97F4A7C15ULL ^ it); }

void pk_pp_fill(unsigned char *buf, uint64_t size, uint64_t it)
{
    uint64_t seed = seed_of(size, it), words = size / 8;
    for (uint64_t w = 0; w < words; w++) {
        uint64_t v = seed ^ (w * WORD_MIX);
        memcpy(buf + 8 * w, &v, 8);
    }
    uint64_t tail = seed ^ (words * WORD_MIX);
    memcpy(buf + 8 * words, &tail, size % 8);
}

uint64_t pk_pp_errors(const unsigned char *buf, uint64_t size, uint64_t it)
{
    uint64_t seed = seed_of(size, it), words = size / 8, bad = 0;
    for (uint64_t w = 0; w < words; w++) {
        uint64_t v = seed ^ (w * WORD_MIX), got;
        memcpy(&got, buf + 8 * w, 8);
        bad += got != v;
    }
    uint64_t tail = seed ^ (words * WORD_MIX);
    if (size % 8 && memcmp(buf + 8 * words, &tail, size % 8) != 0) bad++;
    return bad;
}

uint64_t pk_pp_iterations(uint64_t size, uint64_t iters)
{
    if (size <= PK_PP_SMALL) return iters;
    uint64_t n = PK_PP_LARGE_BYTES / size;
    if (n < 2) n = 2;
    return n < iters ? n : iters;
}

/* OSU's method (osu_latency): the timer runs around the whole loop of n round trips (per round trip,
 * two MPI_Wtime calls cost ~0.02 us of a 0.15 us latency), and each rank sends a buffer that the
 * loop never writes. Filling the send buffer before every round trip, as this program once did,
 * timed something else: the receiver's copy then reads lines the sender has just dirtied in its own
 * cache, a cross-core transfer per line (64 KiB: 12-14 us one way against osu_latency's 5.6-7.5 us
 * on the same machine). Contents are still checked, outside the timer: each rank fills its send
 * buffer (rank 0 with pattern it0, rank 1 with the echo pattern), poisons its receive buffer,
 * and after the loop checks that the last message of its direction arrived intact. The poison makes
 * a message that never arrived (or arrived short) fail the check. */
uint64_t pk_pp_echo_it(uint64_t it) { return it ^ (1ULL << 63); }

double pk_pp_run(int rank, unsigned char *sbuf, unsigned char *rbuf, uint64_t size, uint64_t it0, uint64_t n,
                 uint64_t *bad)
{
    const uint64_t send_it = rank == 0 ? it0 : pk_pp_echo_it(it0), recv_it = rank == 0 ? pk_pp_echo_it(it0) : it0;
    /* written only when it does not hold the pattern yet: repetitions of one size reuse it0, so the
     * send buffer stays clean in the caches from the first repetition on (a rewrite of the same
     * bytes would still invalidate the peer's copies of every line) */
    if (pk_pp_errors(sbuf, size, send_it) != 0) pk_pp_fill(sbuf, size, send_it);
    memset(rbuf, 0, size); /* a pattern word is zero with probability 2^-64 */
    const int peer = 1 - rank, count = (int)size;
    double t0 = MPI_Wtime();
    if (rank == 0)
        for (uint64_t i = 0; i < n; i++) {
            MPI_Send(sbuf, count, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            MPI_Recv(rbuf, count, MPI_BYTE, peer, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
    else
        for (uint64_t i = 0; i < n; i++) {
            MPI_Recv(rbuf, count, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(sbuf, count, MPI_BYTE, peer, 2, MPI_COMM_WORLD);
        }
    double t = MPI_Wtime() - t0;
    if (n) *bad += pk_pp_errors(rbuf, size, recv_it) != 0;
    return rank == 0 ? t : 0.0;
}
