/* queue_mpi: a producer and consumers that share no memory -- the lesson's multiprocessing.Queue --
 * with MPI messages. Rank 0 produces the integers 1..N and deals them out in batches, round robin,
 * to consumer ranks 1..P-1, which square and sum them. The queue is bounded: each consumer has at
 * most --depth batches in flight (MPI_Issend completes only once the consumer has started taking
 * the batch), so a fast producer waits instead of piling messages up, like Queue(maxsize).
 *   mpirun -np 4 --oversubscribe ./queue_mpi --items 1e6
 *   mpirun -np 2 ./queue_mpi --batch 1 --items 1e5        (one message per item: the message cost)
 * With 1 rank there is nobody to send to: rank 0 consumes its own items, without messages (the
 * report says so), so the program works, and is checked, for any rank count.
 * Verification, every run: each consumer counts its items and marks them in a bitmap; rank 0
 * checks that the counts add up to N and the OR of the bitmaps covers 1..N (N marks over N items:
 * each exactly once), that no consumer saw an item twice, and that the sum of squares equals
 * N(N+1)(2N+1)/6. Exit: 0 verified, 1 an item lost, duplicated or wrong, 2 usage (all ranks). */
#include <stdio.h>
#include <stdlib.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/queue.h"
#include "parkit/stats.h"
#include "parkit/u128.h"

static double queue_run(void *q) { return pk_queue_run(q); }
static int queue_check(void *q, char *why, size_t len) { return pk_queue_verify(q, why, len); }

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "producer rank 0 deals integers to consumer ranks through a bounded queue of messages; "
                          "each item checked consumed exactly once";
    pk_queue_cfg cfg = {.items = 1000000, .batch = 256, .depth = 4};
    pk_pat_common c = {.repeat = 5, .warmup = 1};
    const pk_opt opts[] = {
        {.name = "items", .metavar = "N", .kind = PK_OPT_SIZE, .target = &cfg.items, .min = 1, .max = 100000000,
         .help = "items to produce: the integers 1..N (default 1e6)"},
        {.name = "batch", .metavar = "B", .kind = PK_OPT_SIZE, .target = &cfg.batch, .min = 1, .max = 1000000,
         .help = "items per message (default 256)"},
        {.name = "depth", .metavar = "D", .kind = PK_OPT_SIZE, .target = &cfg.depth, .min = 1, .max = 1024,
         .help = "batches in flight per consumer: the queue's bound (default 4)"},
    };
    int rank, size;
    int code = pk_pat_mpi_start(&argc, &argv, MPI_THREAD_SINGLE, summary, opts, sizeof opts / sizeof opts[0], &c,
                                PK_PAT_TIMED, NULL, &rank, &size);
    if (code >= 0) return code;
    pk_mpi_warn_oversubscription(prog, 1);

    pk_queue q;
    double *times = calloc(c.repeat, sizeof *times);
    int opened = pk_queue_open(&q, &cfg) == 0;
    if (!pk_pat_mpi_all_ok(opened && times, rank, prog, "out of memory for the items")) {
        if (opened) pk_queue_close(&q);
        free(times);
        return PK_EXIT_FAIL;
    }
    char why[400] = "";
    /* every run is checked outside the timing, the first problem kept */
    int pass = pk_pat_mpi_checked_runs(&c, queue_run, queue_check, &q, times, why, sizeof why);

    if (rank == 0) {
        int first, count;
        const pk_queue_tally *t = pk_queue_tallies(&q, &first, &count);
        pk_report rep;
        pk_pat_mpi_report_init(&rep, prog, summary, "mpi");
        pk_report_num(&rep, "ranks", "%d", size);
        pk_report_num(&rep, "consumers", "%d", q.consumers);
        if (q.consumers > 1)
            pk_report_str(&rep, "roles", "rank 0 produces, ranks 1..%d consume", q.consumers);
        else if (q.consumers == 1)
            pk_report_str(&rep, "roles", "rank 0 produces, rank 1 consumes");
        else
            pk_report_str(&rep, "roles", "1 rank: no consumer to send to, rank 0 consumed its own items (no "
                          "messages)");
        pk_report_num(&rep, "items", "%llu", (unsigned long long)cfg.items);
        pk_report_num(&rep, "batch", "%llu", (unsigned long long)cfg.batch);
        pk_report_num(&rep, "depth", "%llu", (unsigned long long)cfg.depth);
        uint64_t msgs = 0;
        pk_u128 sum = 0;
        char list[PK_REPORT_MAX_TEXT] = "";
        size_t used = 0;
        for (int k = 0; k < count; k++) {
            msgs += t[k].batches;
            sum += ((pk_u128)t[k].sum_hi << 64) | t[k].sum_lo;
            int n = snprintf(list + used, sizeof list - used, "%s%d:%llu", k ? " " : "", first + k,
                             (unsigned long long)t[k].items);
            if (n < 0 || (size_t)n >= sizeof list - used) break;
            used += (size_t)n;
        }
        pk_report_num(&rep, "messages", "%llu", q.consumers ? (unsigned long long)msgs : 0ULL);
        pk_report_str(&rep, "items_per_consumer", "%s", list);
        char sum_s[48];
        pk_report_str(&rep, "sum_of_squares", "%s", pk_u128_to_string(sum, sum_s, sizeof sum_s));
        pk_pat_report_verdict(&rep, pass, why);
        pk_pat_report_times(&rep, &c, times, c.repeat);
        double med = pk_stats_of(times, c.repeat).median;
        if (med > 0) {
            pk_report_num(&rep, "items_per_s", "%.6e", (double)cfg.items / med);
            pk_report_num(&rep, "ns_per_item", "%.3f", med / (double)cfg.items * 1e9);
        }
        pk_pat_print(&rep, NULL, c.json, stdout);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    pk_queue_close(&q);
    free(times);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
