/* pk_drive on MPI ranks (and on MPI ranks x OpenMP threads for hybrid programs). The rank
 * schedule (mpi/rank_schedule.c) decides which rank computes which blocks; threads inside a
 * hybrid rank share each of its chunks under OMP_SCHEDULE. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/program.h"
#include "parkit/error.h"
#include "parkit/interrupt.h"
#include "parkit/mpi_runner.h"
#include "parkit/rank_schedule.h"

typedef struct mpi_state {
    const pk_team *team; /* what computes inside this rank */
    const char *option;  /* --rank-schedule as given, or NULL */
    const char *source;  /* where the schedule came from */
    int open;
    int threads;                  /* this rank's team */
    int threads_min, threads_max; /* over the ranks: a rankfile may give them different CPUs */
    pk_rank_schedule rs;
} mpi_state;

/* This rank's threads over the timed runs. A file static rather than part of mpi_state: the balance
 * hook receives no backend (driver.h), and a process runs one backend at a time. */
static struct {
    int counted;    /* the team counts its threads (hybrid); otherwise each rank is one thread */
    pk_tally tally;
} rank_threads;

static int mpi_all_ok(int ok)
{
    int mine = ok != 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

static int mpi_first_error(const pk_backend *b, int code, char *err, size_t errlen)
{
    int mine = code != 0 ? b->rank : b->size, first = b->size;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == b->size) return 0;
    char text[512];
    if (b->rank == first) {
        if (first == 0) snprintf(text, sizeof text, "%s", err);
        else snprintf(text, sizeof text, "rank %d: %s", first, err); /* the others may not share its view */
    }
    MPI_Bcast(&code, 1, MPI_INT, first, MPI_COMM_WORLD);
    MPI_Bcast(text, (int)sizeof text, MPI_CHAR, first, MPI_COMM_WORLD);
    snprintf(err, errlen, "%s", text);
    return code;
}

/* What every rank must have been given alike, one item per line: the program, the environment this
 * backend reads, each argument (last, so that an extra argument is named as such). */
static char *inputs_text(int argc, char **argv, size_t *len)
{
    const char *sched = getenv(PK_RANK_SCHEDULE_ENV);
    size_t cap = 64 + strlen(PK_RANK_SCHEDULE_ENV) + (sched ? strlen(sched) : 8);
    for (int i = 0; i < argc; i++) cap += strlen(argv[i]) + 32;
    char *t = malloc(cap);
    if (!t) return NULL;
    size_t used = (size_t)snprintf(t, cap, "program '%s'\n", pk_program_name(argv[0]));
    used += (size_t)snprintf(t + used, cap - used, "%s %s%s%s\n", PK_RANK_SCHEDULE_ENV, sched ? "'" : "",
                             sched ? sched : "unset", sched ? "'" : "");
    for (int i = 1; i < argc; i++) used += (size_t)snprintf(t + used, cap - used, "argument %d '%s'\n", i, argv[i]);
    *len = used;
    return t;
}

/* Line `index` (0-based) of text (no newline), or "nothing" past its end. */
static void line_of(const char *text, int index, char *out, size_t len)
{
    for (int i = 0; i < index && text; i++) {
        text = strchr(text, '\n');
        if (text) text++;
    }
    if (!text || !*text) {
        snprintf(out, len, "nothing");
        return;
    }
    snprintf(out, len, "%.*s", (int)strcspn(text, "\n"), text);
}

