#define _POSIX_C_SOURCE 200809L
#include "parkit/interrupt.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t caught;

static void on_signal(int signo) { caught = signo; }

static const int handled[] = {SIGTERM, SIGINT, SIGUSR1};
enum { NHANDLED = sizeof handled / sizeof handled[0] };

void pk_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NHANDLED; i++) {
        sigaction(handled[i], &sa, NULL);
        sigaddset(&set, handled[i]);
    }
    /* a launcher (or a parent shell) may have started us with them blocked: one that arrived before
     * this point is pending, and is caught now */
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

void pk_interrupt_release(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NHANDLED; i++) sigaction(handled[i], &sa, NULL);
    if (caught) raise(caught); /* what it would have done had it arrived now */
}

int pk_interrupt_signal(void) { return caught; }

const char *pk_interrupt_name(int signo)
{
    static char other[32];
    switch (signo) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGUSR1: return "SIGUSR1";
    default: snprintf(other, sizeof other, "signal %d", signo); return other;
    }
}
