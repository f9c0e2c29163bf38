/* deadlock_mpi: "processes avoid deadlocks" is false for message passing. Every rank sends a message
 * to its right neighbour and receives one from its left.
 *   --mode cycle        MPI_Ssend, then MPI_Recv: every rank waits in its send for a receive that
 *                       nobody has posted -- a deadlock, on any rank count. A watchdog (--watchdog S,
 *                       default 2 s) sees it: every rank reports DEADLOCK (rank 0 prints the table
 *                       of who waits for whom), the stuck sends are then matched by the receives the
 *                       ring never reached, and every rank finalizes and exits 1. Nothing hangs.
 *   --mode sendrecv     MPI_Sendrecv             \
 *   --mode nonblocking  MPI_Irecv + MPI_Isend     } the three cures: PASS, exit 0, contents checked
 *   --mode oddeven      even ranks send first    /
 *   mpirun -np 4 --oversubscribe ./deadlock_mpi                   (DEADLOCK after ~2 s, exit 1)
 *   mpirun -np 4 --oversubscribe ./deadlock_mpi --mode sendrecv   (PASS)
 *   mpirun -np 3 ./deadlock_mpi --mode oddeven --rounds 100 --size 64Ki --json
 * The synchronous send is the honest one to show: MPI_Send may buffer a small message and return
 * (then the same program works -- until the messages grow past the library's eager limit).
 * Every message's bytes say who sent it and in which round; each receiver checks them.
 * Exit: 0 PASS, 1 DEADLOCK or wrong contents, 2 usage (every rank). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/message.h"
#include "parkit/mpi_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/stats.h"
#include "ring.h"

enum { MAX_ROUNDS = 10000 }; /* tags are round numbers: within the 32767 every MPI allows */

typedef struct options {
    const char *mode;
    uint64_t rounds, bytes;
    double watchdog_s;
} options;

/* What each rank tells rank 0 at the end. */
typedef struct rank_news {
    int blocked, peer, ok;
    double waited_s;
    char why[400];
} rank_news;

static ring_mode mode_of(const char *name)
{
    for (int m = RING_CYCLE; m <= RING_ODDEVEN; m++)
        if (strcmp(name, ring_mode_name((ring_mode)m)) == 0) return (ring_mode)m;
    return RING_CYCLE;
}

/* The rounds: exchange, agree whether anybody is stuck, check the contents. Returns 1 when no rank
 * got stuck; *news holds this rank's story, times[] each round's slowest exchange (rank 0). */
