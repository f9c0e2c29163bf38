/* The two-account transfer scenario of deadlock_omp (see lock_pair.h). */
#include "lock_pair.h"

#include <omp.h>
#include <stdio.h>
#include <time.h>

static const char lock_name[ACCOUNTS] = {'A', 'B'};

/* What each thread holds and waits for, published for the other thread and the report. */
typedef struct wait_for {
    int held, wanted;
} wait_for;

static void nap(void)
{
    const struct timespec ts = {0, 50000}; /* 50 us: a waiting thread gives its core away */
    nanosleep(&ts, NULL);
}

/* omp_set_lock with a deadline: 1 when acquired, 0 when `watchdog` seconds passed first. */
static int acquire_within(omp_lock_t *lock, double watchdog, double *waited)
{
    double t0 = omp_get_wtime();
    while (!omp_test_lock(lock)) {
        if (omp_get_wtime() - t0 > watchdog) {
            *waited = omp_get_wtime() - t0;
            return 0;
        }
        nap();
    }
    return 1;
}

static void publish(wait_for *me, int held, int wanted)
{
    __atomic_store_n(&me->held, held, __ATOMIC_SEQ_CST);
    __atomic_store_n(&me->wanted, wanted, __ATOMIC_SEQ_CST);
}

/* First round only: once this thread holds its first lock, wait (at most `bound` s) until the other
 * thread holds its own first lock, or waits for ours. Without this the deadlock needs bad luck (both
 * threads inside the window between their two locks at once); with it the run shows it every time,
 * and with one global order it costs nothing, since the other thread then waits for our lock. */
static void rendezvous(const wait_for *other, int my_lock, double bound)
{
    double t0 = omp_get_wtime();
    while (omp_get_wtime() - t0 < bound) {
        int held = __atomic_load_n(&other->held, __ATOMIC_SEQ_CST);
        int wanted = __atomic_load_n(&other->wanted, __ATOMIC_SEQ_CST);
        if (held != NO_LOCK || wanted == my_lock) return;
        nap();
    }
}

/* The first thread to give up records who held and waited for what at that moment. */
static void snapshot(lock_pair_result *res, const wait_for *state, int t, double waited, int *gave_up)
{
#pragma omp critical(pk_lock_pair_report)
    if (!*gave_up) {
        *gave_up = 1;
        res->victim = t;
        res->waited_s = waited;
        for (int k = 0; k < 2; k++) {
            res->held[k] = __atomic_load_n(&state[k].held, __ATOMIC_SEQ_CST);
            res->wanted[k] = __atomic_load_n(&state[k].wanted, __ATOMIC_SEQ_CST);
        }
    }
}

void lock_pair_run(const lock_pair_cfg *cfg, lock_pair_result *res)
{
    omp_lock_t locks[ACCOUNTS];
    for (int a = 0; a < ACCOUNTS; a++) omp_init_lock(&locks[a]);
    int64_t balance[ACCOUNTS] = {LOCK_PAIR_START, LOCK_PAIR_START};
    wait_for state[2] = {{NO_LOCK, NO_LOCK}, {NO_LOCK, NO_LOCK}};
    *res = (lock_pair_result){.victim = -1, .held = {NO_LOCK, NO_LOCK}, .wanted = {NO_LOCK, NO_LOCK}};
    int gave_up = 0; /* set once, under `critical`: the first thread to give up is the victim */

    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
#pragma omp single
        res->threads = omp_get_num_threads();
        if (res->threads == 2) {
            int from = t, to = 1 - t;                       /* thread 0: A -> B, thread 1: B -> A */
            int64_t amount = t == 0 ? 3 : 2;
            int first = cfg->order == LOCKS_ORDERED ? 0 : from; /* ordered: A before B, always */
            int second = 1 - first;
            for (uint64_t r = 0; r < cfg->rounds; r++) {
                double waited = 0;
                publish(&state[t], NO_LOCK, first);
                if (!acquire_within(&locks[first], cfg->watchdog_s, &waited)) {
                    snapshot(res, state, t, waited, &gave_up);
                    publish(&state[t], NO_LOCK, NO_LOCK);
                    break;
                }
                publish(&state[t], first, NO_LOCK);
                if (r == 0) rendezvous(&state[1 - t], first, cfg->watchdog_s / 4);
                publish(&state[t], first, second);
                if (!acquire_within(&locks[second], cfg->watchdog_s, &waited)) {
                    /* the wait-for picture first, while this thread still holds its lock */
                    snapshot(res, state, t, waited, &gave_up);
                    omp_unset_lock(&locks[first]); /* back off: lets the other thread finish */
                    publish(&state[t], NO_LOCK, NO_LOCK);
                    break;
                }
                publish(&state[t], NO_LOCK, NO_LOCK); /* holds both: no longer waiting */
                balance[from] -= amount;
                balance[to] += amount;
                res->done[t]++;
                omp_unset_lock(&locks[second]);
                omp_unset_lock(&locks[first]);
            }
        }
    }
    res->seconds = omp_get_wtime() - t0;
    res->deadlock = gave_up;
    for (int a = 0; a < ACCOUNTS; a++) {
        res->balance[a] = balance[a];
        omp_destroy_lock(&locks[a]);
    }
}

int lock_pair_check(const lock_pair_result *res, char *why, size_t len)
{
    int64_t moved = 3 * (int64_t)res->done[0] - 2 * (int64_t)res->done[1]; /* net A -> B */
    int64_t want_a = LOCK_PAIR_START - moved, want_b = LOCK_PAIR_START + moved;
    if (res->balance[0] + res->balance[1] != 2 * LOCK_PAIR_START) {
        snprintf(why, len, "money not conserved: A + B = %lld, expected %lld", (long long)(res->balance[0] + res->balance[1]),
                 2LL * LOCK_PAIR_START);
        return 0;
    }
    if (res->balance[0] != want_a || res->balance[1] != want_b) {
        snprintf(why, len, "balances A=%lld B=%lld, expected A=%lld B=%lld after %llu + %llu transfers",
                 (long long)res->balance[0], (long long)res->balance[1], (long long)want_a, (long long)want_b,
                 (unsigned long long)res->done[0], (unsigned long long)res->done[1]);
        return 0;
    }
    snprintf(why, len, "A=%lld B=%lld: exactly what the %llu + %llu completed transfers make, total conserved",
             (long long)res->balance[0], (long long)res->balance[1], (unsigned long long)res->done[0],
             (unsigned long long)res->done[1]);
    return 1;
}

static int describe_thread(const lock_pair_result *res, int t, char *buf, size_t len)
{
    int held = res->held[t], wanted = res->wanted[t];
    if (held != NO_LOCK && wanted != NO_LOCK)
        return snprintf(buf, len, "thread %d holds lock %c and waits for lock %c", t, lock_name[held], lock_name[wanted]);
    if (wanted != NO_LOCK) return snprintf(buf, len, "thread %d waits for lock %c", t, lock_name[wanted]);
    if (held != NO_LOCK) return snprintf(buf, len, "thread %d holds lock %c", t, lock_name[held]);
    return snprintf(buf, len, "thread %d holds no lock", t);
}

void lock_pair_describe(const lock_pair_result *res, char *buf, size_t len)
{
    int n = describe_thread(res, 0, buf, len);
    if (n < 0 || (size_t)n + 2 >= len) return;
    snprintf(buf + n, len - (size_t)n, "; ");
    describe_thread(res, 1, buf + n + 2, len - (size_t)n - 2);
}
