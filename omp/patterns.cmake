# The pattern programs on OpenMP threads (races and locks, task pool, waiting-bound work, placement)
# and the helper library they share with the MPI pattern programs in mpi/patterns.cmake.
# Included at the end of omp/CMakeLists.txt.
add_library(parkit_patterns STATIC patterns/pattern.c patterns/pattern_work.c patterns/placement.c
            patterns/pool_report.c patterns/waitbound.c)
target_include_directories(parkit_patterns PUBLIC patterns/include)
target_link_libraries(parkit_patterns PUBLIC parkit)

foreach(program counter_omp pool_omp waitbound_omp where_omp)
  parkit_omp_program(${program} ${CMAKE_CURRENT_LIST_DIR}/${program}.c)
  target_link_libraries(${program} PRIVATE parkit_patterns)
endforeach()
