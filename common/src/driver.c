/* pk_drive: the one flow of every kernel program (see driver.h). Every rank runs it in lockstep;
 * usage errors are detected identically on all ranks (same argv, same environment), so each rank
 * returns the same exit code without talking, and only rank 0 prints.
 *
 * Long runs (--progress, --checkpoint) go in epochs: consecutive ranges of blocks, each one a
 * whole backend run (the backend still decides which worker computes which block), sized to take
 * about a quarter of a second. Between epochs rank 0 prints progress and writes the checkpoint,
 * and every rank learns whether any of them caught a signal. The state after an epoch is exact
 * and tiny: blocks [0, B) combined. */
#include "parkit/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/checkpoint.h"
#include "parkit/error.h"
#include "parkit/interrupt.h"
#include "parkit/limits.h"
#include "parkit/output_path.h"
#include "parkit/program.h"
#include "parkit/progress.h"
#include "parkit/provenance.h"
#include "parkit/stats.h"
#include "parkit/version.h"

#define PK_MAX_REPEAT 100000

#define PK_EPOCH_SECONDS 0.25 /* an epoch's target length: progress and signals wait at most this */

typedef struct settings {
    uint64_t n, repeat, warmup, checkpoint_every;
    int json, n_given, repeat_given, warmup_given, every_given, progress, describe;
    const char *checkpoint;
} settings;

/* A check's verdict as every rank will act on it: the first failing rank's (see first_error), its
 * line printed once by rank 0. Returns that code (0: every rank passed). */
static int agreed(const pk_backend *b, const char *prog, int code, char *err, size_t errlen)
{
    code = b->first_error ? b->first_error(b, code, err, errlen) : code;
    if (code != 0 && b->rank == 0) pk_error(prog, "%s", err);
    return code;
}

/* Starts a program: the ranks make sure they were started alike (then every later verdict is the
 * same on every rank), and the kernel is checked and completed with its defaults into *k. Returns
 * -1 to go on, or the exit code to return now. */
static int start(const pk_program *p, pk_backend *b, int argc, char **argv, pk_kernel *k)
{
    const char *prog = pk_program_name(argv[0]);
    char err[512] = "";
    if (b->same_inputs) {
        int code = b->same_inputs(b, argc, argv, err, sizeof err);
        if (code != 0) {
            if (b->rank == 0) pk_error(prog, "%s", err);
            return code;
        }
    }
    if (pk_kernel_resolve(p->kernel, p->kernel_name, k, err, sizeof err) != 0) {
        if (b->rank == 0) pk_error(prog, "%s (a program built from a broken kernel; kernel.h lists the fields)", err);
        return PK_EXIT_KERNEL;
    }
    return -1;
}

/* An option the kernel or the backend offers under a name the kit already uses would be silently
 * shadowed: a broken kernel. Returns the repeated name, or NULL. */
static const char *repeated_option(const pk_opt *opts, size_t nopts)
{
    for (size_t i = 0; i < nopts; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(opts[i].name, opts[j].name) == 0 || strcmp(opts[i].name, "help") == 0 ||
                strcmp(opts[i].name, "version") == 0)
                return opts[i].name;
    return NULL;
}

/* --describe: the program as data, so that tools (the front end, bench/, completion) read it
 * instead of keeping lists of their own or parsing --help. */
static void describe(const pk_kernel *k, const pk_backend *b, const char *prog, const pk_opt *opts, size_t nopts)
{
    const char *keys[] = {"program", "kernel", "model", "summary", "version"};
    const char *values[] = {prog, k->name, b->model, k->summary, PARKIT_VERSION};
    printf("{");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char text[1024];
        pk_json_string(values[i], text, sizeof text); /* short texts: the kit's and the kernel's own */
        printf("%s\"%s\": %s", i ? ", " : "", keys[i], text);
    }
    printf(", \"default_n\": %llu, \"max_n\": %llu, \"test_n\": %llu, \"block\": %llu, \"options\": ",
           (unsigned long long)k->default_n, (unsigned long long)k->max_n, (unsigned long long)k->test_n,
           (unsigned long long)k->block);
    pk_cli_describe_options(stdout, opts, nopts);
    printf("}\n");
}

