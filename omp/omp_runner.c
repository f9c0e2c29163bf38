#include "parkit/omp_runner.h"

#include <omp.h>

#include "parkit/partition.h"

/* The calling thread's loop over its blocks of [b0, b1), combined into `local`; returns its block count. */
static uint64_t thread_blocks(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, pk_result *local)
{
    pk_result part;
    uint64_t count = 0;
    /* thread 0 is the thread that called MPI_Init (MPI_THREAD_FUNNELED) */
    int serve = job->between_blocks != NULL && omp_get_thread_num() == 0;
#pragma omp for schedule(runtime) nowait
    for (uint64_t b = b0; b < b1; b++) {
        pk_range r = pk_block_range(job->n, k->block, b);
        k->partial(job, r.lo, r.hi, &part);
        k->combine(local, &part);
        if (serve) job->between_blocks(job->between_ctx);
        count++;
    }
    return count;
}

void pk_omp_compute_tallied(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out,
                            pk_tally *threads)
{
    k->identity(out);
    /* every slot exists before the threads start, so each adds to its own without a lock */
    if (threads && pk_tally_reserve(threads, (size_t)omp_get_max_threads()) != 0) threads = NULL;
#pragma omp parallel
    {
        pk_result local;
        k->identity(&local);
        double t0 = threads ? omp_get_wtime() : 0;
        uint64_t count = thread_blocks(k, job, b0, b1, &local);
        size_t id = (size_t)omp_get_thread_num();
        /* busy: the loop alone (nowait: no barrier after it); the wait for the combine below is not work */
        if (threads && id < threads->capacity) {
            pk_share_add(&threads->of[id], count, omp_get_wtime() - t0);
            if (id == 0 && (size_t)omp_get_num_threads() > threads->used)
                threads->used = (size_t)omp_get_num_threads();
        }
        /* combine is exact, so the order in which threads arrive here does not change the bits */
#pragma omp critical(pk_omp_combine)
        k->combine(out, &local);
    }
}

void pk_omp_compute(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out)
{
    pk_omp_compute_tallied(k, job, b0, b1, out, NULL);
}

void pk_omp_touch(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1)
{
    if (!k->touch) return;
#pragma omp parallel for schedule(runtime)
    for (uint64_t b = b0; b < b1; b++) {
        pk_range r = pk_block_range(job->n, k->block, b);
        k->touch(job, r.lo, r.hi);
    }
}

int pk_omp_count_threads(void)
{
    int count = 0;
#pragma omp parallel
    {
#pragma omp atomic
        count++;
    }
    return count;
}
