/* squares: the sum of i*i for i in [0, n), a template for your own kernel.
 *
 * Copy this directory, rename the kernel (the file, `pk_kernel_squares`, `.name` and the NAME in
 * CMakeLists.txt: all four must agree), and replace the two functions that matter: `partial`, the
 * result over [lo, hi), and `verify`, the comparison with a reference computed another way. The
 * kit then gives you squares_omp, squares_mpi and squares_hybrid with its command line, report,
 * schedules, checkpoints, and (ctest) the tests that prove the result is the same bits on any
 * number of threads and ranks.
 *
 *   OMP_NUM_THREADS=4 ./build/squares_omp --n 1e9
 *   mpirun -np 4 ./build/squares_mpi --n 1e9          (--oversubscribe past your core count)
 *
 * The contract in kernel.h, in short:
 *  - partial(job, lo, hi, out) is serial, has no globals and is called from many threads at once;
 *    [lo, hi) is one block, `.block` elements (the last block is shorter);
 *  - the result must combine EXACTLY (integers, or pk_xsum for doubles), so that any split of the
 *    blocks gives the same bits: the stock reducers do that (pk_sum_u64, pk_sum_u128, pk_sum_double);
 *  - verify says PK_PASS, PK_FAIL, or PK_UNVERIFIED when no reference exists for this n (exit 4).
 * Optional hooks (options, a finish step, data for memory-bound kernels, your own report fields and
 * work counts) are in kernel.h's table. */
#include <stdio.h>

#include "parkit/kernel.h"
#include "parkit/u128.h"

/* The result is one exact 128-bit sum: (n-1)^3 / 3 overflows 64 bits from n = 2.7e6 on. */
PK_KERNEL_RESULT(pk_u128);

static void squares_partial(const pk_job *job, uint64_t lo, uint64_t hi, void *out)
{
    (void)job;
    pk_u128 s = 0;
    for (uint64_t i = lo; i < hi; i++) s += (pk_u128)i * i;
    *result_of(out) = s;
}

/* The reference, computed another way: (n-1) n (2n-1) / 6, exactly in 128 bits up to n = 2^40. */
static int squares_verify(const pk_job *job, const void *result, char *why, size_t len)
{
    if (job->n > ((uint64_t)1 << 40)) {
        snprintf(why, len, "no reference: the closed form overflows 128 bits past n = 2^40");
        return PK_UNVERIFIED;
    }
    pk_u128 n = job->n, want = n == 0 ? 0 : (n - 1) * n * (2 * n - 1) / 6;
    char got_text[48], want_text[48];
    pk_u128_to_string(*cresult_of(result), got_text, sizeof got_text);
    pk_u128_to_string(want, want_text, sizeof want_text);
    snprintf(why, len, "got %s, (n-1)n(2n-1)/6 = %s", got_text, want_text);
    return *cresult_of(result) == want ? PK_PASS : PK_FAIL;
}

const pk_kernel pk_kernel_squares = {
    .name = "squares",
    .summary = "sum of i*i for i in [0, n), exact (a template kernel)",
    .default_n = 1000000000,
    .max_n = (uint64_t)1 << 40, /* the result stays below 2^128 */
    .block = 1 << 16,           /* elements per block: about 0.1 ms of work, never the worker count */
    .reducer = &pk_sum_u128,    /* the result's size, combine and report */
    .partial = squares_partial,
    .verify = squares_verify,
};
