/* pipe_mpi: the tutorials' multiprocessing.Pipe -- a two-ended channel between exactly two processes
 * -- beside the Queue (queue_mpi). Both ends send and receive at once (Pipe() is duplex by default):
 * each rank streams --messages N messages of varying length (0 .. --max-size bytes, like the objects
 * conn.send() pickles) to the other, with at most --window of its sends in flight (a pipe's buffer is
 * bounded: a writer that runs ahead waits), then closes its end; the other end sees the close as the
 * end of the stream, as conn.recv() raises EOFError. Every message is checked on arrival: its
 * length, its sequence number (in order: MPI never lets one message overtake another between the
 * same two ranks) and every byte.
 *   mpirun -np 2 ./pipe_mpi
 *   mpirun -np 2 ./pipe_mpi --messages 1e5 --max-size 64 --window 64 --json
 * Why two MPI ranks and not pipe() between fork()ed processes: in this kit a process is an MPI rank
 * (the same program runs on two nodes, where no pipe reaches), and the Queue beside it is MPI too;
 * what makes a Pipe a Pipe -- exactly two ends, both ways, in order, bounded, an end-of-stream --
 * is kept. Needs exactly 2 ranks (any other count: exit 2 on every rank).
 * Exit: 0 every message of both directions arrived whole and in order, then the close; 1 otherwise;
 * 2 usage. */
#include <stdio.h>
#include <stdlib.h>

#include "parkit/error.h"
#include "parkit/message.h"
#include "parkit/mpi_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/stats.h"
#include "pipe_end.h"

static double run_pipe(void *ctx) { return pipe_end_run(ctx); }
static int check_pipe(void *ctx, char *why, size_t len) { return pipe_end_check(ctx, why, len); }

static void report(const char *prog, const char *summary, const pipe_end *p, const pk_pat_common *c, int pass,
                   const char *why, const double *times)
{
    pk_report r;
    pk_pat_mpi_report_init(&r, prog, summary, "mpi");
    pk_report_num(&r, "ranks", "2");
    pk_report_str(&r, "ends", "rank 0 <-> rank 1, both directions at once (duplex)");
    pk_report_num(&r, "messages_each_way", "%llu", (unsigned long long)p->messages);
    pk_report_num(&r, "max_message_bytes", "%zu", p->max_bytes);
    pk_report_num(&r, "window", "%d", p->window);
    pk_report_num(&r, "bytes_each_way", "%llu", (unsigned long long)p->bytes_sent);
    pk_report_num(&r, "received", "%llu", (unsigned long long)p->received);
    pk_report_str(&r, "closed_by_peer", "%s", p->peer_closed ? "yes" : "no");
    pk_pat_report_verdict(&r, pass, why);
    pk_pat_report_times(&r, c, times, c->repeat);
    double med = pk_stats_of(times, c->repeat).median;
    if (med > 0) {
        pk_report_num(&r, "us_per_message", "%.3f", med / (double)(p->messages ? p->messages : 1) * 1e6);
        pk_report_num(&r, "mb_per_s_each_way", "%.2f", (double)p->bytes_sent / med / 1e6);
    }
    pk_pat_print(&r, NULL, c->json, stdout);
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "a duplex pipe between exactly 2 ranks: both ends stream checked messages, then close";
    pipe_end_cfg cfg = {.messages = 1000, .max_bytes = 4096, .window = 16};
    pk_pat_common c = {.repeat = 3, .warmup = 1};
    const pk_opt opts[] = {
        {.name = "messages", .metavar = "N", .kind = PK_OPT_SIZE, .target = &cfg.messages, .min = 0, .max = 100000000,
         .help = "messages each end sends (default 1000)"},
        {.name = "max-size", .metavar = "B", .kind = PK_OPT_SIZE, .target = &cfg.max_bytes, .min = 0, .max = 1u << 24,
         .help = "largest message in bytes, up to 16Mi; lengths vary from 0 to B (default 4096)"},
        {.name = "window", .metavar = "W", .kind = PK_OPT_SIZE, .target = &cfg.window, .min = 1, .max = 1024,
         .help = "sends in flight per end: the pipe's capacity (default 16)"},
    };
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, sizeof opts / sizeof opts[0], &c,
                                PK_PAT_TIMED, NULL, &rank, &size);
    if (code >= 0) return code;
    if (size != 2) return pk_pat_mpi_usage(rank, prog, "needs exactly 2 ranks, got %d (mpirun -np 2 %s)", size, prog);

    pipe_end p;
    double *times = calloc(c.repeat, sizeof *times);
    int opened = pipe_end_open(&p, &cfg, rank) == 0;
    if (!pk_pat_mpi_all_ok(opened && times, rank, prog, "out of memory for the pipe's buffers")) {
        if (opened) pipe_end_close(&p);
        free(times);
        return PK_EXIT_FAIL;
    }
    char why[400] = "";
    int pass = pk_pat_mpi_checked_runs(&c, run_pipe, check_pipe, &p, times, why, sizeof why);
    if (rank == 0) report(prog, summary, &p, &c, pass, why, times);
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    pipe_end_close(&p);
    free(times);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
