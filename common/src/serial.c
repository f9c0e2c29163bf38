/* The serial runner: block by block, in order. It is the reference of the cross-model tests and
 * the per-rank runner of pure MPI programs. Also the serial backend of pk_drive. */
#include <string.h>

#include "parkit/driver.h"
#include "parkit/partition.h"
#include "parkit/provenance.h"
#include "parkit/timer.h"

void pk_compute_serial(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out)
{
    pk_result part;
    k->identity(out);
    for (uint64_t b = b0; b < b1; b++) {
        pk_range r = pk_block_range(job->n, k->block, b);
        k->partial(job, r.lo, r.hi, &part);
        k->combine(out, &part);
        if (job->between_blocks) job->between_blocks(job->between_ctx);
    }
}

void pk_touch_serial(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1)
{
    if (!k->touch) return;
    for (uint64_t b = b0; b < b1; b++) {
        pk_range r = pk_block_range(job->n, k->block, b);
        k->touch(job, r.lo, r.hi);
    }
}

void pk_result_text(const pk_kernel *k, const pk_job *job, const void *result, char *buf, size_t len)
{
    pk_report r;
    pk_report_init(&r, NULL);
    k->report(job, result, &r);
    const pk_field *f = pk_report_get(&r, "result");
    snprintf(buf, len, "%s", f ? f->text : "");
}

static int serial_all_ok(int ok) { return ok != 0; }

pk_range pk_owned_all(const pk_backend *b, uint64_t nblocks)
{
    (void)b;
    pk_range all = {0, nblocks};
    return all;
}

void pk_run_in_process(const pk_backend *b, pk_compute_fn compute, const pk_kernel *k, const pk_job *job, uint64_t b0,
                       uint64_t b1, void *global, pk_share *mine)
{
    double t0 = b->wtime();
    compute(k, job, b0, b1, global);
    if (mine) pk_share_add(mine, b1 - b0, b->wtime() - t0);
}

static void serial_run(const pk_backend *b, const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *global,
                       pk_share *mine)
{
    pk_run_in_process(b, pk_compute_serial, k, job, b0, b1, global, mine);
}

static void serial_barrier(void) {}

void pk_agree_single(uint64_t *v, int count) { (void)v, (void)count; }

void pk_hosts_single(const pk_backend *b, char *buf, size_t len)
{
    (void)b;
    pk_host_name(buf, len);
}
static double serial_max(double t) { return t; }
/* One process of one thread: the thread's share is the process's. */
pk_balance pk_balance_single(const pk_share *mine)
{
    pk_balance bal = pk_balance_of(mine, 1);
    pk_balance_add_threads(&bal, mine, 1);
    return bal;
}

static pk_workers serial_workers(const pk_backend *b)
{
    (void)b;
    return (pk_workers){.ranks = 1, .threads = 1};
}

static void serial_describe(const pk_backend *b, pk_report *r)
{
    (void)b;
    pk_report_num(r, "ranks", "1");
    pk_report_num(r, "threads", "1");
}

pk_backend pk_serial_backend(void)
{
    pk_backend b;
    memset(&b, 0, sizeof b);
    b.model = "serial";
    b.rank = 0;
    b.size = 1;
    b.all_ok = serial_all_ok;
    b.owned = pk_owned_all;
    b.touch = pk_touch_serial;
    b.run = serial_run;
    b.barrier = serial_barrier;
    b.wtime = pk_wtime;
    b.max_over_ranks = serial_max;
    b.balance = pk_balance_single;
    b.agree = pk_agree_single;
    b.hosts = pk_hosts_single;
    b.workers = serial_workers;
    b.describe = serial_describe;
    return b;
}

static int one_thread(void) { return 1; }

static void describe_single_thread(pk_report *r)
{
    pk_report_str(r, "openmp_runtime", "(not used)");
    pk_report_num(r, "threads", "1");
}

const pk_team pk_single_thread = {
    .check_env = NULL,
    .count = one_thread,
    .compute = pk_compute_serial,
    .touch = pk_touch_serial,
    .describe = describe_single_thread,
};
