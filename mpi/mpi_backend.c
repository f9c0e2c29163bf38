/* pk_drive on MPI ranks (and on MPI ranks x OpenMP threads for hybrid programs). */
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/mpi_runner.h"

static int mpi_all_ok(int ok)
{
    int mine = ok != 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

static void mpi_reduce(const pk_kernel *k, const void *local, void *global)
{
    pk_mpi_reduce_result(k, local, global, MPI_COMM_WORLD);
}

static void mpi_barrier(void) { MPI_Barrier(MPI_COMM_WORLD); }

static double mpi_max(double t)
{
    double max = t;
    MPI_Reduce(&t, &max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    return max;
}

static int world_size(void)
{
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

static void describe_mpi(pk_report *r)
{
    int size = world_size();
    pk_report_num(r, "ranks", "%d", size);
    pk_report_num(r, "threads", "1");
    pk_report_num(r, "workers", "%d", size);
}

static void describe_hybrid(pk_report *r)
{
    int size = world_size();
    pk_report_num(r, "ranks", "%d", size);
    pk_omp_describe(r); /* threads per rank, as seen on rank 0 */
    const pk_field *t = pk_report_get(r, "threads");
    int threads = t ? atoi(t->text) : 1;
    pk_report_num(r, "workers", "%d", size * threads);
}

pk_backend pk_mpi_backend(int hybrid)
{
    pk_backend b;
    memset(&b, 0, sizeof b);
    b.model = hybrid ? "hybrid" : "mpi";
    MPI_Comm_rank(MPI_COMM_WORLD, &b.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &b.size);
    b.check_env = hybrid ? pk_omp_check_env : NULL;
    b.all_ok = mpi_all_ok;
    b.compute = hybrid ? pk_omp_compute : pk_compute_serial;
    b.touch = hybrid ? pk_omp_touch : pk_touch_serial;
    b.reduce = mpi_reduce;
    b.barrier = mpi_barrier;
    b.wtime = MPI_Wtime;
    b.max_over_ranks = mpi_max;
    b.describe = hybrid ? describe_hybrid : describe_mpi;
    return b;
}

int pk_mpi_main(const pk_kernel *k, int argc, char **argv, int hybrid)
{
    const char *prog = pk_program_name(argv[0]);
    /* only the master thread calls MPI, between parallel regions: FUNNELED is enough */
    int code = pk_mpi_init(&argc, &argv, hybrid ? MPI_THREAD_FUNNELED : MPI_THREAD_SINGLE, prog);
    if (code != 0) return code;
    pk_backend b = pk_mpi_backend(hybrid);
    char err[256];
    /* warn only when the environment is valid: a usage error is reported by pk_drive instead */
    if (!b.check_env || b.check_env(err, sizeof err) == 0)
        pk_mpi_warn_oversubscription(prog, hybrid ? pk_omp_count_threads() : 1);
    code = pk_drive(k, &b, argc, argv);
    MPI_Finalize();
    return code;
}