/* Parses the command line; returns -1 to go on, or the exit code to return now. Every verdict is
 * the same on every rank: each check that looks at this node (files, directories) is agreed before
 * anyone acts on it. */
static int parse(const pk_kernel *k, pk_backend *b, int argc, char **argv, settings *s, void *params)
{
    const char *prog = pk_program_name(argv[0]);
    char err[512] = "";
    pk_opt opts[8 + PK_KERNEL_MAX_OPTS + PK_BACKEND_MAX_OPTS];
    size_t nopts = 0;
    opts[nopts++] = (pk_opt){"n", "N", "problem size: the index space [0, N)", PK_OPT_SIZE, &s->n, 0,
                             k->max_n, NULL, NULL, NULL, &s->n_given};
    opts[nopts++] = (pk_opt){"repeat", "K", "timed runs (default 5; 1 with --checkpoint); the report gives "
                             "min/median/max", PK_OPT_SIZE, &s->repeat, 1, PK_MAX_REPEAT, NULL, NULL, NULL,
                             &s->repeat_given};
    opts[nopts++] = (pk_opt){"warmup", "W", "untimed runs before timing (default 1; 0 with --checkpoint)",
                             PK_OPT_SIZE, &s->warmup, 0, PK_MAX_REPEAT, NULL, NULL, NULL, &s->warmup_given};
    opts[nopts++] = (pk_opt){"json", NULL, "print the report as one JSON object", PK_OPT_FLAG, &s->json,
                             0, 0, NULL, NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"progress", NULL, "progress lines on stderr, about once a second (rank 0)",
                             PK_OPT_FLAG, &s->progress, 0, 0, NULL, NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"checkpoint", "FILE", "keep the run's state in FILE and resume from it; SIGTERM, "
                             "SIGINT, SIGUSR1 write it and exit 3", PK_OPT_STRING, &s->checkpoint, 0, 0, NULL,
                             NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"describe", NULL, "print what this program is (kernel, model, sizes, options) as one "
                             "JSON object and exit", PK_OPT_FLAG, &s->describe, 0, 0, NULL, NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"checkpoint-every", "S", "seconds between checkpoint writes (default 60)",
                             PK_OPT_SIZE, &s->checkpoint_every, 1, 100000000, NULL, NULL, NULL, &s->every_given};
    for (size_t i = 0; i < PK_KERNEL_MAX_OPTS && k->opts[i].name; i++)
        opts[nopts++] = (pk_opt){k->opts[i].name, k->opts[i].metavar, k->opts[i].help, PK_OPT_CALLBACK,
                                 NULL, 0, 0, NULL, k->opts[i].set, params, NULL};
    for (size_t i = 0; i < b->nopts; i++) opts[nopts++] = b->opts[i];
    const char *twice = repeated_option(opts, nopts);
    if (twice) {
        if (b->rank == 0)
            pk_error(prog, "kernel '%s': option --%s is already an option of the kit (a program built from a broken "
                     "kernel; kernel.h lists the fields)", k->name, twice);
        return PK_EXIT_KERNEL;
    }

    switch (pk_cli_parse(argc, argv, opts, nopts, err, sizeof err)) {
    case PK_CLI_HELP:
        if (b->rank == 0) {
            char summary[512];
            snprintf(summary, sizeof summary, "%s (%s model; default --n %llu)", k->summary, b->model,
                     (unsigned long long)k->default_n);
            pk_cli_help(prog, summary, opts, nopts);
        }
        return PK_EXIT_OK;
    case PK_CLI_VERSION:
        if (b->rank == 0) printf("%s (parkit) %s\n", prog, PARKIT_VERSION);
        return PK_EXIT_OK;
    case PK_CLI_ERROR:
        if (b->rank == 0) pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    case PK_CLI_OK:
        break;
    }
    if (s->describe) {
        if (b->rank == 0) describe(k, b, prog, opts, nopts);
        return PK_EXIT_OK;
    }
    /* the report reads PARKIT_LIMITS at the end, on rank 0: a bad one is found now, not after the work */
    int code = b->rank == 0 && pk_limits_check(err, sizeof err) != 0 ? PK_EXIT_USAGE : 0;
    if (agreed(b, prog, code, err, sizeof err) != 0) return PK_EXIT_USAGE;
    if (s->every_given && !s->checkpoint) { /* alone it would silently do nothing */
        if (b->rank == 0) pk_error(prog, "--checkpoint-every needs --checkpoint FILE (it says how often to write it)");
        return PK_EXIT_USAGE;
    }
    if (!s->n_given) s->n = k->default_n;
    /* finish may look at files of this node (mandel's --image directory) */
    code = k->finish && k->finish(params, &s->n, s->n_given, err, sizeof err) != 0 ? PK_EXIT_USAGE : 0;
    if (agreed(b, prog, code, err, sizeof err) != 0) return PK_EXIT_USAGE;
    if (s->checkpoint) {
        /* a long run is measured once unless asked otherwise */
        if (!s->repeat_given) s->repeat = 1;
        if (!s->warmup_given) s->warmup = 0;
        if (pk_kernel_holds_data(k, params)) {
            if (b->rank == 0)
                pk_error(prog, "--checkpoint: this kernel reads data each rank holds in memory, which a resumed "
                         "run would not have; checkpoints are for long CPU-bound runs");
            return PK_EXIT_USAGE;
        }
        /* the file must be writable before the work starts (an existing one is read, not changed),
         * from every rank: any of them may be the one whose node lacks the directory */
        char why[480];
        code = pk_output_path_check(s->checkpoint, why, sizeof why) != 0 ? PK_EXIT_USAGE : 0;
        if (code) snprintf(err, sizeof err, "--checkpoint: %s", why);
        /* rank 0 alone writes it: it owns the file for the whole run (released when it exits) */
        if (!code && b->rank == 0 && pk_checkpoint_lock(s->checkpoint, err, sizeof err) < 0) code = PK_EXIT_USAGE;
        if (agreed(b, prog, code, err, sizeof err) != 0) return PK_EXIT_USAGE;
    }
    if (b->configure) {
        code = b->configure(b, k, params, prog, err, sizeof err);
        if (code != 0) {
            if (b->rank == 0) pk_error(prog, "%s", err);
            return code;
        }
    }
    return -1;
}

