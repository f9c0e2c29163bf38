/* create_cost's probes that need neither OpenMP nor MPI: what starting one worker costs, timed one
 * creation at a time (a POSIX thread started and joined, a process forked and reaped, a program
 * started with posix_spawn and reaped), plus the bounded run of a helper program whose output is
 * read back (an mpiexec launch, the MPI_Comm_spawn helper). */
#ifndef PARKIT_CREATE_COST_H
#define PARKIT_CREATE_COST_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* One creation each: returns its wall time in seconds, or a negative value when it failed (the
 * reason in err). */
double pk_cc_thread(char *err, size_t errlen);
double pk_cc_fork(char *err, size_t errlen);
/* posix_spawn(argv) then waitpid; the program must exit 0 within timeout_s (else it is killed). */
double pk_cc_spawn(char *const argv[], double timeout_s, char *err, size_t errlen);

/* Runs argv with stdout and stderr captured into out[0..outlen) (NUL-terminated), in its own process group;
 * after timeout_s the whole group is killed. Returns the exit status (0..255), or -1 with the
 * reason in err (could not start, killed by a signal, timed out). */
int pk_cc_capture(char *const argv[], double timeout_s, char *out, size_t outlen, char *err, size_t errlen);


/* Splits a command line at blanks into words stored in buf (no quoting: launcher commands and
 * paths without spaces); words[] gets at most maxw - 1 pointers and a NULL. Returns the count. */
int pk_cc_split(const char *cmd, char *buf, size_t buflen, char **words, int maxw);

#ifdef __cplusplus
}
#endif
#endif
