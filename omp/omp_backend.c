/* pk_drive on OpenMP threads: one process, so the "reduce" is a copy and there are no ranks. */
#include <omp.h>
#include <string.h>

#include "parkit/omp_runner.h"

static int omp_all_ok(int ok) { return ok != 0; }
static void omp_reduce(const pk_kernel *k, const void *local, void *global)
{
    memcpy(global, local, k->result_size);
}
static void omp_barrier(void) {}
static double omp_max(double t) { return t; }
static void omp_describe(pk_report *r)
{
    pk_report_num(r, "ranks", "1");
    pk_omp_describe(r);
    const pk_field *t = pk_report_get(r, "threads");
    pk_report_num(r, "workers", "%s", t ? t->text : "1");
}

pk_backend pk_omp_backend(void)
{
    pk_backend b;
    memset(&b, 0, sizeof b);
    b.model = "omp";
    b.rank = 0;
    b.size = 1;
    b.check_env = pk_omp_check_env;
    b.all_ok = omp_all_ok;
    b.compute = pk_omp_compute;
    b.touch = pk_omp_touch;
    b.reduce = omp_reduce;
    b.barrier = omp_barrier;
    b.wtime = omp_get_wtime;
    b.max_over_ranks = omp_max;
    b.describe = omp_describe;
    return b;
}

int pk_omp_main(const pk_kernel *k, int argc, char **argv)
{
    pk_backend b = pk_omp_backend();
    return pk_drive(k, &b, argc, argv);
}
