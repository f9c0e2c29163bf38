/* The vector width the kernels are compiled for: how many 64-bit lanes one register holds
 * (8 with AVX-512, 4 with AVX, 2 with SSE2). Used with GNU vector types; kernels whose results
 * must not depend on it (pi, mandel's counts) keep the same operation order for any width. */
#ifndef PARKIT_SIMD_H
#define PARKIT_SIMD_H

#if defined(__AVX512F__)
#define PK_LANES64 8
#elif defined(__AVX__)
#define PK_LANES64 4
#else
#define PK_LANES64 2
#endif

#endif
