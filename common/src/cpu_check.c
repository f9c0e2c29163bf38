/* The start-up check that a program built for instructions this CPU lacks stops with one clear
 * line and exit 2 instead of dying with SIGILL somewhere in a kernel.
 *
 * What the build assumed comes from generated/parkit/cpu_needs.h (cmake/ParkitArch.cmake lists
 * the compiler's predefined ISA macros under PARKIT_ARCH). This file itself is compiled for the
 * baseline x86-64 (common/CMakeLists.txt), so the check cannot use the instructions it checks for.
 * It runs as a constructor of priority 101, the first one users may take, before the kit's other
 * constructors (priority 102), which may be compiled for the full instruction set. The object is
 * linked into every program by a -u linker flag on libparkit (a static library would otherwise
 * drop an object nothing calls). */
#define _GNU_SOURCE /* program_invocation_short_name */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parkit/build_info.h"
#include "parkit/error.h"

#if defined(__x86_64__) || defined(__i386__)
#define PK_CPU_CHECKABLE 1
#else
#define PK_CPU_CHECKABLE 0 /* __builtin_cpu_supports exists for x86 only: other CPUs are not checked */
#endif

#ifdef PK_CPU_CHECK_TESTING
/* Test builds only (tests/e2e): PARKIT_TEST_CPU_LACKS=name makes the check treat that instruction
 * set as missing, so the failure path runs on a CPU that has everything. */
static int pretend_lacks(const char *name)
{
    const char *v = getenv("PARKIT_TEST_CPU_LACKS");
    return v && strcmp(v, name) == 0;
}
#else
static int pretend_lacks(const char *name)
{
    (void)name;
    return 0;
}
#endif

/* The first instruction set the build assumed and this CPU lacks, or NULL. */
static const char *first_missing(void)
{
#if PK_CPU_CHECKABLE
    __builtin_cpu_init();
#define PK_CPU_NEEDS(name) \
    if (!__builtin_cpu_supports(name) || pretend_lacks(name)) return name;
#include "parkit/cpu_needs.h"
#undef PK_CPU_NEEDS
#endif
    return NULL;
}

/* Referenced by the linker flag -u pk_cpu_check (see common/CMakeLists.txt). */
int pk_cpu_check = 0;

__attribute__((constructor(101))) static void pk_cpu_check_at_start(void)
{
    const char *missing = first_missing();
    pk_cpu_check = 1;
    if (!missing) return;
    /* one line, stdio only: nothing here may use the instructions that are missing */
    fprintf(stderr,
            "%s: error: this CPU lacks %s, which the program was built for (%s); rebuild on this node "
            "(cmake --preset release) or for older CPUs (cmake --preset portable, or -DPARKIT_ARCH=<cpu>)\n",
            program_invocation_short_name, missing, PARKIT_ARCH_FLAGS_TEXT);
    fflush(stderr);
    _exit(PK_EXIT_USAGE);
}
