/* The ping-pong of pingpong_mpi, as functions the program and the tests share. Ranks 0 and 1 of
 * MPI_COMM_WORLD bounce a message; its bytes follow a pattern of (size, iteration), checked on both
 * sides, outside the timer. */
#ifndef PARKIT_PINGPONG_H
#define PARKIT_PINGPONG_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PK_PP_SMALL 8192                /* up to here every size runs the full iteration count */
#define PK_PP_LARGE_BYTES (64ULL << 20) /* above: about this many bytes each way per repetition */

/* The message of `size` bytes in iteration `it`: 8-byte words of a hash of (size, it, word index). */
void pk_pp_fill(unsigned char *buf, uint64_t size, uint64_t it);
/* Words (and tail) that differ from that pattern: 0 = intact. */
uint64_t pk_pp_errors(const unsigned char *buf, uint64_t size, uint64_t it);
/* The iteration number of rank 1's answer in round trip `it` (another pattern than rank 0's). */
uint64_t pk_pp_echo_it(uint64_t it);
/* Round trips per repetition for a size: `iters` up to PK_PP_SMALL, fewer above (at least 2, at most iters). */
uint64_t pk_pp_iterations(uint64_t size, uint64_t iters);
/* Collective on ranks 0 and 1 (others must not call): n round trips, timed as one loop (OSU's
 * osu_latency method). Rank 0 sends `sbuf` filled with the pattern of (size, it0) and receives into
 * `rbuf`; rank 1 receives into its `rbuf` and answers from its own `sbuf`, filled with the pattern of
 * (size, pk_pp_echo_it(it0)). Separate send and receive buffers, never written inside the loop, as in
 * osu_latency. Receive buffers are zeroed first and checked after the loop, off the clock: each
 * rank adds 1 to *bad when the last message it received is not intact. Rank 0 returns the loop's
 * time (n round trips), rank 1 returns 0. */
double pk_pp_run(int rank, unsigned char *sbuf, unsigned char *rbuf, uint64_t size, uint64_t it0, uint64_t n,
                 uint64_t *bad);

#ifdef __cplusplus
}
#endif
#endif
