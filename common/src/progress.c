#include "parkit/progress.h"

#include <stdio.h>

#include "parkit/error.h"

void pk_progress_run(pk_progress *p, uint64_t run, uint64_t start_block, double now)
{
    p->run = run;
    p->start_block = start_block;
    p->t_start = now;
    if (run == 0 || p->t_last < 0) p->t_last = now; /* the first line comes an interval in */
}

void pk_progress_update(pk_progress *p, uint64_t done, double now, int run_ended)
{
    int last = run_ended && p->run + 1 >= p->runs;
    if (!p->enabled || (!last && now - p->t_last < p->interval)) return;
    p->t_last = now;
    double elapsed = now - p->t_start;
    double fresh = (double)(done - p->start_block); /* blocks of this session: the rate's basis */
    double rate = elapsed > 0 ? fresh / elapsed : 0;
    double left = (double)(p->nblocks - done);
    double elements = rate * (double)p->block;
    char which[96], eta[48];
    if (p->run < p->warmup)
        snprintf(which, sizeof which, "run %llu/%llu (warm-up)", (unsigned long long)p->run + 1,
                 (unsigned long long)p->runs);
    else
        snprintf(which, sizeof which, "run %llu/%llu (timed %llu/%llu)", (unsigned long long)p->run + 1,
                 (unsigned long long)p->runs, (unsigned long long)(p->run - p->warmup + 1),
                 (unsigned long long)(p->runs - p->warmup));
    if (rate > 0) snprintf(eta, sizeof eta, "ETA %.1f s", left / rate);
    else snprintf(eta, sizeof eta, "ETA unknown");
    pk_message(p->program, "progress", "%s: %.1f%% of %llu blocks, %.3g elements/s, %.1f s, %s", which,
               p->nblocks ? 100.0 * (double)done / (double)p->nblocks : 100.0, (unsigned long long)p->nblocks,
               elements, elapsed, eta);
}
