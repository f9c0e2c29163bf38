/* Interruption by a signal: SIGTERM (scancel, a time limit), SIGINT (Ctrl-C) and SIGUSR1 (Slurm's
 * --signal warning) only set a flag, which the run checks between epochs of blocks, so that a
 * checkpointing run can write its state and exit with PK_EXIT_INTERRUPTED. */
#ifndef PARKIT_INTERRUPT_H
#define PARKIT_INTERRUPT_H
#ifdef __cplusplus
extern "C" {
#endif

/* Catches SIGTERM, SIGINT and SIGUSR1 from now on (SA_RESTART: system calls resume). */
void pk_interrupt_install(void);
/* The signal caught so far (its number), or 0. */
int pk_interrupt_signal(void);
/* "SIGTERM", "SIGINT", "SIGUSR1" or "signal N". */
const char *pk_interrupt_name(int signo);

#ifdef __cplusplus
}
#endif
#endif
