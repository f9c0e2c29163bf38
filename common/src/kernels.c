/* The catalog, generated from CMake's PARKIT_KERNELS list (parkit_kernels.inc). */
#include "parkit/kernels.h"

#include <string.h>

#define PK_KERNEL(name) extern const pk_kernel pk_kernel_##name;
#include "parkit_kernels.inc"
#undef PK_KERNEL

static const pk_kernel *const catalog[] = {
#define PK_KERNEL(name) &pk_kernel_##name,
#include "parkit_kernels.inc"
#undef PK_KERNEL
};

size_t pk_kernel_count(void) { return sizeof catalog / sizeof catalog[0]; }

const pk_kernel *pk_kernel_at(size_t i) { return i < pk_kernel_count() ? catalog[i] : NULL; }

const pk_kernel *pk_kernel_find(const char *name)
{
    for (size_t i = 0; i < pk_kernel_count(); i++)
        if (strcmp(catalog[i]->name, name) == 0) return catalog[i];
    return NULL;
}
