/* counter_omp's update modes: the shared tally, one function per way of updating it, and the timed,
 * checked runs of one mode (the main only chooses and reports). */
#ifndef PARKIT_COUNTER_MODES_H
#define PARKIT_COUNTER_MODES_H
#include <stddef.h>
#include <stdint.h>

#include "parkit/pattern.h"
#include "parkit/pattern_work.h"

#define BINS PK_COUNTER_BINS

/* A count and its histogram: exactly one 64-byte cache line when aligned. */
typedef struct tally {
    _Alignas(64) uint64_t count;
    uint64_t hist[BINS];
} tally;

typedef struct mode {
    const char *name;
    void (*run)(uint64_t n, tally *out);
    const char *how;
    int racy; /* unsynchronized on purpose: shown, never verified */
} mode;

extern const mode counter_modes[];
extern const size_t counter_nmodes;
/* The mode called `name`, or NULL. */
const mode *counter_mode(const char *name);

/* What the timed runs of one mode gave. */
typedef struct outcome {
    double *times;                 /* c->repeat of them */
    uint64_t got, lost, hist_lost; /* of the last run */
    uint64_t lost_max;             /* counter updates lost, worst run */
    int exact;                     /* every run exact */
} outcome;

/* c->warmup untimed and c->repeat timed runs of m over n updates, each checked exactly. */
void counter_measure(const mode *m, uint64_t n, const pk_pat_common *c, outcome *o);
/* Called once before and after the runs (the lock mode's omp_lock_t). */
void counter_modes_init(void);
void counter_modes_free(void);

#endif
