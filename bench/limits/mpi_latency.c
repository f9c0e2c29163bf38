/* parkit_mpi_latency: the small-message costs of MPI on this machine, for bench/ (parkit_limits
 * runs it and stores the numbers; the scaling model uses them as the reduction latency and as the
 * cost of the dynamic and guided rank schedules' claims).
 *
 *   mpirun -np 2 ./parkit_mpi_latency            # text report
 *   mpirun -np 2 ./parkit_mpi_latency --json     # one JSON object
 *   mpirun -np 1 ./parkit_mpi_latency --launch-only   # start and stop only (launch cost)
 *
 * Measured (OSU micro-benchmark style: warm-up, then many iterations, average per operation):
 *   latency_s            half the round trip of a --bytes message between ranks 0 and 1
 *   reduce_latency_s     MPI_Reduce of 16 bytes (the size of a sum result) to rank 0, ranks
 *                        separated by a barrier each iteration, average over ranks
 *   allreduce_latency_s  MPI_Allreduce of 16 bytes, same way
 *   barrier_latency_s    MPI_Barrier
 *   claim_latency_s      one claim of the rank schedule's chunk counter (pk_rank_schedule_claim:
 *                        MPI_Fetch_and_op on rank 0's window + flush), made by rank 1 alone while
 *                        the other ranks wait at a barrier: the uncontended cost a rank pays per
 *                        chunk under the dynamic and guided rank schedules
 *   claim_service_s      every rank claims --iters times at once; (wall time of the slowest rank) /
 *                        (claims by all ranks): the counter's service time per claim under
 *                        contention, 1 / the claims per second one counter serves (an overestimate
 *                        while too few ranks claim to keep the counter busy all the time)
 *   claim_status         "measured", or "unavailable: ..." (both claim fields 0) when this MPI has
 *                        no one-sided transport between these ranks: the rank schedule then falls
 *                        back to static and makes no claims
 * The claims go through the real mechanism: pk_rank_schedule_open with a dynamic schedule,
 * pk_rank_schedule_claim, pk_rank_schedule_close.
 * Each over --repeat rounds; the median round is reported. Needs at least 2 ranks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "parkit/cli.h"
#include "parkit/error.h"
#include "parkit/rank_schedule.h"
#include "parkit/report.h"
#include "parkit/stats.h"
#include "parkit/version.h"

typedef struct opts {
    uint64_t bytes, iters, warmup, repeat;
    int json, launch_only;
} opts;

static double pingpong(int rank, const opts *o, char *buf)
{
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = 0;
    for (uint64_t i = 0; i < o->warmup + o->iters; i++) {
        if (i == o->warmup) t0 = MPI_Wtime();
        if (rank == 0) {
            MPI_Send(buf, (int)o->bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(buf, (int)o->bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
            MPI_Recv(buf, (int)o->bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buf, (int)o->bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
    }
    double t = (MPI_Wtime() - t0) / (2.0 * (double)o->iters);
    MPI_Bcast(&t, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD); /* rank 0's view */
    return t;
}

enum coll { COLL_REDUCE, COLL_ALLREDUCE, COLL_BARRIER };

