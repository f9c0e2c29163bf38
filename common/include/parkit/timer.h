/* The one wall clock of the kit (CLOCK_MONOTONIC). MPI code uses MPI_Wtime through the runner. */
#ifndef PARKIT_TIMER_H
#define PARKIT_TIMER_H
#ifdef __cplusplus
extern "C" {
#endif

double pk_wtime(void); /* seconds since an arbitrary fixed point */

#ifdef __cplusplus
}
#endif
#endif
