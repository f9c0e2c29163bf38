/* where_omp: where do my threads run? An xthi-style placement report for the OpenMP threads of one
 * process: for each thread, the host, the CPU it is on (sched_getcpu) and the CPUs it may use (its
 * affinity mask as a cpu list). Use it to check OMP_PROC_BIND / OMP_PLACES before timing anything.
 *   OMP_NUM_THREADS=4 ./where_omp
 *   OMP_NUM_THREADS=2 OMP_PROC_BIND=close OMP_PLACES=cores ./where_omp --json
 * Exit: 0 when every thread of the team is listed exactly once, 1 otherwise, 2 usage. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "parkit/error.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern.h"
#include "parkit/placement.h"

int main(int argc, char **argv)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = "placement report: host, thread, current CPU and affinity of every OpenMP thread";
    pk_pat_common c = {.repeat = 1};
    int code = pk_pat_parse(argc, argv, summary, NULL, 0, &c, PK_PAT_UNTIMED, pk_omp_check_env, 0);
    if (code >= 0) return code;

    int max = omp_get_max_threads();
    pk_place *places = calloc((size_t)max, sizeof *places);
    if (!places) {
        pk_error(prog, "out of memory for %d threads", max);
        return PK_EXIT_FAIL;
    }
    int team = 0;
#pragma omp parallel
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        /* every thread writes its own record: no two threads touch the same one */
        if (t < max) pk_place_here(&places[t], 0, 1, t, n);
#pragma omp single
        team = n;
    }
    char why[256];
    int pass = pk_place_check(places, (size_t)team, 1, why, sizeof why);

    pk_report r;
    pk_pat_report_init(&r, prog, summary, "omp");
    pk_omp_report_runtime(&r);
    pk_omp_describe(&r);
    pk_table t;
    pk_table_init(&t, pk_place_cols, pk_place_ncols);
    pk_place_report(places, (size_t)team, &r, &t);
    pk_pat_report_verdict(&r, pass, why);
    pk_pat_print(&r, &t, c.json, stdout);
    pk_table_free(&t);
    free(places);
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
