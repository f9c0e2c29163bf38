/* pk_drive on OpenMP threads: one process, so the "reduce" is a copy and there are no ranks. */
#include <omp.h>

#include "parkit/omp_runner.h"

static void omp_describe(pk_report *r)
{
    pk_report_num(r, "ranks", "1");
    pk_omp_describe(r);
    const pk_field *t = pk_report_get(r, "threads");
    pk_report_num(r, "workers", "%s", t ? t->text : "1");
}

pk_backend pk_omp_backend(void)
{
    /* one process: ranks, reduce, barrier and max are the serial backend's */
    pk_backend b = pk_serial_backend();
    b.model = "omp";
    b.check_env = pk_omp_check_env;
    b.compute = pk_omp_compute;
    b.touch = pk_omp_touch;
    b.wtime = omp_get_wtime;
    b.describe = omp_describe;
    return b;
}

int pk_omp_main(const pk_kernel *k, int argc, char **argv)
{
    pk_backend b = pk_omp_backend();
    return pk_drive(k, &b, argc, argv);
}
