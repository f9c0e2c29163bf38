/* Provenance of a report: where, when and with what a number was made, so that results from a
 * cluster can be compared and reproduced: host(s), date and time (UTC), CPU model, compiler,
 * build type and flags (with -march), source commit. The OpenMP runtime and the MPI library are
 * added by the backends that use them (omp/, mpi/). */
#ifndef PARKIT_PROVENANCE_H
#define PARKIT_PROVENANCE_H
#include <stddef.h>
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* This machine's host name. */
void pk_host_name(char *buf, size_t len);
struct pk_build;
/* Adds hosts (the given list, or this host when NULL), date_utc, cpu_model, then how the program
 * was built: compiler, build_type, build_flags, commit (`build`'s where it has them: a user's kernel
 * built by its own project; the kit's otherwise, and for build == NULL), project and project_version
 * (a user's kernel), and always the kit's own: parkit_version, parkit_build_type, parkit_build_flags,
 * parkit_commit. */
void pk_provenance_report(pk_report *r, const char *hosts, const struct pk_build *build);

#ifdef __cplusplus
}
#endif
#endif