static void add_rates(pk_report *r, const pk_work *w, double seconds, double workers)
{
    if (seconds <= 0) return;
    if (w->elements > 0) {
        pk_report_num(r, "elements_per_s", "%.6e", w->elements / seconds);
        pk_report_num(r, "elements_per_s_per_worker", "%.6e", w->elements / seconds / workers);
    }
    if (w->bytes > 0) pk_report_num(r, "bytes_per_s", "%.6e", w->bytes / seconds);
    if (w->flops > 0) pk_report_num(r, "flops_per_s", "%.6e", w->flops / seconds);
    if (w->ops > 0 && w->ops_name) {
        char key[48];
        snprintf(key, sizeof key, "%s_per_s", w->ops_name);
        pk_report_num(r, key, "%.6e", w->ops / seconds);
        snprintf(key, sizeof key, "%s_per_s_per_worker", w->ops_name);
        pk_report_num(r, key, "%.6e", w->ops / seconds / workers);
    }
}

/* What a run loop needs besides the job: the checkpoint state (rank 0), progress and timings. */
typedef struct run_state {
    const char *prog;
    const settings *s;
    pk_checkpoint ck;      /* identity, and the state written at each checkpoint (rank 0) */
    double last_write;     /* when the checkpoint was last written */
    uint64_t start_run, start_block; /* where this session started (resumed) */
    int resumed;
    pk_progress progress;
    double *times;         /* each timed run's whole time (a resumed run's earlier segments included) */
    double *here;          /* this command's part of each timed run (0: ran by an earlier command) */
} run_state;

/* Rank 0: writes the state "run `run`, blocks [0, next) combined in `acc`". 0, or -1 (reported). */
static int write_checkpoint(run_state *st, uint64_t run, uint64_t next, const void *acc, size_t size,
                            double run_seconds, double now)
{
    st->ck.run = run;
    st->ck.next_block = next;
    memcpy(&st->ck.partial, acc, size);
    st->ck.run_seconds = run_seconds;
    st->ck.times = st->times;
    st->ck.ntimes = run > st->s->warmup ? run - st->s->warmup : 0;
    char err[512];
    int rc = pk_checkpoint_write(st->s->checkpoint, &st->ck, err, sizeof err);
    st->ck.times = NULL;
    st->ck.ntimes = 0;
    if (rc != 0) pk_error(st->prog, "%s", err);
    st->last_write = now;
    return rc;
}

