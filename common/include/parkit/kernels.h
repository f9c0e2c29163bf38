/* The kernel catalog: every kernel listed in CMake (PARKIT_KERNELS) is registered here. */
#ifndef PARKIT_KERNELS_H
#define PARKIT_KERNELS_H
#include <stddef.h>
#include "parkit/kernel.h"
#ifdef __cplusplus
extern "C" {
#endif

size_t pk_kernel_count(void);
const pk_kernel *pk_kernel_at(size_t i);
const pk_kernel *pk_kernel_find(const char *name); /* NULL when unknown */

#ifdef __cplusplus
}
#endif
#endif
