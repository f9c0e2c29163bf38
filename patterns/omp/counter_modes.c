/* counter_omp's update modes (see counter_modes.h): every way OpenMP offers to update one shared
 * counter and histogram, and the checked, timed runs of one of them. */
#include "counter_modes.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"

/* One update of a slot only its owner thread writes, forced to memory each time: a real program
 * updating a per-thread slot through a pointer does the same, and that is where false sharing bites
 * (plain code might keep the slot in a register and hide the effect). */
static inline void bump_own(uint64_t *slot)
{
    __atomic_store_n(slot, __atomic_load_n(slot, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* The racy update: load, add, store, with nothing tying the three together -- Python's
 * `counter += 1` without the lock. Each access is a relaxed atomic, so every load and store really
 * goes to memory (a plain `int` would be undefined behaviour, and the optimizer could keep it in a
 * register and add N once at the end); the read-modify-write as a whole is not atomic, so two
 * threads that load the same value both store value+1 and one update is lost. */
static inline void bump_racy(uint64_t *slot)
{
    uint64_t seen = __atomic_load_n(slot, __ATOMIC_RELAXED);
    __atomic_store_n(slot, seen + 1, __ATOMIC_RELAXED);
}

static void run_race(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        bump_racy(&out->count);
        bump_racy(&out->hist[i % BINS]);
    }
}

static void run_critical(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
#pragma omp critical(pk_counter)
        {
            out->count++;
            out->hist[b]++;
        }
    }
}

static void run_atomic(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
#pragma omp atomic
        out->count++;
#pragma omp atomic
        out->hist[b]++;
    }
}

static omp_lock_t counter_lock;

static void run_lock(uint64_t n, tally *out)
{
#pragma omp parallel for schedule(static)
    for (uint64_t i = 0; i < n; i++) {
        unsigned b = (unsigned)(i % BINS);
        omp_set_lock(&counter_lock);
        out->count++;
        out->hist[b]++;
        omp_unset_lock(&counter_lock);
    }
}

static void run_reduction(uint64_t n, tally *out)
{
    uint64_t count = 0, hist[BINS] = {0};
    /* each thread gets private copies (in registers if the compiler likes); OpenMP adds them up once */
#pragma omp parallel for schedule(static) reduction(+ : count, hist[:BINS])
    for (uint64_t i = 0; i < n; i++) {
        count++;
        hist[i % BINS]++;
    }
    out->count = count;
    memcpy(out->hist, hist, sizeof hist);
}

typedef enum copy_layout { PADDED_COPIES, PACKED_COPIES } copy_layout;

/* Per-thread copies, merged after the loop. PADDED_COPIES: padded tallies, one cache line per thread.
 * PACKED_COPIES: count[t] side by side and hist[b][t] side by side -- every line is written by every
 * thread, so the line ping-pongs between cores although no value is shared (false sharing). */
static void run_private(uint64_t n, tally *out, copy_layout layout)
{
    int threads = omp_get_max_threads();
    size_t words = (size_t)threads * (1 + BINS);
    uint64_t *mem = aligned_alloc(64, (words * sizeof(uint64_t) + 63) / 64 * 64);
    tally *padded = aligned_alloc(64, (size_t)threads * sizeof(tally));
    if (!mem || !padded) {
        pk_error("counter_omp", "out of memory for %d per-thread tallies", threads);
        exit(PK_EXIT_FAIL);
    }
    memset(mem, 0, words * sizeof(uint64_t));
    memset(padded, 0, (size_t)threads * sizeof(tally));
    uint64_t *count = mem, *hist = mem + threads; /* hist[b * threads + t] */
    int used = threads, packed = layout == PACKED_COPIES;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
#pragma omp single
        used = omp_get_num_threads();
#pragma omp for schedule(static)
        for (uint64_t i = 0; i < n; i++) {
            if (packed) {
                bump_own(&count[t]);
                bump_own(&hist[(i % BINS) * (uint64_t)threads + (uint64_t)t]);
            } else {
                bump_own(&padded[t].count);
                bump_own(&padded[t].hist[i % BINS]);
            }
        }
    }
    memset(out, 0, sizeof *out);
    for (int t = 0; t < used; t++) {
        out->count += packed ? count[t] : padded[t].count;
        for (int b = 0; b < BINS; b++) out->hist[b] += packed ? hist[b * threads + t] : padded[t].hist[b];
    }
    free(mem);
    free(padded);
}

static void run_packed(uint64_t n, tally *out) { run_private(n, out, PACKED_COPIES); }
static void run_padded(uint64_t n, tally *out) { run_private(n, out, PADDED_COPIES); }

const mode counter_modes[] = {
    {.name = "race", .run = run_race, .racy = 1,
     .how = "unsynchronized load/add/store on the shared tally (lost updates)"},
    {.name = "critical", .run = run_critical, .how = "#pragma omp critical around both updates"},
    {.name = "atomic", .run = run_atomic, .how = "#pragma omp atomic on each of the two updates"},
    {.name = "lock", .run = run_lock, .how = "omp_set_lock/omp_unset_lock around both updates"},
    {.name = "reduction", .run = run_reduction, .how = "reduction(+: count, hist[:7]): private copies combined once"},
    {.name = "private", .run = run_packed,
     .how = "per-thread copies packed in one array, merged after (false sharing)"},
    {.name = "padded", .run = run_padded, .how = "per-thread copies each on its own 64-byte line, merged after"},
};
const size_t counter_nmodes = sizeof counter_modes / sizeof counter_modes[0];

const mode *counter_mode(const char *name)
{
    for (size_t i = 0; i < counter_nmodes; i++)
        if (strcmp(counter_modes[i].name, name) == 0) return &counter_modes[i];
    return NULL;
}

void counter_modes_init(void) { omp_init_lock(&counter_lock); }
void counter_modes_free(void) { omp_destroy_lock(&counter_lock); }


void counter_measure(const mode *m, uint64_t n, const pk_pat_common *c, outcome *o)
{
    static tally shared;
    o->exact = 1;
    o->lost_max = 0;
    for (uint64_t r = 0; r < c->warmup + c->repeat; r++) {
        memset(&shared, 0, sizeof shared);
        double t0 = omp_get_wtime();
        m->run(n, &shared);
        double dt = omp_get_wtime() - t0;
        if (r < c->warmup) continue;
        o->times[r - c->warmup] = dt;
        o->got = shared.count;
        if (!pk_counter_check(n, shared.count, shared.hist, &o->lost, &o->hist_lost)) o->exact = 0;
        if (o->lost > o->lost_max) o->lost_max = o->lost;
    }
}