/* FNV-1a: a digest for comparing, not for security (the texts are compared in full when it differs). */
static uint64_t digest(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* One collective when the ranks agree (the digests' min and max); otherwise rank 0's text goes to
 * every rank, each finds its first line that differs, and the lowest such line (then the lowest rank)
 * is named on every rank. */
static int mpi_same_inputs(const pk_backend *b, int argc, char **argv, char *err, size_t errlen)
{
    size_t len = 0;
    char *mine = inputs_text(argc, argv, &len);
    uint64_t h = mine ? digest(mine, len) : 0, v[2] = {h, ~h};
    MPI_Allreduce(MPI_IN_PLACE, v, 2, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    int ok = mine != NULL, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(mine);
        snprintf(err, errlen, "out of memory comparing the ranks' command lines");
        return PK_EXIT_FAIL;
    }
    if (v[0] == ~v[1]) { /* max == min: one digest */
        free(mine);
        return 0;
    }
    unsigned long long root_len = len;
    MPI_Bcast(&root_len, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    char *root = b->rank == 0 ? mine : malloc((size_t)root_len + 1);
    ok = root != NULL;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        if (root != mine) free(root);
        free(mine);
        snprintf(err, errlen, "out of memory comparing the ranks' command lines");
        return PK_EXIT_FAIL;
    }
    MPI_Bcast(root, (int)root_len, MPI_CHAR, 0, MPI_COMM_WORLD);
    root[root_len] = '\0';
    int first[2] = {INT_MAX, b->rank}; /* (line, rank) */
    for (int i = 0;; i++) {
        char a[256], c[256];
        line_of(mine, i, a, sizeof a);
        line_of(root, i, c, sizeof c);
        if (strcmp(a, c) != 0) {
            first[0] = i;
            break;
        }
        if (strcmp(a, "nothing") == 0) break;
    }
    MPI_Allreduce(MPI_IN_PLACE, first, 1, MPI_2INT, MPI_MINLOC, MPI_COMM_WORLD);
    char theirs[256] = "", ours[256];
    if (first[0] != INT_MAX) {
        if (b->rank == first[1]) line_of(mine, first[0], theirs, sizeof theirs);
        MPI_Bcast(theirs, (int)sizeof theirs, MPI_CHAR, first[1], MPI_COMM_WORLD);
        line_of(root, first[0], ours, sizeof ours);
        snprintf(err, errlen, "the ranks were not started alike: rank %d has %s where rank 0 has %s (every rank "
                 "needs the same command line and %s)", first[1], theirs, ours, PK_RANK_SCHEDULE_ENV);
    }
    if (root != mine) free(root);
    free(mine);
    /* equal texts with unequal digests cannot happen; two texts that only differ after 255
     * characters of one line are still named by their first 255 */
    if (first[0] == INT_MAX) snprintf(err, errlen, "the ranks were not started alike (a line longer than 255 "
                                      "characters differs)");
    return PK_EXIT_USAGE;
}

static int mpi_configure(pk_backend *b, const pk_kernel *k, const void *params, const char *program, char *err,
                         size_t errlen)
{
    mpi_state *st = b->state;
    /* this rank's own checks first, agreed before any collective below: the environment of one
     * node may differ from another's */
    int code = 0;
    pk_schedule s;
    if (st->team->check_env && st->team->check_env(err, errlen) != 0) code = PK_EXIT_USAGE;
    else if (pk_rank_schedule_choose(st->option, pk_kernel_holds_data(k, params), &s, &st->source, err, errlen) != 0)
        code = PK_EXIT_USAGE;
    code = mpi_first_error(b, code, err, errlen);
    if (code != 0) return code;
    if (st->open) pk_rank_schedule_close(&st->rs);
    pk_rank_schedule_open(&st->rs, &s, MPI_COMM_WORLD);
    st->open = 1;
    int threads = st->team->count();
    st->threads = threads;
    pk_tally_reset(&rank_threads.tally);
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
    /* counted runs only, per call (a run in epochs makes several); a rank that gets no chunk still
     * counts its threads, idle */
    pk_tally *threads = mine && rank_threads.counted ? &rank_threads.tally : NULL;
    if (threads && pk_tally_join(threads, (size_t)st->threads) != 0) threads = NULL;
    pk_rank_schedule_run(&st->rs, st->team, threads, k, job, b0, b1, &local, mine);
    pk_mpi_reduce_result(k, &local, global, MPI_COMM_WORLD);
}

static void mpi_barrier(void) { MPI_Barrier(MPI_COMM_WORLD); }

static double mpi_max(double t)
{
    double max = t;
    MPI_Reduce(&t, &max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    return max;
}

/* Collective: every rank's thread shares gathered to rank 0 and summarized there into bal's thread
 * part; left out on every rank when some rank lost count or rank 0 has no memory for them. */
static void gather_threads(pk_balance *bal, int rank, int size)
{
    const pk_tally *t = &rank_threads.tally;
    long long v[2] = {t->lost, t->lost ? 0 : (long long)t->used}; /* summed: ranks that lost, threads */
    MPI_Allreduce(MPI_IN_PLACE, v, 2, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (v[0] != 0 || v[1] > INT_MAX / 2) return; /* Gatherv counts are ints */
    int *counts = NULL, *displs = NULL;
    pk_share *all = NULL;
    if (rank == 0) {
        counts = malloc(2 * (size_t)size * sizeof *counts);
        all = malloc((size_t)(v[1] > 0 ? v[1] : 1) * sizeof *all);
        displs = counts ? counts + size : NULL;
    }
    int have = rank != 0 || (counts && all);
    MPI_Bcast(&have, 1, MPI_INT, 0, MPI_COMM_WORLD);
    int send = have ? 2 * (int)t->used : 0; /* doubles */
    if (have) MPI_Gather(&send, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (have && rank == 0) {
        displs[0] = 0;
        for (int i = 1; i < size; i++) displs[i] = displs[i - 1] + counts[i - 1];
    }
    if (have) MPI_Gatherv(t->of, send, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (have && rank == 0) pk_balance_add_threads(bal, all, (size_t)v[1]);
    free(all);
    free(counts);
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
        /* pure MPI: each rank is one thread, so the thread fields are the rank fields, given for
         * every model alike */
        if (!rank_threads.counted) pk_balance_add_threads(&bal, all, (size_t)size);
        free(all);
    }
    if (rank_threads.counted) gather_threads(&bal, rank, size);
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
    rank_threads.counted = st->team->compute_tallied != NULL;
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
    b.same_inputs = mpi_same_inputs;
    b.first_error = mpi_first_error;
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
    pk_tally_free(&rank_threads.tally);
    pk_mpi_reduce_release();
    free(st);
    b->state = NULL;
}

int pk_mpi_main(const pk_program *program, int argc, char **argv, const pk_team *team)
{
    const char *prog = pk_program_name(argv[0]);
    /* a signal during MPI_Init (a launcher forwarding an early scancel or --signal) must not kill a
     * checkpointing run nor be lost: caught from the first instant, acted on between epochs */
    pk_interrupt_install();
    /* only the master thread calls MPI, between parallel regions: FUNNELED is enough */
    int code = pk_mpi_init(&argc, &argv, team ? MPI_THREAD_FUNNELED : MPI_THREAD_SINGLE, prog);
    if (code != 0) return code;
    pk_backend b = pk_mpi_backend(team);
    code = pk_drive(program, &b, argc, argv);
    pk_mpi_backend_free(&b);
    MPI_Finalize();
    return code;
}
