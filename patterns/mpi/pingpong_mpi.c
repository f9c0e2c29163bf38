/* pingpong_mpi: what a message between two processes costs -- the price of "processes have private
 * memory, they talk through messages". Rank 0 sends a message of S bytes, rank 1 sends it straight
 * back; latency = half the round trip, bandwidth = S / latency, for S = 0, 1, 2, 4, ... up to
 * --max-size (default 64 MiB). Output is an OSU-style table ('#' lines, then fixed-width columns):
 * a gnuplot data file as it is, e.g.  plot "pp.txt" using 1:3 with lines  (latency vs size).
 *   mpirun -np 2 ./pingpong_mpi
 *   mpirun -np 2 ./pingpong_mpi --max-size 4Ki --iterations 1000 --json
 * Timing is osu_latency's: one timer around a loop of round trips (after a warm-up repetition),
 * latency = loop time / (2 x round trips); each rank sends from a buffer the loop never writes and
 * receives into another. Contents are checked outside the timer: the messages follow a pattern of
 * the size and the direction (rank 1 answers with a pattern of its own), the receive buffers are
 * zeroed before each loop, and after it each rank checks the last message it received, byte for
 * byte. bench/README.md compares this with osu_latency and says why the message is not
 * rewritten before each round trip (that times cache misses, not the transport).
 * Needs exactly 2 ranks (else a usage error from rank 0, all ranks exit 2).
 * Exit: 0 every message intact, 1 a message corrupted, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/pingpong.h"
#include "parkit/stats.h"

#define MAX_SIZE (1ULL << 30)

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "ping-pong between 2 ranks: one-way latency and bandwidth for 0 B..64 MiB, every "
                          "message checked";
    uint64_t max_size = 64ULL << 20, iters = 10000;
    pk_pat_common c = {5, 1, 0};
    pk_opt opts[] = {
        {"max-size", "BYTES", "largest message: 0 or a power of two up to 1Gi (default 64Mi)", PK_OPT_SIZE, &max_size,
         0, MAX_SIZE, NULL, NULL, NULL, NULL},
        {"iterations", "N", "round trips per repetition up to 8 KiB; fewer above, ~64 MiB each way (default 1e4)",
         PK_OPT_SIZE, &iters, 1, 100000000, NULL, NULL, NULL, NULL},
    };
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, sizeof opts / sizeof opts[0], &c, 1,
                                NULL, &rank, &size);
    if (code >= 0) return code;
    if (size != 2) return pk_pat_mpi_usage(rank, prog, "needs exactly 2 ranks, got %d (mpirun -np 2 %s)", size, prog);
    if (max_size & (max_size - 1))
        return pk_pat_mpi_usage(rank, prog, "--max-size %llu: expected 0 or a power of two, e.g. 64Mi",
                                (unsigned long long)max_size);
    pk_mpi_warn_oversubscription(prog, 1);

    /* page-aligned, as osu_latency's: a large malloc returns memory 16 bytes past a page start, and
     * over TCP every message is copied to and from the socket through those misaligned addresses */
    size_t page = 4096, bytes = ((max_size > 8 ? max_size : 8) + page - 1) / page * page;
    unsigned char *sbuf = aligned_alloc(page, bytes), *rbuf = aligned_alloc(page, bytes);
    double *lat = calloc(c.repeat, sizeof *lat);
    if (!pk_pat_mpi_all_ok(sbuf && rbuf && lat, rank, prog, "out of memory for the message buffers")) {
        free(sbuf);
        free(rbuf);
        free(lat);
        return PK_EXIT_FAIL;
    }
    memset(sbuf, 0, bytes); /* first touch before timing */
    memset(rbuf, 0, bytes);

    static const pk_col cols[] = {
        {"size", "Size", 10, 1},          {"iterations", "Iters", 7, 1},   {"latency_us", "Latency(us)", 13, 1},
        {"latency_min_us", "min", 11, 1}, {"latency_max_us", "max", 11, 1}, {"bandwidth_mbps", "MB/s", 11, 1},
    };
    pk_table t;
    pk_table_init(&t, cols, sizeof cols / sizeof cols[0]);
    uint64_t bad = 0, messages = 0, checked = 0, it = 0;
    double peak_bw = 0, lat0 = 0;
    uint64_t peak_size = 0;
    for (uint64_t s = 0; s <= max_size; s = s ? 2 * s : 1) {
        uint64_t n = pk_pp_iterations(s, iters);
        for (uint64_t r = 0; r < c.warmup + c.repeat; r++) {
            MPI_Barrier(MPI_COMM_WORLD);
            /* one pattern per size (it), so that the send buffers are written once per size */
            double loop = pk_pp_run(rank, sbuf, rbuf, s, it, n, &bad);
            messages += 2 * n;
            checked += 2;
            if (r >= c.warmup) lat[r - c.warmup] = loop / (double)n / 2 * 1e6; /* one way, us */
        }
        it++;
        if (rank == 0) {
            pk_stats st = pk_stats_of(lat, c.repeat);
            double bw = st.median > 0 ? (double)s / st.median : 0; /* bytes/us = MB/s */
            size_t row = pk_table_row(&t);
            pk_table_set(&t, row, 0, "%llu", (unsigned long long)s);
            pk_table_set(&t, row, 1, "%llu", (unsigned long long)n);
            pk_table_set(&t, row, 2, "%.3f", st.median);
            pk_table_set(&t, row, 3, "%.3f", st.min);
            pk_table_set(&t, row, 4, "%.3f", st.max);
            pk_table_set(&t, row, 5, "%.2f", bw);
            if (s == 0) lat0 = st.median;
            if (bw > peak_bw) {
                peak_bw = bw;
                peak_size = s;
            }
        }
        if (s == max_size) break;
    }
    uint64_t bad_total = 0;
    MPI_Reduce(&bad, &bad_total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    int pass = bad_total == 0;
    if (rank == 0) {
        pk_report rep;
        pk_pat_mpi_report_init(&rep, prog, summary, "mpi");
        pk_report_num(&rep, "ranks", "%d", size);
        pk_report_num(&rep, "max_size", "%llu", (unsigned long long)max_size);
        pk_report_num(&rep, "iterations", "%llu", (unsigned long long)iters);
        pk_pat_report_runs(&rep, &c);
        pk_report_str(&rep, "latency", "one way = loop time / (2 x round trips), osu_latency's method; median over "
                      "repetitions (min, max beside it)");
        pk_report_num(&rep, "latency_0B_us", "%.3f", lat0);
        pk_report_num(&rep, "bandwidth_peak_mbps", "%.2f", peak_bw);
        pk_report_num(&rep, "bandwidth_peak_size", "%llu", (unsigned long long)peak_size);
        pk_report_num(&rep, "messages", "%llu", (unsigned long long)messages);
        pk_report_num(&rep, "messages_checked", "%llu", (unsigned long long)checked);
        char why[256];
        if (pass)
            snprintf(why, sizeof why, "all %llu checked messages intact (the last of each direction in every loop, "
                     "byte for byte, size- and direction-dependent pattern, zeroed receive buffers)",
                     (unsigned long long)checked);
        else
            snprintf(why, sizeof why, "%llu of %llu checked messages corrupted", (unsigned long long)bad_total,
                     (unsigned long long)checked);
        pk_pat_report_verdict(&rep, pass, why);
        pk_pat_print(&rep, &t, c.json, stdout);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    pk_table_free(&t);
    free(lat);
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