/* Average over ranks of the mean time of one collective (timed alone, barrier in between). */
static double collective(enum coll c, const opts *o, int size)
{
    uint64_t in[2] = {1, 2}, out[2] = {0, 0};
    double total = 0;
    for (uint64_t i = 0; i < o->warmup + o->iters; i++) {
        double t0 = MPI_Wtime();
        if (c == COLL_REDUCE) MPI_Reduce(in, out, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
        else if (c == COLL_ALLREDUCE) MPI_Allreduce(in, out, 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        else MPI_Barrier(MPI_COMM_WORLD);
        if (i >= o->warmup) total += MPI_Wtime() - t0;
        MPI_Barrier(MPI_COMM_WORLD);
    }
    double mine = total / (double)o->iters, sum = 0;
    MPI_Allreduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return sum / size;
}

/* Rank 1 claims alone; the others wait at the barrier. Rank 1's mean time per claim. */
static double claim_alone(const pk_rank_schedule *rs, const opts *o)
{
    double t = 0;
    MPI_Barrier(rs->comm);
    if (rs->rank == 1) {
        double t0 = MPI_Wtime();
        for (uint64_t i = 0; i < o->warmup + o->iters; i++) {
            if (i == o->warmup) t0 = MPI_Wtime();
            (void)pk_rank_schedule_claim(rs);
        }
        t = (MPI_Wtime() - t0) / (double)o->iters;
    }
    MPI_Barrier(rs->comm);
    MPI_Bcast(&t, 1, MPI_DOUBLE, 1, rs->comm);
    return t;
}

/* Every rank claims --iters times at once: the slowest rank's wall time per claim of all ranks. */
static double claim_together(const pk_rank_schedule *rs, const opts *o)
{
    for (uint64_t i = 0; i < o->warmup; i++) (void)pk_rank_schedule_claim(rs);
    MPI_Barrier(rs->comm);
    double t0 = MPI_Wtime();
    for (uint64_t i = 0; i < o->iters; i++) (void)pk_rank_schedule_claim(rs);
    double mine = MPI_Wtime() - t0, slowest = 0;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, rs->comm);
    return slowest / ((double)o->iters * (double)rs->size);
}

static double median_claims(double (*f)(const pk_rank_schedule *, const opts *), const pk_rank_schedule *rs,
                            const opts *o, double *v)
{
    for (uint64_t r = 0; r < o->repeat; r++) v[r] = f(rs, o);
    return pk_stats_of(v, (size_t)o->repeat).median;
}

static double median_of(double (*f)(enum coll, const opts *, int), enum coll c, const opts *o, int size,
                        double *v)
{
    for (uint64_t r = 0; r < o->repeat; r++) v[r] = f(c, o, size);
    return pk_stats_of(v, (size_t)o->repeat).median;
}

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    int rank = 0, size = 1;
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        pk_error(prog, "MPI_Init failed");
        return 1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    opts o = {8, 10000, 1000, 5, 0, 0};
    const pk_opt table[] = {
        {"bytes", "B", "message size of the ping-pong (default 8)", PK_OPT_SIZE, &o.bytes, 0, 1 << 20, NULL, NULL,
         NULL, NULL},
        {"iters", "K", "timed iterations per round (default 10000)", PK_OPT_SIZE, &o.iters, 1, 100000000, NULL,
         NULL, NULL, NULL},
        {"warmup", "W", "untimed iterations per round (default 1000)", PK_OPT_SIZE, &o.warmup, 0, 100000000, NULL,
         NULL, NULL, NULL},
        {"repeat", "R", "rounds; the median is reported (default 5)", PK_OPT_SIZE, &o.repeat, 1, 1000, NULL, NULL,
         NULL, NULL},
        {"json", NULL, "print the report as one JSON object", PK_OPT_FLAG, &o.json, 0, 0, NULL, NULL, NULL, NULL},
        {"launch-only", NULL, "start MPI and stop (to time the launcher)", PK_OPT_FLAG, &o.launch_only, 0, 0, NULL,
         NULL, NULL, NULL},
    };
    char err[512] = "";
    int code = -1;
    switch (pk_cli_parse(argc, argv, table, sizeof table / sizeof *table, err, sizeof err)) {
    case PK_CLI_HELP:
        if (rank == 0)
            pk_cli_help(prog, "MPI small-message latency, reduce/allreduce/barrier latency, rank-schedule claim cost "
                        "(run on >= 2 ranks)",
                        table, sizeof table / sizeof *table);
        code = 0;
        break;
    case PK_CLI_VERSION:
        if (rank == 0) printf("%s (parkit) %s\n", prog, PARKIT_VERSION);
        code = 0;
        break;
    case PK_CLI_ERROR:
        if (rank == 0) pk_error(prog, "%s", err);
        code = 2;
        break;
    case PK_CLI_OK:
        break;
    }
    if (code < 0 && o.launch_only) code = 0;
    if (code < 0 && size < 2) {
        if (rank == 0) pk_error(prog, "needs at least 2 ranks (mpirun -np 2 %s), got %d", prog, size);
        code = 2;
    }
    if (code >= 0) { /* every rank reached the same verdict from the same argv and size */
        MPI_Finalize();
        return code;
    }

    char *buf = calloc(o.bytes ? o.bytes : 1, 1);
    double *v = calloc(o.repeat, sizeof *v);
    int ok = buf && v, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (!all_ok) {
        if (rank == 0) pk_error(prog, "out of memory");
        free(buf), free(v);
        MPI_Finalize();
        return 1;
    }
    for (uint64_t r = 0; r < o.repeat; r++) v[r] = pingpong(rank, &o, buf);
    double latency = pk_stats_of(v, (size_t)o.repeat).median;
    double reduce = median_of(collective, COLL_REDUCE, &o, size, v);
    double allreduce = median_of(collective, COLL_ALLREDUCE, &o, size, v);
    double barrier = median_of(collective, COLL_BARRIER, &o, size, v);

    /* a dynamic,1 rank schedule's counter, claimed outside any run: only the atomic is timed, the
     * chunk indices it hands out are not used (no run resets the counter or stops at a count) */
    double claim_latency = 0, claim_service = 0;
    const char *claim_status = "measured";
    pk_schedule dyn = {PK_SCHED_DYNAMIC, 1};
    pk_rank_schedule rs;
    pk_rank_schedule_open(&rs, &dyn, MPI_COMM_WORLD);
    if (rs.fallback) {
        claim_status = "unavailable: this MPI cannot make a one-sided window between these ranks "
                       "(the dynamic and guided rank schedules fall back to static)";
    } else {
        claim_latency = median_claims(claim_alone, &rs, &o, v);
        claim_service = median_claims(claim_together, &rs, &o, v);
    }
    pk_rank_schedule_close(&rs);

    if (rank == 0) {
        pk_report r;
        pk_report_init(&r, "parkit_mpi_latency: MPI small-message costs");
        pk_report_str(&r, "program", "%s", prog);
        pk_report_str(&r, "version", "%s", PARKIT_VERSION);
        pk_report_num(&r, "ranks", "%d", size);
        pk_report_num(&r, "bytes", "%llu", (unsigned long long)o.bytes);
        pk_report_num(&r, "iters", "%llu", (unsigned long long)o.iters);
        pk_report_num(&r, "repeat", "%llu", (unsigned long long)o.repeat);
        pk_report_num(&r, "latency_s", "%.4e", latency);
        pk_report_num(&r, "reduce_latency_s", "%.4e", reduce);
        pk_report_num(&r, "allreduce_latency_s", "%.4e", allreduce);
        pk_report_num(&r, "barrier_latency_s", "%.4e", barrier);
        pk_report_num(&r, "claim_latency_s", "%.4e", claim_latency);
        pk_report_num(&r, "claim_service_s", "%.4e", claim_service);
        pk_report_str(&r, "claim_status", "%s", claim_status);
        if (o.json) pk_report_print_json(&r, stdout);
        else pk_report_print_text(&r, stdout);
    }
    free(buf), free(v);
    MPI_Finalize();
    return 0;
}
