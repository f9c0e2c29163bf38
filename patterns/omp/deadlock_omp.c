/* deadlock_omp: threads that take two locks in opposite order deadlock -- and one global lock order
 * cures it. Two bank accounts A and B, one omp_lock_t each; thread 0 moves money A -> B, thread 1
 * B -> A, and each transfer holds both locks. `--mode opposite`: each thread locks its source
 * first, so thread 0 holds A and waits for B while thread 1 holds B and waits for A, forever. Here
 * every wait is bounded (omp_test_lock polled until --watchdog seconds pass), so the deadlock is
 * detected, the wait-for cycle printed, and the program exits 1 instead of hanging. `--mode ordered`:
 * both threads lock A before B, so no cycle can form; every transfer completes (exit 0).
 *   ./deadlock_omp                         (DEADLOCK after about 2 s, exit 1)
 *   ./deadlock_omp --mode ordered          (PASS, exit 0; and what the transfers cost)
 *   ./deadlock_omp --watchdog 0.5 --json
 * The first transfer waits until both threads hold their first lock, so the deadlock shows on every
 * run, not only on unlucky ones. The balances are checked in every mode: money is conserved and
 * each balance is what the completed transfers make it. Exit: 0 PASS, 1 deadlock (or a wrong
 * balance), 2 usage. */
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "lock_pair.h"
#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"

typedef struct options {
    const char *mode;
    uint64_t rounds;
    double watchdog_s;
} options;

static void report(const char *prog, const char *summary, const options *o, const lock_pair_result *res,
                   int balanced, const char *balance_why, int json)
{
    pk_report r;
    pk_pat_report_init(&r, prog, summary, "omp");
    pk_omp_report_runtime(&r);
    pk_report_str(&r, "mode", "%s", o->mode);
    pk_report_str(&r, "lock_order", "%s", strcmp(o->mode, "ordered") == 0
                                              ? "both threads lock A, then B (one global order)"
                                              : "each thread locks its source account first (thread 0: A then B, thread 1: B then A)");
    pk_report_num(&r, "threads", "%d", res->threads);
    pk_report_num(&r, "rounds", "%llu", (unsigned long long)o->rounds);
    pk_report_num(&r, "watchdog_s", "%g", o->watchdog_s);
    pk_report_str(&r, "transfers_done", "0:%llu 1:%llu", (unsigned long long)res->done[0],
                  (unsigned long long)res->done[1]);
    pk_report_str(&r, "balances", "A:%lld B:%lld", (long long)res->balance[0], (long long)res->balance[1]);
    pk_report_str(&r, "outcome", "%s", res->deadlock ? "DEADLOCK" : "completed");
    char detail[512];
    if (res->deadlock) {
        char cycle[256];
        lock_pair_describe(res, cycle, sizeof cycle);
        pk_report_str(&r, "deadlock", "%s", cycle);
        pk_report_num(&r, "detected_after_s", "%.3f", res->waited_s);
        snprintf(detail, sizeof detail, "DEADLOCK: %s: no progress for %.3f s (watchdog %g s); thread %d gave up",
                 cycle, res->waited_s, o->watchdog_s, res->victim);
    } else {
        snprintf(detail, sizeof detail, "every transfer completed; %s", balance_why);
    }
    if (!balanced) snprintf(detail, sizeof detail, "%s", balance_why);
    pk_pat_report_verdict(&r, balanced && !res->deadlock, detail);
    pk_report_num(&r, "time_s", "%.6f", res->seconds);
    uint64_t transfers = res->done[0] + res->done[1];
    if (!res->deadlock && transfers)
        pk_report_num(&r, "ns_per_transfer", "%.1f", res->seconds / (double)transfers * 1e9);
    pk_pat_print(&r, NULL, json, stdout);
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "two threads, two locks: opposite lock order deadlocks (detected by a watchdog), one "
                          "global order does not";
    options o = {.mode = "opposite", .rounds = 100000, .watchdog_s = 2.0};
    pk_pat_common c = {.repeat = 1};
    const pk_opt opts[] = {
        {.name = "mode", .metavar = "MODE", .kind = PK_OPT_CHOICE, .target = &o.mode, .choices = "opposite|ordered",
         .help = "opposite (each thread locks its source first: deadlock) | ordered (A before B) (default opposite)"},
        {.name = "rounds", .metavar = "R", .kind = PK_OPT_SIZE, .target = &o.rounds, .min = 1, .max = 100000000,
         .help = "transfers per thread (default 1e5)"},
        {.name = "watchdog", .metavar = "S", .kind = PK_OPT_CALLBACK, .set = pk_pat_set_seconds, .ctx = &o.watchdog_s,
         .help = "seconds a thread waits for a lock before it declares a deadlock (default 2)"},
    };
    int code = pk_pat_parse(argc, argv, summary, opts, sizeof opts / sizeof opts[0], &c, PK_PAT_UNTIMED,
                            pk_omp_check_env, 0);
    if (code >= 0) return code;
    if (omp_get_thread_limit() < 2)
        return pk_pat_usage(0, prog, "needs 2 threads, OMP_THREAD_LIMIT allows %d", omp_get_thread_limit());

    lock_pair_cfg cfg = {.order = strcmp(o.mode, "ordered") == 0 ? LOCKS_ORDERED : LOCKS_OPPOSITE,
                         .rounds = o.rounds, .watchdog_s = o.watchdog_s};
    lock_pair_result res;
    lock_pair_run(&cfg, &res);
    if (res.threads != 2) {
        pk_error(prog, "the OpenMP runtime gave %d thread(s) where 2 were asked (OMP_DYNAMIC?)", res.threads);
        return PK_EXIT_FAIL;
    }
    char why[256];
    int balanced = lock_pair_check(&res, why, sizeof why);
    report(prog, summary, &o, &res, balanced, why, c.json);
    return balanced && !res.deadlock ? PK_EXIT_OK : PK_EXIT_FAIL;
}