/* Reads the checkpoint on rank 0 and tells every rank where to start. Returns 0, or the exit code. */
static int resume(const pk_kernel *k, const pk_backend *b, const pk_job *job, run_state *st, void *global)
{
    const settings *s = st->s;
    uint64_t v[4] = {0, 0, 0, 0}; /* rank 0's verdict (1 = bad), resumed, run, block */
    pk_checkpoint_init(&st->ck, k, job, s->warmup, s->repeat);
    if (b->rank == 0) {
        pk_checkpoint got;
        char err[768];
        int rc = pk_checkpoint_read(s->checkpoint, &st->ck, &got, err, sizeof err);
        if (rc < 0) {
            pk_error(st->prog, "--checkpoint: %s", err);
            v[0] = 1;
        } else if (rc == 1) {
            /* the partial covers blocks [0, next_block) of its run, or everything once finished */
            uint64_t hi = got.run >= s->warmup + s->repeat ? job->n
                          : got.next_block >= pk_block_count(job->n, k->block) ? job->n : got.next_block * k->block;
            char why[256] = "";
            if (k->plausible && !k->plausible(job, &got.partial, hi, why, sizeof why)) {
                pk_error(st->prog, "--checkpoint: checkpoint '%s': its partial result cannot come from the first "
                         "%llu elements (%s): forged or from another program; refusing to resume from it",
                         s->checkpoint, (unsigned long long)hi, why);
                v[0] = 1;
            }
            v[1] = 1, v[2] = got.run, v[3] = got.next_block;
            uint64_t nblocks = pk_block_count(job->n, k->block);
            if (!v[0] && got.run < s->warmup + s->repeat)
                pk_message(st->prog, "resuming", "from '%s' at block %llu of %llu (%.1f%%) of run %llu/%llu",
                           s->checkpoint, (unsigned long long)got.next_block, (unsigned long long)nblocks,
                           nblocks ? 100.0 * (double)got.next_block / (double)nblocks : 100.0,
                           (unsigned long long)got.run + 1, (unsigned long long)(s->warmup + s->repeat));
            memcpy(global, &got.partial, k->result_size);
            for (uint64_t i = 0; i < got.ntimes; i++) st->times[i] = got.times[i];
            st->ck.run_seconds = got.run_seconds;
            pk_checkpoint_free(&got);
        }
    }
    b->agree(v, 4); /* every rank starts where rank 0's file says */
    if (v[0]) return PK_EXIT_USAGE;
    st->resumed = (int)v[1];
    st->start_run = v[2];
    st->start_block = v[3];
    return 0;
}

/* One run from block b0 (acc holds blocks [0, b0) on rank 0). Returns 0, or PK_EXIT_INTERRUPTED
 * or PK_EXIT_FAIL after the state was handled. `seconds` gets this session's part of the run. */
