/* The serial runner: block by block, in order. It is the reference of the cross-model tests and
 * the per-rank runner of pure MPI programs. Also the serial backend of pk_drive. */
#include <string.h>

#include "parkit/driver.h"
#include "parkit/partition.h"
#include "parkit/timer.h"

void pk_compute_serial(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out)
{
    pk_result part;
    k->identity(out);
    for (uint64_t b = b0; b < b1; b++) {
        pk_range r = pk_block_range(job->n, k->block, b);
        k->partial(job, r.lo, r.hi, &part);
        k->combine(out, &part);
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
static void serial_reduce(const pk_kernel *k, const void *local, void *global)
{
    memcpy(global, local, k->result_size);
}
static void serial_barrier(void) {}
static double serial_max(double t) { return t; }
static void serial_describe(pk_report *r)
{
    pk_report_num(r, "ranks", "1");
    pk_report_num(r, "threads", "1");
    pk_report_num(r, "workers", "1");
}

pk_backend pk_serial_backend(void)
{
    pk_backend b;
    memset(&b, 0, sizeof b);
    b.model = "serial";
    b.rank = 0;
    b.size = 1;
    b.all_ok = serial_all_ok;
    b.compute = pk_compute_serial;
    b.touch = pk_touch_serial;
    b.reduce = serial_reduce;
    b.barrier = serial_barrier;
    b.wtime = pk_wtime;
    b.max_over_ranks = serial_max;
    b.describe = serial_describe;
    return b;
}
