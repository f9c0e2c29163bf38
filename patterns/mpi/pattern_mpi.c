/* Start-up and idle waiting for the MPI pattern programs (see pattern_mpi.h). */
#include "parkit/pattern_mpi.h"

#include <string.h>

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"

int pk_pat_mpi_start(int *argc, char ***argv, int required, const char *summary, const pk_opt *opts,
                     size_t nopts, pk_pat_common *c, int timed, int (*check_env)(char *, size_t), int *rank,
                     int *size)
{
    const char *prog = pk_program_name((*argv)[0]);
    int code = pk_mpi_init(argc, argv, required, prog);
    if (code != 0) return code; /* pk_mpi_init reported it and finalized */
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    code = pk_pat_parse(*argc, *argv, summary, opts, nopts, c, timed, check_env, *rank);
    if (code >= 0) {
        MPI_Finalize();
        return code;
    }
    return -1;
}

int pk_pat_mpi_usage(int rank, const char *program, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = pk_pat_vusage(rank, program, fmt, ap);
    va_end(ap);
    MPI_Finalize();
    return code;
}

void pk_mpi_wait_idle(MPI_Request *req, MPI_Status *status)
{
    const struct timespec nap = {0, 50000}; /* 50 us (plus the kernel's timer slack) */
    int done = 0;
    MPI_Test(req, &done, status ? status : MPI_STATUS_IGNORE);
    while (!done) {
        nanosleep(&nap, NULL);
        MPI_Test(req, &done, status ? status : MPI_STATUS_IGNORE);
    }
}

void pk_mpi_barrier_idle(MPI_Comm comm)
{
    MPI_Request req;
    MPI_Ibarrier(comm, &req);
    pk_mpi_wait_idle(&req, MPI_STATUS_IGNORE);
}

int pk_pat_mpi_all_ok(int ok, int rank, const char *program, const char *what)
{
    int mine = ok != 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (all) return 1;
    if (!mine) pk_error(program, "rank %d: %s", rank, what);
    MPI_Finalize();
    return 0;
}

int pk_pat_mpi_checked_runs(const pk_pat_common *c, double (*run)(void *ctx),
                            int (*check)(void *ctx, char *why, size_t len), void *ctx, double *times, char *why,
                            size_t len)
{
    int pass = 1;
    for (uint64_t r = 0; r < c->warmup + c->repeat; r++) {
        double dt = run(ctx), slowest = dt;
        MPI_Reduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (r >= c->warmup) times[r - c->warmup] = slowest;
        char run_why[360];
        if (!check(ctx, run_why, sizeof run_why) && pass) {
            pass = 0;
            snprintf(why, len, "run %llu: %s", (unsigned long long)r + 1, run_why);
        } else if (pass) {
            snprintf(why, len, "%s, in every run", run_why);
        }
    }
    return pass;
}

void pk_pat_mpi_report_init(pk_report *r, const char *program, const char *summary, const char *model)
{
    pk_pat_report_init(r, program, summary, model);
    pk_mpi_report_library(r);
}
