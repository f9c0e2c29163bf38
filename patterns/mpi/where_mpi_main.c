/* The placement report on MPI ranks (and their OpenMP threads): every rank records where its
 * threads run, rank 0 gathers the fixed-size records, sorts them by (rank, thread), checks that
 * each appears exactly once and prints them. Only the master thread calls MPI (FUNNELED). */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "parkit/error.h"
#include "parkit/mpi_runner.h"
#include "parkit/omp_runner.h"
#include "parkit/pattern_mpi.h"
#include "parkit/placement.h"

/* The lowest rank that shares memory with this one: MPI's own answer to "which ranks are on my
 * node", so the report shows which ranks can only talk over the network. */
static int shm_group(void)
{
    MPI_Comm node;
    int rank, lowest;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Allreduce(&rank, &lowest, 1, MPI_INT, MPI_MIN, node);
    MPI_Comm_free(&node);
    return lowest;
}

/* Records of this rank's threads (one without OpenMP); returns how many. */
static int record_here(int rank, int size, int hybrid, pk_place **out)
{
    int group = shm_group();
    int max = hybrid ? omp_get_max_threads() : 1;
    pk_place *mine = calloc((size_t)max, sizeof *mine);
    int team = 0;
    if (!mine) return -1;
    if (!hybrid) {
        pk_place_here(&mine[0], rank, size, 0, 1);
        team = 1;
    } else {
#pragma omp parallel
        {
            int t = omp_get_thread_num(), n = omp_get_num_threads();
            if (t < max) pk_place_here(&mine[t], rank, size, t, n);
#pragma omp single
            team = n;
        }
    }
    for (int t = 0; t < team && t < max; t++) mine[t].shm_group = group;
    *out = mine;
    return team;
}

int pk_where_gather(int hybrid, pk_place **out, size_t *nout)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *out = NULL;
    *nout = 0;
    pk_place *mine = NULL, *all = NULL;
    int n = record_here(rank, size, hybrid, &mine);
    /* counts in bytes, so the records travel as they are (same binary on every rank) */
    int bytes = n > 0 ? n * (int)sizeof(pk_place) : 0;
    int *counts = NULL, *displs = NULL;
    int ok = n >= 0;
    if (rank == 0) {
        counts = calloc((size_t)size, sizeof *counts);
        displs = calloc((size_t)size, sizeof *displs);
        ok = ok && counts && displs;
    }
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(mine);
        free(counts);
        free(displs);
        return -1;
    }
    MPI_Gather(&bytes, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    long total = 0;
    if (rank == 0) {
        for (int r = 0; r < size; r++) {
            displs[r] = (int)total;
            total += counts[r];
        }
        all = malloc(total > 0 ? (size_t)total : 1);
    }
    /* rank 0 cannot back out of the Gatherv alone: without memory it receives nothing and says so */
    int have = rank != 0 || all != NULL;
    MPI_Bcast(&have, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (have) MPI_Gatherv(mine, bytes, MPI_BYTE, all, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
    free(mine);
    free(counts);
    free(displs);
    if (!have) return -1;
    if (rank == 0) {
        *out = all;
        *nout = (size_t)total / sizeof(pk_place);
    }
    return 0;
}

int pk_where_mpi_main(int argc, char **argv, int hybrid)
{
    const char *prog = pk_program_name(argv[0]);
    const char *summary = hybrid ? "placement report: host, rank, thread, current CPU and affinity of every "
                                   "thread of every MPI rank"
                                 : "placement report: host, rank, current CPU and affinity of every MPI rank";
    pk_pat_common c = {.repeat = 1};
    int rank = 0, size = 1;
    int code = pk_pat_mpi_start(&argc, &argv, hybrid ? MPI_THREAD_FUNNELED : MPI_THREAD_SINGLE, summary, NULL, 0,
                                &c, PK_PAT_UNTIMED, hybrid ? pk_omp_check_env : NULL, &rank, &size);
    if (code >= 0) return code;
    pk_mpi_warn_oversubscription(prog, hybrid ? pk_omp_count_threads() : 1);

    pk_place *all = NULL;
    size_t records = 0;
    if (pk_where_gather(hybrid, &all, &records) != 0) {
        if (rank == 0) pk_error(prog, "out of memory for the placement records");
        MPI_Finalize();
        return PK_EXIT_FAIL;
    }
    int pass = 1;
    if (rank == 0) {
        char why[256];
        pass = pk_place_check(all, records, size, why, sizeof why);
        pk_report r;
        pk_pat_mpi_report_init(&r, prog, summary, hybrid ? "hybrid" : "mpi");
        if (hybrid) pk_omp_report_runtime(&r);
        if (hybrid) pk_omp_describe(&r);
        pk_table t;
        pk_table_init(&t, pk_place_cols, pk_place_ncols);
        pk_place_report(all, records, &r, &t);
        pk_pat_report_verdict(&r, pass, why);
        pk_pat_print(&r, &t, c.json, stdout);
        pk_table_free(&t);
    }
    MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
    free(all);
    MPI_Finalize();
    return pass ? PK_EXIT_OK : PK_EXIT_FAIL;
}
