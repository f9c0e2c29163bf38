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

double pk_pp_run(int rank, unsigned char *sbuf, unsigned char *rbuf, uint64_t size, uint64_t it0, uint64_t n,
                 uint64_t *bad)
{
    double total = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t it = it0 + i;
        if (rank == 0) {
            pk_pp_fill(sbuf, size, it);
            double t0 = MPI_Wtime();
            MPI_Send(sbuf, (int)size, MPI_BYTE, 1, 1, MPI_COMM_WORLD);
            MPI_Recv(rbuf, (int)size, MPI_BYTE, 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            total += MPI_Wtime() - t0;
            *bad += pk_pp_errors(rbuf, size, it) != 0;
        } else {
            MPI_Recv(rbuf, (int)size, MPI_BYTE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(rbuf, (int)size, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
            /* checked after the echo: rank 0 is checking and refilling meanwhile, so this is off the clock */
            *bad += pk_pp_errors(rbuf, size, it) != 0;
        }
    }
    return total;
}
