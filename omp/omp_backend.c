/* pk_drive on OpenMP threads: one process, so the "reduce" is the run itself and there are no
 * ranks; OMP_SCHEDULE shares the blocks among threads (pk_omp_compute). */
#include <omp.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"

static int omp_configure(pk_backend *b, const pk_kernel *k, const void *params, const char *program, char *err,
                         size_t errlen)
{
    (void)b, (void)k, (void)params, (void)program;
    return pk_omp_check_env(err, errlen) == 0 ? 0 : PK_EXIT_USAGE;
}

static void omp_run(const pk_backend *b, const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *global,
                    pk_share *mine)
{
    pk_run_in_process(b, pk_omp_compute, k, job, b0, b1, global, mine);
}

static pk_workers omp_workers(const pk_backend *b)
{
    (void)b;
    return (pk_workers){.ranks = 1, .threads = pk_omp_count_threads()};
}

static void omp_describe(const pk_backend *b, pk_report *r)
{
    (void)b;
    pk_report_num(r, "ranks", "1");
    pk_omp_describe(r);
    pk_report_str(r, "mpi_library", "(not used)");
}

pk_backend pk_omp_backend(void)
{
    /* one process: ranks, barrier, max and balance are the serial backend's */
    pk_backend b = pk_serial_backend();
    b.model = "omp";
    b.configure = omp_configure;
    b.touch = pk_omp_touch;
    b.run = omp_run;
    b.wtime = omp_get_wtime;
    b.workers = omp_workers;
    b.describe = omp_describe;
    return b;
}

int pk_omp_main(const pk_kernel *k, int argc, char **argv)
{
    pk_backend b = pk_omp_backend();
    return pk_drive(k, &b, argc, argv);
}

const pk_team pk_omp_team = {
    .check_env = pk_omp_check_env,
    .count = pk_omp_count_threads,
    .compute = pk_omp_compute,
    .touch = pk_omp_touch,
    .describe = pk_omp_describe, /* threads per rank, as seen on rank 0 */
};
