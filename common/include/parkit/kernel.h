/* The kernel interface: a computation over the index space [0, n), written once in pure C
 * (no OpenMP, no MPI), turned into <kernel>_omp, <kernel>_mpi and <kernel>_hybrid by the runners.
 *
 * Contract (the runners and the cross-model tests rely on every point):
 *  - The runners cut [0, n) into fixed blocks of `block` elements (the last one shorter). Block size
 *    never depends on the worker count, so every block partial is the same whoever computes it.
 *  - partial(job, lo, hi, out) computes the result over [lo, hi), lo/hi on block boundaries,
 *    serially, without globals: it is called concurrently from many threads.
 *  - combine(acc, part) merges part into acc. It must be EXACT (integers, or pk_xsum for floating
 *    point): then it is associative and commutative, and the result is bitwise identical for any
 *    number of threads, ranks and any schedule. identity(r) sets r to the neutral element.
 *  - Results live in a pk_result (PK_RESULT_MAX bytes, 16-byte aligned); result_size says how many
 *    bytes are used (MPI reduces exactly those bytes). Results must not depend on padding.
 *
 * The fields, as the program checks them when it starts (a missing mandatory one stops it with one
 * line naming the field and exit code 5, PK_EXIT_KERNEL, before any work, on every rank alike):
 *
 *   field         mandatory  default when absent
 *   name          yes        -- ([a-z0-9_], and the NAME given to parkit_add_kernel)
 *   summary       yes        --
 *   block         yes        -- (elements per block, > 0)
 *   partial       yes        --
 *   verify        yes        -- (PK_PASS, PK_FAIL or PK_UNVERIFIED)
 *   result_size   yes*       the reducer's size (* one of the two; at most PK_RESULT_MAX)
 *   combine       yes*       the reducer's combine
 *   report        yes*       the reducer's report (prints the field "result")
 *   reducer       no         none: result_size, combine and report are the kernel's own
 *   identity      no         a zeroed result
 *   work          no         n elements
 *   default_n     no         0 (the size when --n is not given; finish may set it)
 *   max_n         no         UINT64_MAX
 *   test_n        no         5 blocks and a few elements (the generated cross-model tests' size)
 *   defaults      no         none: the params stay zeroed (the caller zeroes them)
 *   teardown      with setup --
 *   finish, setup, touch, holds_data, plausible, describe, emit: optional, no default.
 *
 * A simple kernel is its partial and its verify on a stock reducer (pk_sum_u64, pk_sum_u128,
 * pk_sum_double), with PK_KERNEL_TYPES for typed access to its params and results:
 * share/parkit/examples/kernel/ is a template to copy.
 */
#ifndef PARKIT_KERNEL_H
#define PARKIT_KERNEL_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/cli.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* _Alignas in C, alignas in C++: the same 16-byte alignment from both languages */
#ifdef __cplusplus
#define PK_ALIGN16 alignas(16)
#else
#define PK_ALIGN16 _Alignas(16)
#endif

/* What verify says. UNVERIFIED: no independent reference exists for this n (never a PASS: the
 * program exits 4, PK_EXIT_UNVERIFIED, and the report says so). */
typedef enum pk_verdict { PK_FAIL = 0, PK_PASS = 1, PK_UNVERIFIED = 2 } pk_verdict;

#define PK_RESULT_MAX 1024
#define PK_PARAMS_MAX 256

typedef struct pk_result {
    PK_ALIGN16 unsigned char bytes[PK_RESULT_MAX];
} pk_result;

typedef struct pk_params {
    PK_ALIGN16 unsigned char bytes[PK_PARAMS_MAX];
} pk_params;

/* One run of a kernel: the global size, the kernel's own parameters, and the data this
 * process holds for its part [data_lo, data_hi) of the index space (memory-bound kernels). */
