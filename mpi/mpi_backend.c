/* pk_drive on MPI ranks (and on MPI ranks x OpenMP threads for hybrid programs). The rank
 * schedule (mpi/rank_schedule.c) decides which rank computes which blocks; threads inside a
 * hybrid rank share each of its chunks under OMP_SCHEDULE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#include "parkit/rank_schedule.h"

typedef struct mpi_state {
    const pk_team *team; /* what computes inside this rank */
    const char *option;  /* --rank-schedule as given, or NULL */
    const char *source;  /* where the schedule came from */
    int open;
    int threads_min, threads_max; /* over the ranks: a rankfile may give them different CPUs */
    pk_rank_schedule rs;
} mpi_state;

static int mpi_all_ok(int ok)
{
    int mine = ok != 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

static int mpi_configure(pk_backend *b, const pk_kernel *k, const void *params, const char *program, char *err,
                         size_t errlen)
{
    mpi_state *st = b->state;
    if (st->team->check_env && st->team->check_env(err, errlen) != 0) return PK_EXIT_USAGE;
    pk_schedule s;
    int holds = pk_kernel_holds_data(k, params);
    if (pk_rank_schedule_choose(st->option, holds, &s, &st->source, err, errlen) != 0) return PK_EXIT_USAGE;
    if (st->open) pk_rank_schedule_close(&st->rs);
    pk_rank_schedule_open(&st->rs, &s, MPI_COMM_WORLD);
    st->open = 1;
    int threads = st->team->count();
    MPI_Allreduce(&threads, &st->threads_min, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&threads, &st->threads_max, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    /* warn only now that the command line and the environment are known to be valid */
    pk_mpi_warn_oversubscription(program, threads);
    if (st->rs.fallback && b->rank == 0) {
        char want[64], got[64];
        pk_schedule_format(&st->rs.requested, want, sizeof want);
        pk_schedule_format(&st->rs.schedule, got, sizeof got);
        pk_warning(program, "rank schedule %s needs one-sided MPI (MPI_Win_allocate), which this MPI library "
                   "cannot provide between these ranks; running %s instead", want, got);
    }
    return 0;
}

/* The data a rank holds is its static slice: the only schedule allowed for kernels with data. */
static pk_range mpi_owned(const pk_backend *b, uint64_t nblocks)
{
    return pk_partition(nblocks, (uint64_t)b->size, (uint64_t)b->rank);
}

static void mpi_run(const pk_backend *b, const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1,
                    void *global, pk_share *mine)
{
    mpi_state *st = b->state;
    pk_result local;
    pk_rank_schedule_run(&st->rs, st->team->compute, k, job, b0, b1, &local, mine);
    pk_mpi_reduce_result(k, &local, global, MPI_COMM_WORLD);
}

static void mpi_barrier(void) { MPI_Barrier(MPI_COMM_WORLD); }

static double mpi_max(double t)
{
    double max = t;
    MPI_Reduce(&t, &max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    return max;
}

static pk_balance mpi_balance(const pk_share *mine)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    _Static_assert(sizeof(pk_share) == 2 * sizeof(double), "pk_share is gathered as two doubles");
    pk_share *all = rank == 0 ? malloc((size_t)size * sizeof *all) : NULL;
    /* rank 0 without memory for the table still takes part, and reports its own share only */
    int have = rank != 0 || all != NULL;
    MPI_Bcast(&have, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!have) return pk_balance_of(mine, 1);
    MPI_Gather(mine, 2, MPI_DOUBLE, all, 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    pk_balance bal = pk_balance_of(mine, 1);
    if (rank == 0) {
        bal = pk_balance_of(all, (size_t)size);
        free(all);
    }
    return bal;
}

static void mpi_agree(uint64_t *v, int count)
{
    MPI_Allreduce(MPI_IN_PLACE, v, count, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
}

enum { HOST_NAME = 64 };

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

/* Every rank's host name, gathered to rank 0, listed once each in name order (sorted, so that
 * 10^5 ranks cost p log p comparisons, not p^2). */
static void mpi_hosts(const pk_backend *b, char *buf, size_t len)
{
    char mine[HOST_NAME] = "";
    char full[MPI_MAX_PROCESSOR_NAME];
    int flen = 0;
    MPI_Get_processor_name(full, &flen);
    snprintf(mine, sizeof mine, "%.*s", HOST_NAME - 1, full); /* long names cut: a list, not an identity */
    char *all = b->rank == 0 ? malloc((size_t)b->size * HOST_NAME) : NULL;
    int have = b->rank != 0 || all != NULL;
    MPI_Bcast(&have, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!have) { /* rank 0 without memory for the list: its own name, and the count */
        snprintf(buf, len, "%s and others (%d ranks)", mine, b->size);
        return;
    }
    MPI_Gather(mine, HOST_NAME, MPI_CHAR, all, HOST_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
    if (b->rank != 0) return;
    qsort(all, (size_t)b->size, HOST_NAME, by_name);
    size_t used = 0;
    int distinct = 0, shown = 0;
    buf[0] = '\0';
    for (int i = 0; i < b->size; i++) {
        const char *name = all + (size_t)i * HOST_NAME;
        if (i > 0 && strcmp(name, name - HOST_NAME) == 0) continue;
        distinct++;
        if (used + strlen(name) + 26 < len) {
            used += (size_t)snprintf(buf + used, len - used, "%s%s", shown ? "," : "", name);
            shown++;
        }
    }
    if (shown < distinct) snprintf(buf + used, len - used, ",... (%d hosts)", distinct);
    free(all);
}

static pk_workers mpi_workers(const pk_backend *b)
{
    const mpi_state *st = b->state;
    return (pk_workers){.ranks = b->size, .threads = st->team->count()};
}

static void mpi_describe(const pk_backend *b, pk_report *r)
{
    const mpi_state *st = b->state;
    pk_report_num(r, "ranks", "%d", b->size);
    st->team->describe(r);
    if (st->team != &pk_single_thread) { /* "threads" above is rank 0's */
        pk_report_num(r, "rank_threads_min", "%d", st->threads_min);
        pk_report_num(r, "rank_threads_max", "%d", st->threads_max);
    }
    char text[64];
    pk_schedule_format(&st->rs.schedule, text, sizeof text);
    pk_report_str(r, "rank_schedule", "%s", text);
    pk_report_str(r, "rank_schedule_from", "%s", st->source ? st->source : "default");
    if (st->rs.fallback) {
        pk_schedule_format(&st->rs.requested, text, sizeof text);
        pk_report_str(r, "rank_schedule_requested", "%s", text);
    }
    pk_report_num(r, "rank_chunks", "%llu", (unsigned long long)st->rs.chunks.count);
    pk_mpi_report_library(r);
}

static int set_option(void *ctx, const char *value, char *err, size_t errlen)
{
    (void)err, (void)errlen; /* checked in configure, with the kernel known */
    ((mpi_state *)ctx)->option = value;
    return 0;
}

pk_backend pk_mpi_backend(const pk_team *team)
{
    pk_backend b;
    memset(&b, 0, sizeof b);
    mpi_state *st = calloc(1, sizeof *st);
    if (!st) {
        pk_error(NULL, "out of memory for the MPI backend");
        MPI_Abort(MPI_COMM_WORLD, PK_EXIT_FAIL);
    }
    st->team = team ? team : &pk_single_thread;
    b.state = st;
    b.model = team ? "hybrid" : "mpi";
    MPI_Comm_rank(MPI_COMM_WORLD, &b.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &b.size);
    b.opts[b.nopts++] = (pk_opt){.name = "rank-schedule", .metavar = "KIND[,C]",
                                 .help = "how ranks share blocks: static, dynamic or guided, chunk C in blocks "
                                         "(default guided; also " PK_RANK_SCHEDULE_ENV ")",
                                 .kind = PK_OPT_CALLBACK, .set = set_option, .ctx = st};
    b.configure = mpi_configure;
    b.all_ok = mpi_all_ok;
    b.owned = mpi_owned;
    b.touch = st->team->touch;
    b.run = mpi_run;
    b.barrier = mpi_barrier;
    b.wtime = MPI_Wtime;
    b.max_over_ranks = mpi_max;
    b.balance = mpi_balance;
    b.agree = mpi_agree;
    b.hosts = mpi_hosts;
    b.workers = mpi_workers;
    b.describe = mpi_describe;
    return b;
}

void pk_mpi_backend_free(pk_backend *b)
{
    mpi_state *st = b->state;
    if (!st) return;
    if (st->open) pk_rank_schedule_close(&st->rs);
    pk_mpi_reduce_release();
    free(st);
    b->state = NULL;
}

int pk_mpi_main(const pk_kernel *k, int argc, char **argv, const pk_team *team)
{
    const char *prog = pk_program_name(argv[0]);
    /* only the master thread calls MPI, between parallel regions: FUNNELED is enough */
    int code = pk_mpi_init(&argc, &argv, team ? MPI_THREAD_FUNNELED : MPI_THREAD_SINGLE, prog);
    if (code != 0) return code;
    pk_backend b = pk_mpi_backend(team);
    code = pk_drive(k, &b, argc, argv);
    pk_mpi_backend_free(&b);
    MPI_Finalize();
    return code;
}
