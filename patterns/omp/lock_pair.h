/* Two threads, two bank accounts, one lock per account: thread 0 moves 3 units from A to B, thread 1
 * moves 2 from B to A, `rounds` times each. Each transfer holds both accounts' locks. Taken in
 * opposite order (each thread locks its source first) the two threads deadlock; taken in one global
 * order (A before B, whatever the direction) they cannot. Every lock is acquired with a bounded wait
 * (omp_test_lock polled until a deadline), so a deadlock is detected and reported, never hangs. */
#ifndef PARKIT_LOCK_PAIR_H
#define PARKIT_LOCK_PAIR_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef enum lock_order { LOCKS_OPPOSITE, LOCKS_ORDERED } lock_order;

typedef struct lock_pair_cfg {
    lock_order order;
    uint64_t rounds;    /* transfers per thread */
    double watchdog_s;  /* the longest a thread waits for one lock before it declares a deadlock */
} lock_pair_cfg;

enum { ACCOUNTS = 2, NO_LOCK = -1 };
#define LOCK_PAIR_START 1000000 /* each account's opening balance */

typedef struct lock_pair_result {
    int threads;                 /* the team really obtained (the scenario needs 2) */
    uint64_t done[2];            /* transfers completed by each thread */
    int64_t balance[ACCOUNTS];   /* closing balances */
    int deadlock;                /* a thread gave up waiting */
    int victim;                  /* the first thread that gave up */
    int held[2], wanted[2];      /* at that moment: the lock each thread held and waited for */
    double waited_s;             /* how long the victim waited */
    double seconds;              /* the whole run */
} lock_pair_result;

void lock_pair_run(const lock_pair_cfg *cfg, lock_pair_result *res);
/* Money is conserved and each balance is what the completed transfers make it: 1, or 0 with why. */
int lock_pair_check(const lock_pair_result *res, char *why, size_t len);
/* "thread 0 holds lock A and waits for lock B; thread 1 holds lock B and waits for lock A". */
void lock_pair_describe(const lock_pair_result *res, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
