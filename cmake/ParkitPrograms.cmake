# parkit_kernel_programs(NAME): the programs of one kernel, from the generic thin mains.
function(parkit_kernel_programs name)
  add_executable(${name}_omp ${PROJECT_SOURCE_DIR}/omp/kernel_omp_main.c)
  target_compile_definitions(${name}_omp PRIVATE PK_KERNEL_SYMBOL=pk_kernel_${name})
  target_link_libraries(${name}_omp PRIVATE parkit_omp)
  if(PARKIT_HAVE_MPI)
    add_executable(${name}_mpi ${PROJECT_SOURCE_DIR}/mpi/kernel_mpi_main.c)
    target_compile_definitions(${name}_mpi PRIVATE PK_KERNEL_SYMBOL=pk_kernel_${name})
    target_link_libraries(${name}_mpi PRIVATE parkit_mpi)
    add_executable(${name}_hybrid ${PROJECT_SOURCE_DIR}/mpi/kernel_hybrid_main.c)
    target_compile_definitions(${name}_hybrid PRIVATE PK_KERNEL_SYMBOL=pk_kernel_${name})
    target_link_libraries(${name}_hybrid PRIVATE parkit_mpi)
  endif()
endfunction()

# parkit_omp_program(NAME SOURCES...): a pattern program on OpenMP threads.
function(parkit_omp_program name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE parkit_omp)
endfunction()

# parkit_mpi_program(NAME SOURCES...): a pattern program on MPI ranks (may also use OpenMP).
function(parkit_mpi_program name)
  if(PARKIT_HAVE_MPI)
    add_executable(${name} ${ARGN})
    target_link_libraries(${name} PRIVATE parkit_mpi)
  endif()
endfunction()
