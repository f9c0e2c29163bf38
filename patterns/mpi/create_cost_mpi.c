/* create_cost_mpi: create_cost's MPI helper. Launched plainly it is the trivial MPI program whose
 * launch create_cost times (MPI_Init, MPI_Finalize, exit 0):
 *   mpiexec -n 2 ./create_cost_mpi
 * With --spawn K (one rank) it times K calls of MPI_Comm_spawn, each starting one copy of itself and
 * waiting until that child has initialised MPI and disconnected, and prints one line for create_cost:
 *   mpiexec -n 1 ./create_cost_mpi --spawn 5   ->   spawn_s: 0.101 0.099 ...   or   unsupported: <why>
 * Errors are returned, not fatal (MPI_ERRORS_RETURN), so a refused spawn is reported, not aborted. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say_error(const char *what, int rc)
{
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    printf("unsupported: %s: %.*s\n", what, len, text);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm parent;
    MPI_Comm_get_parent(&parent);
    if (parent != MPI_COMM_NULL) { /* a spawned child: say hello by disconnecting, then leave */
        MPI_Comm_disconnect(&parent);
        MPI_Finalize();
        return 0;
    }
    int spawns = 0;
    if (argc == 3 && strcmp(argv[1], "--spawn") == 0) spawns = atoi(argv[2]);
    if (spawns > 0) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) {
            printf("unsupported: cannot find this program's path (/proc/self/exe)\n");
            MPI_Finalize();
            return 0;
        }
        self[n] = '\0';
        MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
        double *t = calloc((size_t)spawns, sizeof *t);
        int ok = t != NULL;
        for (int i = 0; ok && i < spawns; i++) {
            MPI_Comm child;
            int code = MPI_SUCCESS;
            double t0 = MPI_Wtime();
            int rc = MPI_Comm_spawn(self, MPI_ARGV_NULL, 1, MPI_INFO_NULL, 0, MPI_COMM_SELF, &child, &code);
            if (rc != MPI_SUCCESS || code != MPI_SUCCESS) {
                say_error("MPI_Comm_spawn", rc != MPI_SUCCESS ? rc : code);
                ok = 0;
                break;
            }
            rc = MPI_Comm_disconnect(&child);
            t[i] = MPI_Wtime() - t0;
            if (rc != MPI_SUCCESS) {
                say_error("MPI_Comm_disconnect", rc);
                ok = 0;
            }
        }
        if (ok) {
            printf("spawn_s:");
            for (int i = 0; i < spawns; i++) printf(" %.9f", t[i]);
            printf("\n");
        }
        free(t);
    }
    MPI_Finalize();
    return 0;
}
