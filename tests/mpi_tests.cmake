# parkit_add_mpi_test(NAME <name> NP <ranks> COMMAND <exe> [args...] [LABELS ...] [ENVIRONMENT ...])
# Launches through FindMPI's variables, so another MPI or launcher needs no CMake edit:
#   MPIEXEC_EXECUTABLE MPIEXEC_NUMPROC_FLAG <np> MPIEXEC_PREFLAGS <exe> <args> MPIEXEC_POSTFLAGS
# plus the launcher flags of cmake/ParkitMpiLaunch.cmake. PROCESSORS lets ctest -j budget the cores.
function(parkit_add_mpi_test)
  if(NOT PARKIT_HAVE_MPI)
    return()
  endif()
  cmake_parse_arguments(T "" "NAME;NP" "COMMAND;LABELS;ENVIRONMENT" ${ARGN})
  list(POP_FRONT T_COMMAND exe)
  add_test(NAME ${T_NAME}
           COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${T_NP} ${PARKIT_MPIEXEC_OVERSUBSCRIBE}
                   ${MPIEXEC_PREFLAGS} ${exe} ${T_COMMAND} ${MPIEXEC_POSTFLAGS})
  set(np ${T_NP})
  if(np GREATER 2)
    set(np 2) # the machine's cores; oversubscribed ranks share them
  endif()
  set_tests_properties(${T_NAME} PROPERTIES PROCESSORS ${np} LABELS "mpi;${T_LABELS}" TIMEOUT 120
                       ENVIRONMENT "${PARKIT_MPI_ENV};${PARKIT_TEST_ENV};${T_ENVIRONMENT}")
endfunction()

# MPI GoogleTest binaries: rank 0 prints, a failure on any rank fails the run (mpi_gtest_main.cpp).
if(PARKIT_HAVE_MPI)
  add_library(parkit_mpi_gtest_main STATIC ${CMAKE_CURRENT_LIST_DIR}/cross/mpi_gtest_main.cpp)
  target_link_libraries(parkit_mpi_gtest_main PUBLIC parkit_mpi GTest::gtest MPI::MPI_CXX)
  if(PARKIT_HAVE_OPENMP) # the hybrid half of the cross tests
    target_link_libraries(parkit_mpi_gtest_main PUBLIC parkit_omp)
    target_compile_definitions(parkit_mpi_gtest_main PUBLIC PARKIT_TEST_HYBRID)
  endif()

  add_executable(parkit_cross_mpi_tests ${CMAKE_CURRENT_LIST_DIR}/cross/cross_mpi_test.cpp)
  target_link_libraries(parkit_cross_mpi_tests PRIVATE parkit_mpi_gtest_main)
  # Up to 4 ranks x 2 threads share 2 cores here: idle threads must sleep, not spin (libomp spins
  # 200 ms after each parallel region by default, which starves the rank that has work; libgomp
  # throttles its spinning by itself when oversubscribed).
  cmake_host_system_information(RESULT _cores QUERY NUMBER_OF_PHYSICAL_CORES)
  foreach(np 1 2 3 4)
    set(_env "OMP_NUM_THREADS=2;OMP_WAIT_POLICY=passive")
    if(PARKIT_MPI_BUSY_POLLS AND np GREATER _cores)
      list(APPEND _env "PARKIT_CROSS_RANKS_SHARE_CORES=1") # a reduced matrix: see cross_mpi_test.cpp
    endif()
    parkit_add_mpi_test(NAME cross_mpi_np${np} NP ${np} COMMAND $<TARGET_FILE:parkit_cross_mpi_tests>
                        LABELS cross ENVIRONMENT "${_env}")
  endforeach()
endif()
