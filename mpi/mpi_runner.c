#include "parkit/mpi_runner.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parkit/cli.h"
#include "parkit/error.h"
#include "parkit/topology.h"

/* Debian and Ubuntu configure Open MPI with "osc = ^ucx,pt2pt" (/etc/openmpi/openmpi-mca-params.conf,
 * because of UCX's trouble with fork). That leaves no one-sided component that reaches another node
 * over plain TCP (osc/sm is node-local, osc/rdma needs RDMA hardware), so MPI_Win_allocate fails as
 * soon as a job spans two hosts, and the rank schedules could not claim chunks there. Unless the user
 * chose the components (OMPI_MCA_osc, which mpirun --mca osc also sets), this process allows every
 * component but ucx: sm within a node, rdma where there is RDMA, pt2pt (active messages over the
 * point-to-point layer) otherwise. An environment variable is Open MPI's documented way to set an MCA
 * parameter, and it is read at MPI_Init, for this process only. */
static void allow_one_sided_between_hosts(void)
{
#ifdef OPEN_MPI
    if (!getenv("OMPI_MCA_osc")) setenv("OMPI_MCA_osc", "^ucx", 0);
#endif
}

int pk_mpi_init(int *argc, char ***argv, int required, const char *program)
{
    allow_one_sided_between_hosts();
    int provided = MPI_THREAD_SINGLE;
    if (MPI_Init_thread(argc, argv, required, &provided) != MPI_SUCCESS) {
        pk_error(program, "MPI_Init_thread failed");
        return PK_EXIT_FAIL;
    }
    if (provided < required) {
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0)
            pk_error(program, "the MPI library provides thread level %d, below the %d (MPI_THREAD_FUNNELED) this "
                     "program needs", provided, required);
        MPI_Finalize();
        return PK_EXIT_FAIL;
    }
    return 0;
}

void pk_mpi_warn_oversubscription(const char *program, int threads_per_rank)
{
    MPI_Comm node;
    int rank, local_ranks, cores = pk_topology_get()->cores; /* cores, not hardware threads */
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &local_ranks);
    MPI_Comm_free(&node);

    int bound = pk_initial_cpus(); /* as started: the runtime may have pinned this thread since */
    int worst_bound = bound; /* the tightest binding of any rank */
    MPI_Allreduce(&bound, &worst_bound, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    int worst_local = local_ranks;
    MPI_Allreduce(&local_ranks, &worst_local, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);

    if (rank != 0) return;
    if ((long)worst_local * threads_per_rank > cores)
        pk_warning(program, "%d ranks x %d threads on one node exceed its %d cores: workers will share cores "
                   "(oversubscribed; timings will not scale)", worst_local, threads_per_rank, cores);
    if (threads_per_rank > worst_bound)
        pk_warning(program, "a rank's %d threads are bound to only %d cpu(s): give each rank a core set "
                   "(mpirun --map-by ppr:N:node:PE=T or --bind-to none; srun -c T)", threads_per_rank,
                   worst_bound);
}

/* MPI user-defined operations receive no context pointer, so the kernel being reduced is kept
 * here for the duration of one MPI_Reduce call. */
static const pk_kernel *reduce_kernel;

static void reduce_op(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    size_t size = reduce_kernel->result_size;
    pk_result a, b; /* MPI buffers need not be 16-byte aligned: combine on aligned copies */
    for (int i = 0; i < *len; i++) {
        memcpy(&a, (char *)inout + (size_t)i * size, size);
        memcpy(&b, (char *)in + (size_t)i * size, size);
        reduce_kernel->combine(&a, &b);
        memcpy((char *)inout + (size_t)i * size, &a, size);
    }
}

/* The result type (one contiguous block of result_size bytes, so that MPI never splits a result
 * between two calls of the op) and the op, made once and reused: the reduction runs inside every
 * timed repeat. pk_mpi_reduce_release frees them before MPI_Finalize (MPICH reports a datatype
 * left alive as a leak). */
static MPI_Datatype reduce_type = MPI_DATATYPE_NULL;
static size_t reduce_type_size;
static MPI_Op reduce_op_handle = MPI_OP_NULL;

void pk_mpi_reduce_result(const pk_kernel *k, const void *local, void *global, MPI_Comm comm)
{
    if (reduce_type == MPI_DATATYPE_NULL || reduce_type_size != k->result_size) {
        if (reduce_type != MPI_DATATYPE_NULL) MPI_Type_free(&reduce_type);
        MPI_Type_contiguous((int)k->result_size, MPI_BYTE, &reduce_type);
        MPI_Type_commit(&reduce_type);
        reduce_type_size = k->result_size;
    }
    if (reduce_op_handle == MPI_OP_NULL)
        MPI_Op_create(reduce_op, 1 /* commutative: combine is exact */, &reduce_op_handle);
    reduce_kernel = k;
    MPI_Reduce(local, global, 1, reduce_type, reduce_op_handle, 0, comm);
    reduce_kernel = NULL;
}

void pk_mpi_reduce_release(void)
{
    if (reduce_type != MPI_DATATYPE_NULL) MPI_Type_free(&reduce_type);
    if (reduce_op_handle != MPI_OP_NULL) MPI_Op_free(&reduce_op_handle);
    reduce_type_size = 0;
}

void pk_mpi_report_library(pk_report *r)
{
    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(lib, &len);
    lib[strcspn(lib, "\n,")] = '\0'; /* the first line, up to its first comma: name and version */
    pk_report_str(r, "mpi_library", "%s", lib);
}
