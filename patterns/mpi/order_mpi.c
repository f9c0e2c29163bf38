/* order_mpi: in what order do ranks' lines arrive? Not a fixed one. Every rank does the same piece
 * of work and, as soon as it finishes, sends its line "rank i: done" to rank 0, which prints lines
 * in the order they arrive (MPI_ANY_SOURCE) -- what a terminal shared by several processes shows.
 * Over --runs K runs rank 0 counts how many distinct orders it saw and shows the most frequent ones.
 * --ordered gathers the lines to rank 0 (MPI_Gather) and prints them by rank: the same order every
 * time -- and the program measures what that costs against the same runs without it.
 *   mpirun -np 4 --oversubscribe ./order_mpi
 *   mpirun -np 4 --oversubscribe ./order_mpi --ordered
 *   mpirun -np 3 ./order_mpi --runs 200 --steps 1e4 --json
 * Rank 0 sends its own line to itself like everybody else (it often wins: its line does not travel).
 * The first run is printed as it arrives (text mode); every line's result is checked against the
 * LCG jump-ahead. A run's time is rank 0's, from a common barrier until it holds every line.
 * Exit: 0 PASS (every rank's line once per run, results right; --ordered: one order, 0..P-1),
 * 1 otherwise, 2 usage (every rank). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#include "parkit/order.h"
#include "parkit/pattern_mpi.h"
#include "parkit/pattern_work.h"
#include "parkit/stats.h"

enum { LINE = 64, TAG_LINE = 7 };

typedef struct options {
    uint64_t runs, steps;
    int ordered;
} options;

/* One line as it travels: who sent it, what it computed, and the text to print. */
typedef struct line_msg {
    int32_t rank;
    uint64_t x;
    char text[LINE];
} line_msg;

static uint64_t start_of(int rank, uint64_t run) { return pk_mix64((run << 32) ^ (uint64_t)rank); }

static line_msg work(int rank, uint64_t run, uint64_t steps)
{
    line_msg m = {.rank = rank, .x = pk_lcg_run(start_of(rank, run), steps)};
    snprintf(m.text, sizeof m.text, "rank %d: done (x = %016llx)", rank, (unsigned long long)m.x);
    return m;
}

/* Rank 0 takes one line: prints it when `show`, records its sender, checks its result. */
static void take(const line_msg *m, uint32_t *slots, uint32_t k, int size, uint64_t run, uint64_t steps, int show,
                 int *ok)
{
    if (show) {
        printf("%s\n", m->text);
        fflush(stdout);
    }
    slots[k] = m->rank >= 0 && m->rank < size ? (uint32_t)m->rank : UINT32_MAX;
    if (m->rank < 0 || m->rank >= size || m->x != pk_lcg_jump(start_of(m->rank, run), steps)) *ok = 0;
}

/* One run: every rank works, then its line goes to rank 0, in arrival order or by gather. Returns
 * rank 0's time from the barrier to the last line. */
static double one_run(int rank, int size, uint64_t run, const options *o, int ordered, uint32_t *slots, int show,
                      line_msg *all, int *ok)
{
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    line_msg mine = work(rank, run, o->steps);
    if (ordered) {
        MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);
        if (rank == 0)
            for (int k = 0; k < size; k++) take(&all[k], slots, (uint32_t)k, size, run, o->steps, show, ok);
    } else {
        MPI_Request req;
        MPI_Isend(&mine, (int)sizeof mine, MPI_BYTE, 0, TAG_LINE, MPI_COMM_WORLD, &req);
        if (rank == 0)
            for (int k = 0; k < size; k++) {
                line_msg m;
                MPI_Recv(&m, (int)sizeof m, MPI_BYTE, MPI_ANY_SOURCE, TAG_LINE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                take(&m, slots, (uint32_t)k, size, run, o->steps, show, ok);
            }
        MPI_Wait(&req, MPI_STATUS_IGNORE);
    }
    return MPI_Wtime() - t0;
}

