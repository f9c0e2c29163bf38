/* The one error path: a single line "<program>: error: <message>" on stderr, and the kit's exit codes. */
#ifndef PARKIT_ERROR_H
#define PARKIT_ERROR_H
#ifdef __cplusplus
extern "C" {
#endif

enum {
    PK_EXIT_OK = 0,      /* verified */
    PK_EXIT_FAIL = 1,    /* verification failed or runtime failure */
    PK_EXIT_USAGE = 2,   /* bad command line or environment */
    PK_EXIT_INTERRUPTED = 3, /* interrupted by a signal, checkpoint written: run the same command to resume */
    PK_EXIT_UNVERIFIED = 4,  /* ran to the end, but the kernel has no reference for this n: not a PASS */
    PK_EXIT_KERNEL = 5       /* the kernel breaks the kit's contract (a missing hook, a zero block...) */
};

void pk_error(const char *program, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pk_warning(const char *program, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same one-line form with another word: "<program>: progress: ...", "<program>: interrupted: ...". */
void pk_message(const char *program, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
