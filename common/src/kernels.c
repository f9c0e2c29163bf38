/* The catalog, generated from CMake's PARKIT_KERNELS list (parkit_kernels.inc). Lookups give the
 * kernels resolved (pk_kernel_resolve: defaults filled in), so that tests and tools can call every
 * hook of a catalog kernel directly. */
#include "parkit/kernels.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/program.h"

#define PK_KERNEL(name) extern const pk_kernel pk_kernel_##name;
#include "parkit_kernels.inc"
#undef PK_KERNEL

static const pk_kernel *const catalog[] = {
#define PK_KERNEL(name) &pk_kernel_##name,
#include "parkit_kernels.inc"
#undef PK_KERNEL
};
#define COUNT (sizeof catalog / sizeof catalog[0])

static pk_kernel resolved[COUNT];
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

static void resolve_catalog(void)
{
    for (size_t i = 0; i < COUNT; i++) {
        char err[256];
        if (pk_kernel_resolve(catalog[i], NULL, &resolved[i], err, sizeof err) != 0) {
            fprintf(stderr, "parkit: the catalog's %s\n", err); /* the kit's own bug: its tests stop here */
            abort();
        }
    }
}

size_t pk_kernel_count(void) { return COUNT; }

const pk_kernel *pk_kernel_at(size_t i)
{
    pthread_once(&resolve_once, resolve_catalog);
    return i < COUNT ? &resolved[i] : NULL;
}

const pk_kernel *pk_kernel_find(const char *name)
{
    for (size_t i = 0; i < COUNT; i++)
        if (strcmp(catalog[i]->name, name) == 0) return pk_kernel_at(i);
    return NULL;
}
