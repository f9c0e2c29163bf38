/* The master-worker farm on MPI ranks (see farm.h). */
#include "parkit/farm.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/pattern_mpi.h"
#include "parkit/pattern_work.h"
#include "parkit/pool_report.h"

enum { TAG_JOB = 1, TAG_RESULT = 2, TAG_STOP = 3 };

typedef struct result_msg {
    uint64_t job, value;
    double busy; /* seconds the worker spent on this job */
} result_msg;

static void send_job_or_stop(uint64_t *next, uint64_t njobs, int dest)
{
    if (*next < njobs) {
        MPI_Send(next, 1, MPI_UINT64_T, dest, TAG_JOB, MPI_COMM_WORLD);
        (*next)++;
    } else {
        MPI_Send(NULL, 0, MPI_UINT64_T, dest, TAG_STOP, MPI_COMM_WORLD);
    }
}

static void master(pk_farm *f)
{
    uint64_t next = 0;
    int active = 0;
    for (int w = 1; w <= f->workers; w++) {
        if (next < f->cfg.njobs) active++;
        send_job_or_stop(&next, f->cfg.njobs, w);
    }
    while (active > 0) {
        result_msg m;
        MPI_Status st;
        MPI_Request req;
        MPI_Irecv(&m, sizeof m, MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &req);
        pk_mpi_wait_idle(&req, &st);
        int w = st.MPI_SOURCE;
        /* hand out the next job first: the worker should not wait for our bookkeeping */
        if (next >= f->cfg.njobs) active--;
        send_job_or_stop(&next, f->cfg.njobs, w);
        if (m.job < f->cfg.njobs) {
            f->runs[m.job]++;
            f->value[m.job] = m.value;
            f->worker_of[m.job] = w - 1;
        }
        f->busy[w - 1] += m.busy;
        f->tally[w - 1]++;
    }
}

static uint64_t worker(const pk_farm *f)
{
    uint64_t done = 0;
    for (;;) {
        uint64_t job = 0;
        MPI_Status st;
        MPI_Request req;
        MPI_Irecv(&job, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &req);
        pk_mpi_wait_idle(&req, &st);
        if (st.MPI_TAG == TAG_STOP) break;
        double t0 = MPI_Wtime();
        result_msg m = {job, 0, 0};
        if (job < f->cfg.njobs) m.value = pk_pool_job_run(f->cfg.seed, job, f->units[job], f->cfg.unit_steps);
        m.busy = MPI_Wtime() - t0;
        MPI_Send(&m, sizeof m, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        done++;
    }
    return done;
}

static void alone(pk_farm *f)
{
    for (uint64_t j = 0; j < f->cfg.njobs; j++) {
        double t0 = MPI_Wtime();
        f->value[j] = pk_pool_job_run(f->cfg.seed, j, f->units[j], f->cfg.unit_steps);
        f->busy[0] += MPI_Wtime() - t0;
        f->runs[j]++;
        f->worker_of[j] = 0;
        f->tally[0]++;
    }
    f->mine = f->cfg.njobs;
}

int pk_farm_open(pk_farm *f, const pk_farm_cfg *cfg)
{
    memset(f, 0, sizeof *f);
    f->cfg = *cfg;
    MPI_Comm_rank(MPI_COMM_WORLD, &f->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &f->size);
    f->workers = f->size - 1;
    f->nworkers = f->workers > 0 ? f->workers : 1;
    size_t n = (size_t)cfg->njobs, w = (size_t)f->nworkers;
    f->units = malloc(n * sizeof *f->units);
    int ok = f->units != NULL;
    if (f->rank == 0) {
        f->value = calloc(n, sizeof *f->value);
        f->runs = calloc(n, sizeof *f->runs);
        f->worker_of = calloc(n, sizeof *f->worker_of);
        f->busy = calloc(w, sizeof *f->busy);
        f->tally = calloc(w, sizeof *f->tally);
        f->own = calloc((size_t)f->size, sizeof *f->own);
        ok = ok && f->value && f->runs && f->worker_of && f->busy && f->tally && f->own;
    }
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        pk_farm_close(f);
        return -1;
    }
    for (uint64_t j = 0; j < cfg->njobs; j++)
        f->units[j] = pk_pool_units(cfg->seed, j, cfg->njobs, cfg->max_units, cfg->rising);
    return 0;
}

double pk_farm_run(pk_farm *f)
{
    if (f->rank == 0) {
        memset(f->runs, 0, f->cfg.njobs * sizeof *f->runs);
        memset(f->busy, 0, (size_t)f->nworkers * sizeof *f->busy);
        memset(f->tally, 0, (size_t)f->nworkers * sizeof *f->tally);
    }
    f->mine = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    if (f->workers == 0) alone(f);
    else if (f->rank == 0) master(f);
    else f->mine = worker(f);
    return MPI_Wtime() - t0;
}

int pk_farm_verify(pk_farm *f, char *why, size_t len)
{
    MPI_Gather(&f->mine, 1, MPI_UINT64_T, f->own, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (f->rank != 0) return 1;
    for (uint64_t j = 0; j < f->cfg.njobs; j++) {
        if (f->runs[j] != 1) {
            snprintf(why, len, "job %llu came back %d times", (unsigned long long)j, f->runs[j]);
            return 0;
        }
        if (!pk_pool_job_ok(f->cfg.seed, j, f->units[j], f->cfg.unit_steps, f->value[j])) {
            snprintf(why, len, "job %llu: wrong result", (unsigned long long)j);
            return 0;
        }
    }
    const uint64_t *own = f->workers ? f->own + 1 : f->own; /* worker w is rank w + 1, or rank 0 alone */
    for (int w = 0; w < f->nworkers; w++)
        if (own[w] != f->tally[w]) {
            snprintf(why, len, "worker %d says it ran %llu jobs, the master counted %llu", w,
                     (unsigned long long)own[w], (unsigned long long)f->tally[w]);
            return 0;
        }
    snprintf(why, len, "%llu jobs, each done exactly once with the right result; the workers' own counts match "
             "the master's", (unsigned long long)f->cfg.njobs);
    return 1;
}

void pk_farm_close(pk_farm *f)
{
    free(f->units);
    free(f->value);
    free(f->runs);
    free(f->worker_of);
    free(f->busy);
    free(f->tally);
    free(f->own);
    memset(f, 0, sizeof *f);
}