static int one_run(const pk_kernel *k, const pk_backend *b, const pk_job *job, uint64_t nblocks, uint64_t run,
                   uint64_t b0, void *acc, pk_share *share, run_state *st, double prior, double *seconds)
{
    const settings *s = st->s;
    int epochs = (s->checkpoint || s->progress) && !pk_kernel_holds_data(k, job->params);
    b->barrier();
    double t0 = b->wtime(), t_epoch = t0;
    pk_progress_run(&st->progress, run, b0, t0);
    if (!epochs) {
        b->run(b, k, job, b0, nblocks, acc, share);
        *seconds = b->wtime() - t0;
        if (b->rank == 0) pk_progress_update(&st->progress, nblocks, t0 + *seconds, 1); /* one line per run */
        return 0;
    }
    /* The first epoch: one block per worker, then it grows to PK_EPOCH_SECONDS. Ranks may run
     * different thread counts (a rankfile giving them different CPUs), and every rank must cut
     * the same epochs: they agree on the largest. */
    pk_workers w = b->workers(b);
    uint64_t epoch = (uint64_t)w.ranks * (uint64_t)w.threads;
    b->agree(&epoch, 1);
    pk_result part;
    while (b0 < nblocks) {
        uint64_t e1 = nblocks - b0 > epoch ? b0 + epoch : nblocks;
        b->run(b, k, job, b0, e1, &part, share);
        double now = b->wtime();
        /* rank 0 decides the next epoch and whether to write; every rank says if it caught a signal */
        uint64_t v[3] = {(uint64_t)pk_interrupt_signal(), 0, 0};
        if (b->rank == 0) {
            k->combine(acc, &part);
            double took = now - t_epoch;
            uint64_t next = took > 0 ? (uint64_t)((double)(e1 - b0) * PK_EPOCH_SECONDS / took) : 4 * epoch;
            v[1] = next < 1 ? 1 : next > 4 * epoch ? 4 * epoch : next;
            v[2] = s->checkpoint && now - st->last_write >= (double)s->checkpoint_every;
            pk_progress_update(&st->progress, e1, now, 0);
        }
        b->agree(v, 3);
        b0 = e1;
        epoch = v[1];
        t_epoch = now;
        if (v[0] && s->checkpoint) {
            uint64_t bad = 0;
            if (b->rank == 0) {
                bad = write_checkpoint(st, run, b0, acc, k->result_size, prior + now - t0, now) != 0;
                if (!bad)
                    pk_message(st->prog, "interrupted", "%s: checkpoint '%s' written (%llu of %llu blocks of run "
                               "%llu/%llu): run the same command again to resume", pk_interrupt_name((int)v[0]),
                               s->checkpoint, (unsigned long long)b0, (unsigned long long)nblocks,
                               (unsigned long long)run + 1, (unsigned long long)(s->warmup + s->repeat));
            }
            b->agree(&bad, 1);
            return bad ? PK_EXIT_FAIL : PK_EXIT_INTERRUPTED;
        }
        if (v[2]) {
            uint64_t bad = b->rank == 0 && write_checkpoint(st, run, b0, acc, k->result_size, prior + now - t0, now);
            b->agree(&bad, 1);
            if (bad) return PK_EXIT_FAIL;
        }
    }
    pk_progress_update(&st->progress, nblocks, b->wtime(), 1);
    *seconds = b->wtime() - t0;
    return 0;
}

/* The report's timing and rates. A command that resumed a checkpoint reports its own times (the
 * runs, or the part of a run, it computed) beside the resumed run's whole time (run_total_s), and
 * its rates from the blocks it computed with its own workers. */
static void report_times(pk_report *r, const pk_kernel *k, const pk_job *job, const void *global, run_state *st,
                         uint64_t nblocks, const pk_balance *balance, double nworkers)
{
    const settings *s = st->s;
    size_t count = 0;
    double total = 0;
    for (uint64_t i = 0; i < s->repeat; i++) /* runs of earlier commands (0) to the end, in place */
        if (st->here[i] > 0) {
            st->here[count++] = st->here[i];
            total += st->here[i];
        }
    pk_stats t = pk_stats_of(st->here, count);
    pk_report_num(r, "time_min_s", "%.9f", t.min);
    pk_report_num(r, "time_median_s", "%.9f", t.median);
    pk_report_num(r, "time_max_s", "%.9f", t.max);
    pk_balance_report(r, balance, s->repeat);
    pk_work w = k->work(job, global);
    if (!st->resumed) {
        add_rates(r, &w, t.median, nworkers);
        return;
    }
    /* resumed: this command computed blocks [start_block, nblocks) of its first timed run (all of
     * them when it resumed during the warm-up) and every later run whole */
    int timed = st->start_run >= s->warmup;
    if (timed) pk_report_num(r, "run_total_s", "%.9f", st->times[st->start_run - s->warmup]);
    double runs_here = (double)count - (timed && nblocks ? (double)st->start_block / (double)nblocks : 0);
    pk_report_num(r, "timed_runs_this_command", "%.6g", runs_here);
    w.elements *= runs_here, w.bytes *= runs_here, w.flops *= runs_here, w.ops *= runs_here;
    add_rates(r, &w, total, nworkers);
}

