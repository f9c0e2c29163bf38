/* pk_drive: the one flow of every kernel program (see driver.h). Every rank runs it in lockstep;
 * usage errors are detected identically on all ranks (same argv, same environment), so each rank
 * returns the same exit code without talking, and only rank 0 prints. */
#include "parkit/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/limits.h"
#include "parkit/stats.h"
#include "parkit/version.h"

#define PK_MAX_REPEAT 100000

typedef struct settings {
    uint64_t n, repeat, warmup;
    int json, n_given;
} settings;

/* Parses the command line; returns -1 to go on, or the exit code to return now. */
static int parse(const pk_kernel *k, pk_backend *b, int argc, char **argv, settings *s, void *params)
{
    const char *prog = pk_program_name(argv[0]);
    pk_opt opts[4 + PK_KERNEL_MAX_OPTS + PK_BACKEND_MAX_OPTS];
    size_t nopts = 0;
    opts[nopts++] = (pk_opt){"n", "N", "problem size: the index space [0, N)", PK_OPT_SIZE, &s->n, 0,
                             k->max_n, NULL, NULL, NULL, &s->n_given};
    opts[nopts++] = (pk_opt){"repeat", "K", "timed runs (default 5); the report gives min/median/max",
                             PK_OPT_SIZE, &s->repeat, 1, PK_MAX_REPEAT, NULL, NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"warmup", "W", "untimed runs before timing (default 1)", PK_OPT_SIZE,
                             &s->warmup, 0, PK_MAX_REPEAT, NULL, NULL, NULL, NULL};
    opts[nopts++] = (pk_opt){"json", NULL, "print the report as one JSON object", PK_OPT_FLAG, &s->json,
                             0, 0, NULL, NULL, NULL, NULL};
    for (size_t i = 0; i < PK_KERNEL_MAX_OPTS && k->opts[i].name; i++)
        opts[nopts++] = (pk_opt){k->opts[i].name, k->opts[i].metavar, k->opts[i].help, PK_OPT_CALLBACK,
                                 NULL, 0, 0, NULL, k->opts[i].set, params, NULL};
    for (size_t i = 0; i < b->nopts; i++) opts[nopts++] = b->opts[i];

    char err[512] = "";
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
    if (!s->n_given) s->n = k->default_n;
    if (k->finish && k->finish(params, &s->n, s->n_given, err, sizeof err) != 0) {
        if (b->rank == 0) pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    }
    if (b->configure) {
        int code = b->configure(b, k, params, pk_block_count(s->n, k->block), prog, err, sizeof err);
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

int pk_drive(const pk_kernel *k, pk_backend *b, int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    settings s = {k->default_n, 5, 1, 0, 0};
    pk_params params;
    memset(&params, 0, sizeof params);
    if (k->defaults) k->defaults(&params);
    int code = parse(k, b, argc, argv, &s, &params);
    if (code >= 0) return code;

    /* the data this process holds, when the kernel has any: the backend says which blocks */
    uint64_t nblocks = pk_block_count(s.n, k->block);
    pk_job job = {s.n, &params, NULL, 0, 0};
    pk_range mine = b->owned(b, nblocks);
    if (mine.lo < mine.hi) {
        job.data_lo = mine.lo * k->block;
        job.data_hi = mine.hi >= nblocks ? s.n : mine.hi * k->block;
    }

    char err[512] = "";
    int ok = 1;
    if (k->setup && k->setup(&job, err, sizeof err) != 0) {
        pk_error(prog, "rank %d: %s", b->rank, err); /* the failing rank knows why */
        ok = 0;
    }
    if (!b->all_ok(ok)) {
        if (ok && k->teardown) k->teardown(&job);
        return PK_EXIT_FAIL;
    }
    b->touch(k, &job, mine.lo, mine.hi);

    pk_result global;
    memset(&global, 0, sizeof global);
    for (uint64_t i = 0; i < s.warmup; i++) b->run(b, k, &job, nblocks, &global, NULL);
    double *times = calloc(s.repeat, sizeof *times);
    if (!b->all_ok(times != NULL)) {
        pk_error(prog, "rank %d: out of memory for %llu timings", b->rank, (unsigned long long)s.repeat);
        free(times);
        if (k->teardown) k->teardown(&job);
        return PK_EXIT_FAIL;
    }
    pk_share share = {0, 0};
    for (uint64_t i = 0; i < s.repeat; i++) {
        b->barrier();
        double t0 = b->wtime();
        b->run(b, k, &job, nblocks, &global, &share);
        times[i] = b->max_over_ranks(b->wtime() - t0);
    }
    pk_balance balance = b->balance(&share);
    pk_workers workers = b->workers(b);

    int pass = 1;
    if (b->rank == 0) {
        char why[512] = "";
        pass = k->verify(&job, &global, why, sizeof why);
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
        k->report(&job, &global, &r);
        pk_report_str(&r, "verification", "%s", pass ? "PASS" : "FAIL");
        pk_report_str(&r, "verification_detail", "%s", why);
        pk_stats st = pk_stats_of(times, (size_t)s.repeat);
        pk_report_num(&r, "time_min_s", "%.9f", st.min);
        pk_report_num(&r, "time_median_s", "%.9f", st.median);
        pk_report_num(&r, "time_max_s", "%.9f", st.max);
        pk_balance_report(&r, &balance, s.repeat);
        pk_work w = k->work(&job, &global);
        add_rates(&r, &w, st.median, nworkers);
        pk_limits_report(&r, nworkers);
        if (s.json) pk_report_print_json(&r, stdout);
        else pk_report_print_text(&r, stdout);
        if (k->emit && k->emit(&job, &global, err, sizeof err) != 0) {
            pk_error(prog, "%s", err);
            pass = 0;
        }
    }
    free(times);
    if (k->teardown) k->teardown(&job);
    /* every rank exits with rank 0's verdict */
    return b->all_ok(pass) ? PK_EXIT_OK : PK_EXIT_FAIL;
}
