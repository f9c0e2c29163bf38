#include "parkit/omp_runner.h"

#include <omp.h>

#include "parkit/partition.h"

void pk_omp_compute(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out)
{
    k->identity(out);
#pragma omp parallel
    {
        pk_result local, part;
        k->identity(&local);
        /* thread 0 is the thread that called MPI_Init (MPI_THREAD_FUNNELED) */
        int serve = job->between_blocks != NULL && omp_get_thread_num() == 0;
#pragma omp for schedule(runtime) nowait
        for (uint64_t b = b0; b < b1; b++) {
            pk_range r = pk_block_range(job->n, k->block, b);
            k->partial(job, r.lo, r.hi, &part);
            k->combine(&local, &part);
            if (serve) job->between_blocks(job->between_ctx);
        }
        /* combine is exact, so the order in which threads arrive here does not change the bits */
#pragma omp critical(pk_omp_combine)
        k->combine(out, &local);
    }
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