typedef struct pk_job {
    uint64_t n;
    const void *params;
    void *data;
    uint64_t data_lo, data_hi;
    /* Set by a runner, never read by kernels: when not NULL, the block loops call it between two
     * blocks, from one thread only (thread 0 of an OpenMP team: the thread that called MPI_Init), so
     * that a process serving one-sided MPI requests keeps its MPI library progressing while it
     * computes (mpi/rank_schedule.c says why that is needed). */
    void (*between_blocks)(void *ctx);
    void *between_ctx;
} pk_job;

/* Work done by one run over [0, n), for rates: each count divided by the median time.
 * A count of 0 is not reported. `ops_name` names the kernel's own unit (e.g. "Mop/s" style). */
typedef struct pk_work {
    double elements;     /* -> elements_per_s */
    double bytes;        /* bytes read/written from memory -> bytes_per_s */
    double flops;        /* -> flops_per_s */
    double ops;          /* kernel-specific operations -> <ops_name>_per_s */
    const char *ops_name;
} pk_work;

/* A kernel option: --name VALUE, parsed by `set` into the kernel's params. */
typedef struct pk_kernel_opt {
    const char *name;
    const char *metavar;
    const char *help;
    int (*set)(void *params, const char *value, char *err, size_t errlen);
} pk_kernel_opt;

#define PK_KERNEL_MAX_OPTS 8

/* A stock result type: its size, an exact combine and the report's "result" field, so that a kernel
 * whose result is one sum needs none of the three (Kokkos' built-in reducers play the same part). */
typedef struct pk_reducer {
    const char *name;
    size_t size;
    void (*combine)(void *acc, const void *part);
    void (*report)(const pk_job *job, const void *result, pk_report *r);
} pk_reducer;
/* uint64_t: a count or sum below 2^64 (exact; the kernel bounds it, or uses pk_sum_u128) */
extern const pk_reducer pk_sum_u64;
/* pk_u128 (parkit/u128.h): an integer sum up to 2^128, printed in decimal */
extern const pk_reducer pk_sum_u128;
/* pk_xsum (parkit/xsum.h): an exact sum of doubles (add with pk_xsum_add), rounded once when printed:
 * the same bits for any worker count and schedule */
extern const pk_reducer pk_sum_double;

