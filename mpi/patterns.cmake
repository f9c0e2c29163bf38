# The pattern programs on MPI ranks (queue, ping-pong, master-worker pool, waiting-bound work,
# placement) and the MPI half of their helpers. Included at the end of mpi/CMakeLists.txt (so only
# when MPI is found); the MPI-free helpers are parkit_patterns, from omp/patterns.cmake.
add_library(parkit_patterns_mpi STATIC patterns/pattern_mpi.c patterns/where_mpi_main.c patterns/queue.c
            patterns/farm.c patterns/pingpong.c)
target_include_directories(parkit_patterns_mpi PUBLIC patterns/include)
target_link_libraries(parkit_patterns_mpi PUBLIC parkit_mpi parkit_patterns)

foreach(program queue_mpi pingpong_mpi pool_mpi waitbound_mpi where_mpi where_hybrid)
  parkit_mpi_program(${program} ${CMAKE_CURRENT_LIST_DIR}/${program}.c)
  target_link_libraries(${program} PRIVATE parkit_patterns_mpi)
endforeach()
