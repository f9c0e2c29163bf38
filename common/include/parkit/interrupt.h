/* Interruption by a signal: SIGTERM (scancel, a time limit), SIGINT (Ctrl-C) and SIGUSR1 (Slurm's
 * --signal warning) only set a flag, which the run checks between epochs of blocks, so that a
 * checkpointing run can write its state and exit with PK_EXIT_INTERRUPTED. */
#ifndef PARKIT_INTERRUPT_H
#define PARKIT_INTERRUPT_H
#ifdef __cplusplus
extern "C" {
#endif

/* Catches SIGTERM, SIGINT and SIGUSR1 from now on (SA_RESTART: system calls resume), and unblocks
 * them: one that arrived earlier while they were blocked is caught at once. Programs call it first
 * thing (before MPI_Init), so that a signal at start-up is never lost nor kills a checkpointing run. */
void pk_interrupt_install(void);
/* For runs that turn out to have nothing to save (no --checkpoint): the default actions again, and a
 * signal caught meanwhile is raised anew, so it ends the process as it would have. */
void pk_interrupt_release(void);
/* The signal caught so far (its number), or 0. */
int pk_interrupt_signal(void);
/* "SIGTERM", "SIGINT", "SIGUSR1" or "signal N". */
const char *pk_interrupt_name(int signo);

#ifdef __cplusplus
}
#endif
#endif
