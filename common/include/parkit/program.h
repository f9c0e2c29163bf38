/* A kernel program as built: the kernel, the name its build gave it, and how it was compiled, so
 * that a report describes the program that ran (a user's kernel has its own flags, project and
 * commit beside the kit's). parkit_add_kernel generates one pk_program per kernel
 * (NAME_program.c); the generic mains run `pk_this_program`. */
#ifndef PARKIT_PROGRAM_H
#define PARKIT_PROGRAM_H
#include <stddef.h>
#include "parkit/kernel.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* How a program's kernel was built. A NULL field: the kit's own (the catalog's kernels are built
 * with the kit). */
typedef struct pk_build {
    const char *build_type; /* "Release", or what the consumer set */
    const char *compiler;
    const char *flags;      /* every flag the kernel was compiled with */
    const char *project;    /* the consumer's project name and version */
    const char *version;
    const char *commit;     /* its source commit, "unknown" outside git */
} pk_build;

typedef struct pk_program {
    const pk_kernel *kernel;
    const char *kernel_name; /* the NAME of parkit_add_kernel: kernel->name must equal it (NULL: not checked) */
    pk_build build;
} pk_program;

/* The generated definition a generic main runs (omp/kernel_omp_main.c, mpi/kernel_*_main.c). */
extern const pk_program pk_this_program;

/* The kernel with its optional fields filled from their defaults (see kernel.h's table) into *out,
 * after checking every mandatory one. Returns 0, or -1 with one line in err naming the field.
 * `expected_name`: the name the program was built for (NULL: not checked). */
int pk_kernel_resolve(const pk_kernel *k, const char *expected_name, pk_kernel *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
