# How programs are made from the kit: in this tree, and installed (lib/cmake/parkit/), where
# find_package(parkit) includes this file. Targets are named parkit::parkit, parkit::omp and
# parkit::mpi in both places (aliases in the tree, imported targets when installed).
#
# parkit_add_kernel(NAME [SOURCES file.c...] [SYMBOL pk_kernel_NAME])
#   NAME_omp (when the kit has OpenMP), NAME_mpi and NAME_hybrid (when it has MPI; hybrid needs
#   both) from one kernel file: the kit's generic mains, so every program gets the kit's command
#   line, report, verification, schedules and checkpoints. SOURCES hold `const pk_kernel SYMBOL`
#   (default pk_kernel_NAME); they are compiled once, with the flags results depend on
#   (-ffp-contract=off, the kit's -march), which parkit::parkit carries. Without SOURCES the kernel
#   is one of the kit's own (compiled into libparkit).
#   The mains: PARKIT_OMP_MAIN, PARKIT_MPI_MAIN, PARKIT_HYBRID_MAIN (set by the tree or the package).
function(parkit_add_kernel name)
  cmake_parse_arguments(K "" "SYMBOL" "SOURCES" ${ARGN})
  if(K_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "parkit_add_kernel(${name}): unexpected arguments ${K_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT K_SYMBOL)
    set(K_SYMBOL pk_kernel_${name})
  endif()
  set(objects "")
  if(K_SOURCES)
    add_library(${name}_kernel OBJECT ${K_SOURCES})
    target_link_libraries(${name}_kernel PUBLIC parkit::parkit)
    set(objects $<TARGET_OBJECTS:${name}_kernel>)
  endif()
  set(programs "")
  if(TARGET parkit::omp)
    add_executable(${name}_omp ${PARKIT_OMP_MAIN} ${objects})
    target_link_libraries(${name}_omp PRIVATE parkit::omp)
    list(APPEND programs ${name}_omp)
  endif()
  if(TARGET parkit::mpi)
    add_executable(${name}_mpi ${PARKIT_MPI_MAIN} ${objects})
    target_link_libraries(${name}_mpi PRIVATE parkit::mpi)
    list(APPEND programs ${name}_mpi)
    if(TARGET parkit::omp)
      add_executable(${name}_hybrid ${PARKIT_HYBRID_MAIN} ${objects})
      target_link_libraries(${name}_hybrid PRIVATE parkit::mpi parkit::omp)
      list(APPEND programs ${name}_hybrid)
    endif()
  endif()
  foreach(p IN LISTS programs)
    target_compile_definitions(${p} PRIVATE PK_KERNEL_SYMBOL=${K_SYMBOL})
  endforeach()
  set(${name}_PROGRAMS ${programs} PARENT_SCOPE)
endfunction()

# parkit_omp_program(NAME SOURCES...): a pattern program on OpenMP threads.
function(parkit_omp_program name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE parkit::omp)
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()

# parkit_mpi_program(NAME SOURCES...): a pattern program on MPI ranks (may also use OpenMP).
function(parkit_mpi_program name)
  if(TARGET parkit::mpi)
    add_executable(${name} ${ARGN})
    target_link_libraries(${name} PRIVATE parkit::mpi)
    if(TARGET parkit::omp)
      target_link_libraries(${name} PRIVATE parkit::omp)
    endif()
    install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endfunction()