static int run_rounds(const ring_cfg *cfg, ring_state *st, uint64_t rounds, rank_news *news, double *times,
                      uint64_t *done)
{
    unsigned char *out = malloc(cfg->bytes + 1), *in = malloc(cfg->bytes + 1);
    int have = out && in, all = 0;
    MPI_Allreduce(&have, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) {
        snprintf(news->why, sizeof news->why, "out of memory for 2 messages of %zu bytes", cfg->bytes);
        news->ok = 0;
        free(out);
        free(in);
        return 1;
    }
    int clear = 1;
    *done = 0;
    for (uint64_t r = 0; r < rounds && clear; r++) {
        pk_msg_fill(out, cfg->bytes, (uint64_t)st->rank, r);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        int fine = ring_exchange(cfg, st, out, in, (int)r), everyone = 0;
        double dt = MPI_Wtime() - t0, slowest = dt;
        /* a collective, not a message to a neighbour: it works while the ring's sends are pending */
        MPI_Allreduce(&fine, &everyone, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        MPI_Reduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (!everyone) {
            clear = 0;
            news->blocked = st->blocked;
            news->peer = st->blocked == RING_IN_SEND ? st->right : st->left;
            news->waited_s = st->waited_s;
            if (!ring_unwind(cfg, st, in, (int)r)) news->ok = -1; /* could not unwind: abort after the report */
            break;
        }
        times[r] = slowest;
        (*done)++;
        char why[160];
        if (news->ok == 1 && !pk_msg_check(in, cfg->bytes, (uint64_t)st->left, r, why, sizeof why)) {
            news->ok = 0;
            snprintf(news->why, sizeof news->why, "rank %d, round %llu: %s", st->rank, (unsigned long long)r + 1, why);
        }
    }
    free(out);
    free(in);
    return clear;
}

static void report(const char *prog, const char *summary, const options *o, const ring_state *st,
                   const rank_news *all, int clear, const double *times, uint64_t done, int json)
{
    static const pk_col cols[] = {
        {"rank", "Rank", 6, 1},   {"sends_to", "SendsTo", 8, 1}, {"receives_from", "RecvFrom", 9, 1},
        {"state", "State", 10, 0}, {"blocked_in", "BlockedIn", 22, 0}, {"waited_s", "Waited(s)", 10, 1},
    };
    pk_report r;
    pk_pat_mpi_report_init(&r, prog, summary, "mpi");
    pk_report_num(&r, "ranks", "%d", st->size);
    pk_report_str(&r, "mode", "%s", o->mode);
    pk_report_num(&r, "rounds", "%llu", (unsigned long long)o->rounds);
    pk_report_num(&r, "rounds_completed", "%llu", (unsigned long long)done);
    pk_report_num(&r, "message_bytes", "%llu", (unsigned long long)o->bytes);
    pk_report_num(&r, "watchdog_s", "%g", o->watchdog_s);
    pk_report_str(&r, "outcome", "%s", clear ? "completed" : "DEADLOCK");
    pk_table t;
    pk_table_init(&t, cols, sizeof cols / sizeof cols[0]);
    int stuck = 0, ok = 1;
    double waited_max = 0;
    const char *bad = NULL;
    for (int k = 0; k < st->size; k++) {
        size_t row = pk_table_row(&t);
        char in[64];
        ring_block_text((ring_block)all[k].blocked, all[k].peer, in, sizeof in);
        pk_table_set(&t, row, 0, "%d", k);
        pk_table_set(&t, row, 1, "%d", (k + 1) % st->size);
        pk_table_set(&t, row, 2, "%d", (k + st->size - 1) % st->size);
        pk_table_set(&t, row, 3, "%s", clear ? (all[k].ok == 1 ? "PASS" : "FAIL") : "DEADLOCK");
        pk_table_set(&t, row, 4, "%s", in);
        pk_table_set(&t, row, 5, "%.3f", all[k].waited_s);
        stuck += all[k].blocked != RING_NOT_BLOCKED;
        if (all[k].waited_s > waited_max) waited_max = all[k].waited_s;
        if (all[k].ok != 1 && !bad) bad = all[k].why;
        ok = ok && all[k].ok == 1;
    }
    char detail[400];
    if (!clear) {
        snprintf(detail, sizeof detail, "DEADLOCK: %d of %d ranks waited %.3f s (watchdog %g s) in a send or receive "
                 "that no rank could match; every rank reported it and finalized", stuck, st->size, waited_max,
                 o->watchdog_s);
        pk_report_num(&r, "detected_after_s", "%.3f", waited_max);
    } else if (!ok) {
        snprintf(detail, sizeof detail, "%s", bad && *bad ? bad : "a rank failed");
    } else {
        snprintf(detail, sizeof detail, "all %llu rounds completed; every rank received its left neighbour's %llu-byte "
                 "message of each round, bytes checked", (unsigned long long)done, (unsigned long long)o->bytes);
    }
    pk_pat_report_verdict(&r, clear && ok, detail);
    if (clear && done) {
        pk_stats s = pk_stats_of(times, done);
        pk_report_num(&r, "exchange_us_median", "%.3f", s.median * 1e6);
        pk_report_num(&r, "exchange_us_min", "%.3f", s.min * 1e6);
        pk_report_num(&r, "exchange_us_max", "%.3f", s.max * 1e6);
    }
    pk_pat_print(&r, &t, json, stdout);
    pk_table_free(&t);
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "a ring of synchronous sends deadlocks (a watchdog detects it); sendrecv, nonblocking and "
                          "odd-even ordering do not";
    options o = {.mode = "cycle", .rounds = 10, .bytes = 1024, .watchdog_s = 2.0};
    pk_pat_common c = {.repeat = 1};
    const pk_opt opts[] = {
        {.name = "mode", .metavar = "MODE", .kind = PK_OPT_CHOICE, .target = &o.mode,
         .choices = "cycle|sendrecv|nonblocking|oddeven",
         .help = "cycle (Ssend then Recv: deadlock) | sendrecv | nonblocking | oddeven (default cycle)"},
        {.name = "rounds", .metavar = "R", .kind = PK_OPT_SIZE, .target = &o.rounds, .min = 1, .max = MAX_ROUNDS,
         .help = "exchanges around the ring (default 10)"},
        {.name = "size", .metavar = "B", .kind = PK_OPT_SIZE, .target = &o.bytes, .min = 0, .max = 1u << 26,
         .help = "bytes per message, up to 64Mi (default 1024)"},
        {.name = "watchdog", .metavar = "S", .kind = PK_OPT_CALLBACK, .set = pk_pat_set_seconds, .ctx = &o.watchdog_s,
         .help = "seconds a rank waits in one send or receive before it declares a deadlock (default 2)"},
    };
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, sizeof opts / sizeof opts[0], &c,
                                PK_PAT_UNTIMED, NULL, &rank, &size);
    if (code >= 0) return code;

    ring_cfg cfg = {.mode = mode_of(o.mode), .bytes = (size_t)o.bytes, .watchdog_s = o.watchdog_s};
    ring_state st = {.rank = rank, .size = size, .right = (rank + 1) % size, .left = (rank + size - 1) % size};
    rank_news news = {.ok = 1};
    double *times = calloc(o.rounds, sizeof *times);
    if (!pk_pat_mpi_all_ok(times != NULL, rank, prog, "out of memory for the timings")) return PK_EXIT_FAIL;
    uint64_t done = 0;
    int clear = run_rounds(&cfg, &st, o.rounds, &news, times, &done);

    rank_news *all = rank == 0 ? calloc((size_t)size, sizeof *all) : NULL;
    MPI_Gather(&news, (int)sizeof news, MPI_BYTE, all, (int)sizeof news, MPI_BYTE, 0, MPI_COMM_WORLD);
    int pass = 0, unwound = 1;
    if (rank == 0) {
        pass = clear;
        for (int k = 0; k < size && all; k++) {
            pass = pass && all[k].ok == 1;
            unwound = unwound && all[k].ok != -1;
        }
        if (all) report(prog, summary, &o, &st, all, clear, times, done, c.json);
        else pk_error(prog, "rank 0: out of memory for %d reports", size);
        fflush(stdout);
    }
    free(all);
    free(times);
    MPI_Bcast(&unwound, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!unwound) {
        /* every rank has reported; the stuck requests could not be completed, so no clean finalize */
        if (rank == 0) pk_error(prog, "the stuck messages could not be completed: aborting the job");
        MPI_Abort(MPI_COMM_WORLD, PK_EXIT_FAIL);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
