/* pk_drive on OpenMP threads: one process, so the "reduce" is the run itself and there are no
 * ranks; OMP_SCHEDULE shares the blocks among threads (pk_omp_compute). */
#include <omp.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/program.h"

/* This process's threads over the timed runs. A file static rather than backend state: the balance
 * hook receives no backend, and a process has one OpenMP team (its slots are thread numbers). */
static pk_tally process_threads;

static int omp_configure(pk_backend *b, const pk_kernel *k, const void *params, const char *program, char *err,
                         size_t errlen)
{
    (void)b, (void)k, (void)params, (void)program;
    pk_tally_reset(&process_threads);
    return pk_omp_check_env(err, errlen) == 0 ? 0 : PK_EXIT_USAGE;
}

/* Counted per call, whatever part of a run it is (a run in epochs makes several calls). */
static void omp_run(const pk_backend *b, const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *global,
                    pk_share *mine)
{
    double t0 = b->wtime();
    pk_omp_compute_tallied(k, job, b0, b1, global, mine ? &process_threads : NULL);
    pk_share_add(mine, b1 - b0, b->wtime() - t0);
}

static pk_balance omp_balance(const pk_share *mine)
{
    pk_balance bal = pk_balance_of(mine, 1);
    if (!process_threads.lost) pk_balance_add_threads(&bal, process_threads.of, process_threads.used);
    return bal;
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
    /* one process: ranks, barrier and max are the serial backend's */
    pk_backend b = pk_serial_backend();
    b.model = "omp";
    b.configure = omp_configure;
    b.touch = pk_omp_touch;
    b.run = omp_run;
    b.balance = omp_balance;
    b.wtime = omp_get_wtime;
    b.workers = omp_workers;
    b.describe = omp_describe;
    return b;
}

int pk_omp_main(const pk_program *program, int argc, char **argv)
{
    pk_backend b = pk_omp_backend();
    return pk_drive(program, &b, argc, argv);
}

const pk_team pk_omp_team = {
    .check_env = pk_omp_check_env,
    .count = pk_omp_count_threads,
    .compute = pk_omp_compute,
    .compute_tallied = pk_omp_compute_tallied,
    .touch = pk_omp_touch,
    .describe = pk_omp_describe, /* threads per rank, as seen on rank 0 */
};