static void report(const char *prog, const char *summary, const options *o, int size, const pk_order_log *log,
                   int pass, const char *why, int work_ok, const double *t_mode, const double *t_other, int json)
{
    pk_report rep;
    pk_pat_mpi_report_init(&rep, prog, summary, "mpi");
    pk_report_num(&rep, "ranks", "%d", size);
    pk_report_str(&rep, "mode", "%s", o->ordered ? "ordered (MPI_Gather to rank 0, printed by rank)"
                                                 : "unordered (rank 0 prints lines as they arrive)");
    pk_report_num(&rep, "steps_per_worker", "%llu", (unsigned long long)o->steps);
    pk_table t;
    pk_table_init(&t, pk_order_cols, pk_order_ncols);
    pk_order_report(log, 5, &rep, &t);
    pk_report_str(&rep, "work_check", "%s", work_ok ? "every result = LCG jump-ahead" : "a result was wrong");
    pk_pat_report_verdict(&rep, pass, why);
    double med = pk_stats_of(t_mode, o->runs).median;
    pk_report_num(&rep, "time_median_s", "%.9f", med);
    if (o->ordered) {
        double plain = pk_stats_of(t_other, o->runs).median;
        pk_report_num(&rep, "time_unordered_median_s", "%.9f", plain);
        pk_report_num(&rep, "ordered_cost_us", "%.3f", (med - plain) * 1e6);
        if (plain > 0) pk_report_num(&rep, "ordered_time_ratio", "%.3f", med / plain);
    }
    pk_pat_print(&rep, &t, json, stdout);
    pk_table_free(&t);
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "ranks report as they finish: how many distinct arrival orders over K runs; --ordered "
                          "gathers to rank 0 and shows its cost";
    options o = {.runs = 20, .steps = 100000};
    pk_pat_common c = {.repeat = 1};
    const pk_opt opts[] = {
        {.name = "runs", .metavar = "K", .kind = PK_OPT_SIZE, .target = &o.runs, .min = 1, .max = 10000,
         .help = "runs to compare (default 20)"},
        {.name = "steps", .metavar = "S", .kind = PK_OPT_SIZE, .target = &o.steps, .min = 0, .max = 10000000000ULL,
         .help = "LCG steps of work per rank before it reports (default 1e5)"},
        {.name = "ordered", .kind = PK_OPT_FLAG, .target = &o.ordered,
         .help = "gather the lines to rank 0 and print them by rank: ranks 0, 1, 2, ... every time"},
    };
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, sizeof opts / sizeof opts[0], &c,
                                PK_PAT_UNTIMED, NULL, &rank, &size);
    if (code >= 0) return code;

    pk_order_log log = {0};
    int have = 1;
    double *t_mode = NULL, *t_other = NULL;
    line_msg *all = NULL;
    if (rank == 0) {
        t_mode = calloc(o.runs, sizeof *t_mode);
        t_other = calloc(o.runs, sizeof *t_other);
        all = calloc((size_t)size, sizeof *all);
        have = t_mode && t_other && all && pk_order_init(&log, (uint32_t)size, (uint32_t)o.runs) == 0;
    }
    if (!pk_pat_mpi_all_ok(have, rank, prog, "out of memory for the order log")) return PK_EXIT_FAIL;

    int work_ok = 1;
    uint32_t scratch[1];
    if (rank == 0 && !c.json) printf("# run 1, as the lines arrive at rank 0:\n");
    for (uint64_t r = 0; r < o.runs; r++) {
        uint32_t *slots = rank == 0 ? pk_order_run(&log, (uint32_t)r) : scratch;
        double dt = one_run(rank, size, r, &o, o.ordered, slots, r == 0 && !c.json, all, &work_ok);
        if (rank == 0) t_mode[r] = dt;
        if (o.ordered) { /* the same run without the gather: what the order costs */
            uint32_t *unused = rank == 0 ? calloc((size_t)size, sizeof *unused) : scratch;
            dt = one_run(rank, size, r, &o, 0, unused ? unused : scratch, 0, all, &work_ok);
            if (rank == 0) {
                t_other[r] = dt;
                free(unused);
            }
        }
    }
    int pass = 0;
    if (rank == 0) {
        char why[300];
        pass = pk_order_verdict(&log, o.ordered, work_ok, why, sizeof why);
        report(prog, summary, &o, size, &log, pass, why, work_ok, t_mode, t_other, c.json);
        pk_order_free(&log);
    }
    free(t_mode);
    free(t_other);
    free(all);
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