int pk_drive(const pk_program *program, pk_backend *b, int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    pk_kernel kernel;
    int code = start(program, b, argc, argv, &kernel);
    if (code >= 0) return code;
    const pk_kernel *k = &kernel;
    settings s = {.n = k->default_n, .repeat = 5, .warmup = 1, .checkpoint_every = 60};
    pk_params params;
    memset(&params, 0, sizeof params);
    if (k->defaults) k->defaults(&params);
    pk_interrupt_install(); /* again (idempotent): the MPI main did it before MPI_Init */
    code = parse(k, b, argc, argv, &s, &params);
    if (code >= 0) return code;
    if (!s.checkpoint) pk_interrupt_release(); /* nothing to save: signals do what they always do */

    /* the data this process holds, when the kernel has any: the backend says which blocks */
    uint64_t nblocks = pk_block_count(s.n, k->block);
    pk_job job = {.n = s.n, .params = &params};
    pk_range mine = b->owned(b, nblocks);
    if (mine.lo < mine.hi) {
        job.data_lo = mine.lo * k->block;
        job.data_hi = mine.hi >= nblocks ? s.n : mine.hi * k->block;
    }

    run_state st;
    memset(&st, 0, sizeof st);
    st.prog = prog;
    st.s = &s;
    st.progress = (pk_progress){.program = prog, .enabled = s.progress && b->rank == 0, .runs = s.warmup + s.repeat,
                                .warmup = s.warmup, .nblocks = nblocks, .block = k->block, .n = s.n,
                                .interval = 1.0, .t_last = -1};
    st.times = calloc(s.repeat, sizeof *st.times);
    st.here = calloc(s.repeat, sizeof *st.here);
    pk_result global;
    memset(&global, 0, sizeof global);
    if (!b->all_ok(st.times != NULL && st.here != NULL)) {
        pk_error(prog, "rank %d: out of memory for %llu timings", b->rank, (unsigned long long)s.repeat);
        code = PK_EXIT_FAIL;
        goto done;
    }
    if (s.checkpoint) {
        code = resume(k, b, &job, &st, &global);
        if (code != 0) goto done;
        code = -1;
        pk_interrupt_install();
        st.last_write = b->wtime();
    }

    char err[512] = "";
    int ok = 1;
    if (k->setup && k->setup(&job, err, sizeof err) != 0) {
        pk_error(prog, "rank %d: %s", b->rank, err); /* the failing rank knows why */
        ok = 0;
    }
    if (!b->all_ok(ok)) {
        if (ok && k->teardown) k->teardown(&job);
        code = PK_EXIT_FAIL;
        goto done;
    }
    b->touch(k, &job, mine.lo, mine.hi);

    pk_share share = {0, 0};
    const uint64_t runs = s.warmup + s.repeat;
    for (uint64_t run = st.start_run; run < runs && code < 0; run++) {
        int resuming = st.resumed && run == st.start_run;
        uint64_t b0 = resuming ? st.start_block : 0;
        double prior = resuming ? st.ck.run_seconds : 0, seconds = 0;
        if (!resuming) k->identity(&global); /* resumed: rank 0's global holds blocks [0, b0) */
        int timed = run >= s.warmup;
        int rc = one_run(k, b, &job, nblocks, run, b0, &global, timed ? &share : NULL, &st, prior, &seconds);
        if (rc != 0) {
            code = rc;
            break;
        }
        double t = b->max_over_ranks(seconds);
        if (timed) {
            st.times[run - s.warmup] = t + prior;
            st.here[run - s.warmup] = t > 0 ? t : 1e-300; /* ran here, however short */
        }
        if (s.checkpoint && b->rank == 0) {
            /* the next run starts from nothing; after the last one the file keeps the result */
            pk_result none;
            k->identity(&none);
            int last = run + 1 == runs;
            if (write_checkpoint(&st, run + 1, 0, last ? (const void *)&global : &none, k->result_size, 0,
                                 b->wtime()) != 0)
                code = PK_EXIT_FAIL;
        }
        uint64_t bad = code == PK_EXIT_FAIL;
        if (s.checkpoint) b->agree(&bad, 1);
        if (bad) code = PK_EXIT_FAIL;
    }
    if (code >= 0) {
        if (k->teardown) k->teardown(&job);
        goto done;
    }
    pk_balance balance = b->balance(&share);
    pk_workers workers = b->workers(b);
    char hosts[1024];
    b->hosts(b, hosts, sizeof hosts);

    uint64_t verdict = 0; /* the exit code, decided on rank 0 */
    if (b->rank == 0) {
        char why[512] = "";
        int v = k->verify(&job, &global, why, sizeof why);
        pk_report r;
        char title[256];
        snprintf(title, sizeof title, "parkit %s %s: %s", prog, PARKIT_VERSION, k->summary);
        pk_report_init(&r, title);
        pk_report_str(&r, "program", "%s", prog);
        pk_report_str(&r, "version", "%s", PARKIT_VERSION);
        pk_report_str(&r, "kernel", "%s", k->name);
        pk_report_str(&r, "model", "%s", b->model);
        pk_report_num(&r, "n", "%llu", (unsigned long long)s.n);
        if (k->describe) k->describe(&job, &r);
        b->describe(b, &r);
        double nworkers = (double)workers.ranks * (double)workers.threads;
        pk_report_num(&r, "workers", "%.0f", nworkers);
        pk_report_num(&r, "blocks", "%llu", (unsigned long long)nblocks);
        pk_report_num(&r, "block_size", "%llu", (unsigned long long)k->block);
        pk_report_num(&r, "repeat", "%llu", (unsigned long long)s.repeat);
        pk_report_num(&r, "warmup", "%llu", (unsigned long long)s.warmup);
        if (s.checkpoint) {
            pk_report_str(&r, "checkpoint", "%s", s.checkpoint);
            pk_report_num(&r, "checkpoint_every_s", "%llu", (unsigned long long)s.checkpoint_every);
            pk_report_str(&r, "checkpoint_resume", "%s",
                          !st.resumed ? "none (fresh start)" : st.start_run == runs ? "finished run" : "resumed");
            pk_report_num(&r, "resumed_run", "%llu", (unsigned long long)(st.resumed ? st.start_run + 1 : 0));
            pk_report_num(&r, "resumed_blocks", "%llu", (unsigned long long)(st.resumed ? st.start_block : 0));
        }
        k->report(&job, &global, &r);
        const char *word = v == PK_PASS ? "PASS" : v == PK_UNVERIFIED ? "UNVERIFIED" : "FAIL";
        verdict = v == PK_PASS ? PK_EXIT_OK : v == PK_UNVERIFIED ? PK_EXIT_UNVERIFIED : PK_EXIT_FAIL;
        pk_report_str(&r, "verification", "%s", word);
        pk_report_str(&r, "verification_detail", "%s", why);
        if (s.checkpoint && st.resumed && st.start_run == runs) {
            /* the times are those of the run that wrote the file, whose workers it does not record:
             * no rate or balance is made of them with this invocation's worker counts */
            pk_stats stt = pk_stats_of(st.times, (size_t)s.repeat);
            pk_report_num(&r, "time_min_s", "%.9f", stt.min);
            pk_report_num(&r, "time_median_s", "%.9f", stt.median);
            pk_report_num(&r, "time_max_s", "%.9f", stt.max);
            pk_report_str(&r, "times_from", "%s", "the earlier run that wrote the checkpoint (its workers are not "
                          "recorded; this invocation computed nothing)");
        } else {
            report_times(&r, k, &job, &global, &st, nblocks, &balance, nworkers);
            pk_limits_report(&r, nworkers);
        }
        pk_provenance_report(&r, hosts, &program->build);
        if (s.json) pk_report_print_json(&r, stdout);
        else pk_report_print_text(&r, stdout);
        if (k->emit && k->emit(&job, &global, err, sizeof err) != 0) {
            pk_error(prog, "%s", err);
            verdict = PK_EXIT_FAIL;
        }
    }
    if (k->teardown) k->teardown(&job);
    /* every rank exits with rank 0's verdict (the others propose 0) */
    b->agree(&verdict, 1);
    code = (int)verdict;
done:
    free(st.times);
    free(st.here);
    return code;
}
