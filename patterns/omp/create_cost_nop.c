/* create_cost_nop: the smallest program the kit builds (it returns 0 at once). create_cost times
 * posix_spawn + waitpid of it: the cost of starting a process that runs a new program, beside
 * fork alone and beside an MPI launch of a program that does only MPI_Init and MPI_Finalize. */
int main(void) { return 0; }