typedef struct pk_kernel {
    const char *name;       /* "sum" */
    const char *summary;    /* one line for --help and the report title */
    uint64_t default_n;     /* --n when not given (finish may change it) */
    uint64_t max_n;         /* largest accepted n (0 = UINT64_MAX) */
    uint64_t test_n;        /* a size the cross-model tests use: small, but many blocks */
    uint64_t block;         /* elements per block: fixed, independent of the worker count */
    size_t result_size;     /* bytes of pk_result in use */

    pk_kernel_opt opts[PK_KERNEL_MAX_OPTS]; /* terminated by a {NULL} entry */

    /* Sets params to defaults. params has PK_PARAMS_MAX bytes, zeroed by the caller. */
    void (*defaults)(void *params);
    /* After parsing: validate options together and set n (n_given says whether --n was given).
     * Returns 0, or -1 with one line in err (a usage error). May be NULL. */
    int (*finish)(void *params, uint64_t *n, int n_given, char *err, size_t errlen);

    /* Optional data for memory-bound kernels. setup allocates job->data for [data_lo, data_hi)
     * (returns 0 or -1 with err); touch writes [lo, hi) of it, called by the worker that will read
     * it later (first touch places pages near that worker); teardown frees it. */
    int (*setup)(pk_job *job, char *err, size_t errlen);
    void (*touch)(const pk_job *job, uint64_t lo, uint64_t hi);
    void (*teardown)(pk_job *job);
    /* 1 when, with these params, setup gives each process data for its own static share only: such
     * blocks cannot be computed by another rank, so only the static rank schedule can run them.
     * May be NULL (never). */
    int (*holds_data)(const void *params);

    /* Optional: a stock result type (see the table above); the kernel's own fields win. */
    const pk_reducer *reducer;

    void (*identity)(void *result);
    void (*partial)(const pk_job *job, uint64_t lo, uint64_t hi, void *out);
    void (*combine)(void *acc, const void *part);

    /* Compares with an independent reference. Returns PK_PASS (1), PK_FAIL (0), or PK_UNVERIFIED
     * when no reference exists for this n; `why` says what was compared (PASS), what differs
     * (FAIL) or why nothing could be (UNVERIFIED), one line. */
    int (*verify)(const pk_job *job, const void *result, char *why, size_t whylen);
    /* Optional: 1 when `partial` is a result the elements [0, hi) could give (counts within what
     * that many elements can hold, nothing wrapped past it; exactly the value where it is known in
     * closed form), else 0 with `why`. A resumed checkpoint's partial is checked with it: its CRC
     * proves the file undamaged, not true. NULL: not checked. */
    int (*plausible)(const pk_job *job, const void *partial, uint64_t hi, char *why, size_t whylen);
    /* Adds the result fields to the report. The field "result" must be a canonical text of the
     * whole result: equal results print equal, different results print different. */
    void (*report)(const pk_job *job, const void *result, pk_report *r);
    /* Adds the kernel's parameters to the report (may be NULL). */
    void (*describe)(const pk_job *job, pk_report *r);
    /* Work of one run over [0, n), for the rates; `result` is the run's global result, for work that
     * is only known afterwards (e.g. mandel's iterations). */
    pk_work (*work)(const pk_job *job, const void *result);
    /* Optional extra output after the run, on rank 0 only (e.g. mandel's --image picture).
     * Returns 0, or -1 with one line in err (the program then exits 1). May be NULL. */
    int (*emit)(const pk_job *job, const void *result, char *err, size_t errlen);
} pk_kernel;

/* Typed views of a kernel's parameters and results, so that its hooks need no casts. In the
 * kernel's file, after its types:
 *   PK_KERNEL_TYPES(sum_params, sum_result);
 *   ... const sum_params *p = params_of(job); result_of(out)->sum = ...; cresult_of(result)->sum ...
 * and, where a hook gets the params alone, params_in(const void *) and params_mut(void *) (options,
 * finish). Also checks at compile time that both
 * types fit in pk_params / pk_result. PK_KERNEL_RESULT(R) for a kernel without parameters. */
#define PK_KERNEL_RESULT(R)                                                                         \
    _Static_assert(sizeof(R) <= PK_RESULT_MAX, #R " fits in a pk_result");                         \
    static inline R *result_of(void *r) { return (R *)r; }                                          \
    static inline const R *cresult_of(const void *r) { return (const R *)r; }                       \
    _Static_assert(1, "")
#define PK_KERNEL_TYPES(P, R)                                                                       \
    PK_KERNEL_RESULT(R);                                                                            \
    _Static_assert(sizeof(P) <= PK_PARAMS_MAX, #P " fits in pk_params");                           \
    static inline const P *params_of(const pk_job *job) { return (const P *)job->params; }          \
    static inline const P *params_in(const void *params) { return (const P *)params; }              \
    static inline P *params_mut(void *params) { return (P *)params; }                               \
    _Static_assert(1, "")

/* Serial reference runner (and the per-rank runner of pure MPI programs): the result over the
 * blocks [b0, b1) of the job, block by block, in order. */
void pk_compute_serial(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1, void *out);
/* First-touch the blocks [b0, b1) serially. */
void pk_touch_serial(const pk_kernel *k, const pk_job *job, uint64_t b0, uint64_t b1);

/* k->holds_data(params), or 0 when the kernel has no such hook. */
static inline int pk_kernel_holds_data(const pk_kernel *k, const void *params)
{
    return k->holds_data && k->holds_data(params);
}

/* The canonical result text (the report's "result" field), for comparisons in tests. */
void pk_result_text(const pk_kernel *k, const pk_job *job, const void *result, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
