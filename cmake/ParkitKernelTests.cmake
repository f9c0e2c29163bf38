# The kit's cross-model checks for a kernel's programs, as ctest cases of the project that built
# them: in this tree (the top-level CMakeLists.txt includes this file) and installed
# (lib/cmake/parkit/: find_package(parkit) includes it). The checks themselves are one script beside
# this file, parkit-kernel-check.sh (installed with it; its banner says how to run it by hand).
#
# parkit_add_kernel_tests(NAME [SIZES n...] [ARGS arg...] [LAUNCHER word...]
#                         [ENVIRONMENT var=value...] [TIMEOUT seconds])
#   After parkit_add_kernel(NAME ...). For each size (a value for --n; without SIZES, the kernel's
#   test_n from its programs' --describe: a few blocks and a short one), the result of NAME_omp on
#   1 thread, the serial reference, is compared bit for bit (the report's `result:` line, the kernel's canonical text of its whole
#   result) with, one test per worker count, every schedule in turn:
#     kernel_NAME_omp_t<T>_n<size>      NAME_omp on T = 1..4 threads, OMP_SCHEDULE static, dynamic,1,
#                                       guided, auto
#     kernel_NAME_mpi_np<R>_n<size>     NAME_mpi on R = 1..3 ranks, --rank-schedule static, dynamic,1,
#                                       guided
#     kernel_NAME_hybrid_np2x2_n<size>  NAME_hybrid on 2 ranks x 2 threads, each schedule on both levels
#   A run counts when it exits 0 with `verification: PASS` or 4 with `verification: UNVERIFIED` (its
#   result is compared all the same); any other exit fails the test. Once per program (the first size):
#     kernel_NAME_exit_codes_omp|_mpi|_hybrid  a verified run exits 0 and says PASS, an unknown option
#                                              exits 2 with one error line, --help exits 0
#   ARGS: kernel options given to every run (e.g. ARGS --iters 500). LAUNCHER: the command that starts
#   ranks, the rank count appended to it (e.g. LAUNCHER srun --mpi=pmix -n); default: FindMPI's
#   MPIEXEC_EXECUTABLE MPIEXEC_NUMPROC_FLAG <count>, then --oversubscribe when that is Open MPI (the
#   tests start up to 4 workers whatever the core count; MPICH's hydra needs nothing and would refuse
#   the flag), then MPIEXEC_PREFLAGS. ENVIRONMENT: added to every test's. TIMEOUT: per test (default
#   120 s; each runs the reference and 3 or 4 runs of the program).
#   Labels: parkit_kernel, and mpi on the tests that launch ranks. The tests' names are returned in
#   NAME_KERNEL_TESTS. Tests that launch ranks run with Open MPI allowed to run as root
#   (OMPI_ALLOW_RUN_AS_ROOT, ..._CONFIRM: CI containers run as root; harmless elsewhere).
include_guard(GLOBAL)

function(parkit_add_kernel_tests name)
  # what is compared (set here, not at file scope: the function is global, the file's variables
  # are not, and a project may call it from another directory than the one that found the package)
  set(thread_counts 1 2 3 4)
  set(rank_counts 1 2 3)
  set(omp_schedules static dynamic,1 guided auto)
  set(rank_schedules static dynamic,1 guided)
  cmake_parse_arguments(T "" "TIMEOUT" "SIZES;ARGS;LAUNCHER;ENVIRONMENT" ${ARGN})
  if(T_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "parkit_add_kernel_tests(${name}): unexpected arguments ${T_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${name}_omp AND NOT TARGET ${name}_mpi)
    message(FATAL_ERROR "parkit_add_kernel_tests(${name}): no ${name}_omp or ${name}_mpi: call parkit_add_kernel(${name} ...) first")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  # CMAKE_CURRENT_FUNCTION_LIST_DIR: this file's directory (cmake/ in the tree, lib/cmake/parkit/
  # installed), wherever the function is called from
  set(check bash ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/parkit-kernel-check.sh)
  set(args "")
  if(T_ARGS)
    set(args -- ${T_ARGS})
  endif()
  set(mpi_env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)

  # the launcher: launch_head, the rank count, launch_tail (see _parkit_kernel_launch)
  if(TARGET ${name}_mpi)
    if(T_LAUNCHER)
      set(launch_head ${T_LAUNCHER})
      set(launch_tail "")
    elseif(MPIEXEC_EXECUTABLE)
      _parkit_kernel_mpiexec_oversubscribe()
      set(launch_head ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG})
      set(launch_tail ${PARKIT_MPIEXEC_OVERSUBSCRIBE} ${MPIEXEC_PREFLAGS})
    else()
      message(WARNING "parkit_add_kernel_tests(${name}): no MPI launcher (MPIEXEC_EXECUTABLE, or LAUNCHER): "
                      "${name}_mpi and ${name}_hybrid are not tested")
    endif()
  endif()
  set(have_launcher OFF)
  if(DEFINED launch_head)
    set(have_launcher ON)
  endif()

  # the serial reference: NAME_omp on 1 thread, or (a kit without OpenMP) NAME_mpi on 1 rank
  if(TARGET ${name}_omp)
    set(reference --reference $<TARGET_FILE:${name}_omp>)
  elseif(have_launcher)
    _parkit_kernel_launch(one 1 --reference-launch)
    set(reference --reference $<TARGET_FILE:${name}_mpi> ${one})
  else()
    message(WARNING "parkit_add_kernel_tests(${name}): no ${name}_omp and no MPI launcher: nothing to test")
    return()
  endif()

  set(tests "")
  set(sizes ${T_SIZES})
  if(NOT sizes)
    set(sizes default)
  endif()
  foreach(size IN LISTS sizes)
    string(MAKE_C_IDENTIFIER "n${size}" id)
    set(n --n ${size})
    if(size STREQUAL "default")
      set(n "")
    endif()
    if(TARGET ${name}_omp)
      set(schedules "")
      foreach(s IN LISTS omp_schedules)
        list(APPEND schedules --schedule ${s})
      endforeach()
      foreach(t IN LISTS thread_counts)
        _parkit_kernel_add(kernel_${name}_omp_t${t}_${id} ${t} OFF
                           results --model omp --ranks 1 --threads ${t} ${n} ${reference}
                           --program $<TARGET_FILE:${name}_omp> ${schedules} ${args})
      endforeach()
    endif()
    if(have_launcher)
      set(schedules "")
      foreach(s IN LISTS rank_schedules)
        list(APPEND schedules --schedule ${s})
      endforeach()
      foreach(r IN LISTS rank_counts)
        _parkit_kernel_launch(launch ${r})
        _parkit_kernel_add(kernel_${name}_mpi_np${r}_${id} ${r} ON
                           results --model mpi --ranks ${r} --threads 1 ${n} ${reference}
                           --program $<TARGET_FILE:${name}_mpi> ${launch} ${schedules} ${args})
      endforeach()
      if(TARGET ${name}_hybrid)
        _parkit_kernel_launch(launch 2)
        _parkit_kernel_add(kernel_${name}_hybrid_np2x2_${id} 4 ON
                           results --model hybrid --ranks 2 --threads 2 ${n} ${reference}
                           --program $<TARGET_FILE:${name}_hybrid> ${launch} ${schedules} ${args})
      endif()
    endif()
  endforeach()

  # the exit codes, once per program, at the first size
  list(GET sizes 0 size)
  set(n --n ${size})
  if(size STREQUAL "default")
    set(n "")
  endif()
  if(TARGET ${name}_omp)
    _parkit_kernel_add(kernel_${name}_exit_codes_omp 2 OFF
                       exit-codes --threads 2 ${n} --program $<TARGET_FILE:${name}_omp> ${args})
  endif()
  if(have_launcher)
    _parkit_kernel_launch(launch 2)
    _parkit_kernel_add(kernel_${name}_exit_codes_mpi 2 ON
                       exit-codes --threads 1 ${n} --program $<TARGET_FILE:${name}_mpi> ${launch} ${args})
    if(TARGET ${name}_hybrid)
      _parkit_kernel_add(kernel_${name}_exit_codes_hybrid 4 ON
                         exit-codes --threads 2 ${n} --program $<TARGET_FILE:${name}_hybrid> ${launch} ${args})
    endif()
  endif()
  set(${name}_KERNEL_TESTS ${tests} PARENT_SCOPE)
endfunction()

# Helpers of parkit_add_kernel_tests, macros so that they read and set its variables.
# _parkit_kernel_launch(OUT RANKS [FLAG]): the launcher for RANKS ranks as FLAG WORD pairs (FLAG:
# --launch unless given), from launch_head, the count and launch_tail.
macro(_parkit_kernel_launch out ranks)
  set(_flag --launch)
  if(${ARGC} GREATER 2)
    set(_flag ${ARGV2})
  endif()
  set(${out} "")
  set(_words ${launch_head} ${ranks} ${launch_tail})
  foreach(_word IN LISTS _words)
    list(APPEND ${out} ${_flag} ${_word})
  endforeach()
endmacro()

# _parkit_kernel_add(TEST WORKERS LAUNCHED CHECK-ARGS...): one test running the check script, with
# its labels, environment, timeout and processors (its workers, so that ctest -j does not stack
# tests onto fewer cores than they start), appended to `tests`.
macro(_parkit_kernel_add test workers launched)
  add_test(NAME ${test} COMMAND ${check} ${ARGN})
  set(_env ${T_ENVIRONMENT})
  set(_labels parkit_kernel)
  if(${launched})
    list(PREPEND _env ${mpi_env})
    list(APPEND _labels mpi)
  endif()
  set_tests_properties(${test} PROPERTIES LABELS "${_labels}" TIMEOUT ${T_TIMEOUT}
                       PROCESSORS ${workers} ENVIRONMENT "${_env}")
  list(APPEND tests ${test})
endmacro()

# PARKIT_MPIEXEC_OVERSUBSCRIBE: the flag that lets MPIEXEC_EXECUTABLE start more ranks than cores.
# This tree's ParkitMpiLaunch.cmake sets it; an installed kit detects it here, once, the same way
# (`mpiexec --version` names Open MPI: OpenRTE up to 4.x, Open MPI from 5), and keeps it in the cache
# (-DPARKIT_MPIEXEC_OVERSUBSCRIBE=... overrides it for another launcher).
function(_parkit_kernel_mpiexec_oversubscribe)
  if(DEFINED PARKIT_MPIEXEC_OVERSUBSCRIBE)
    return()
  endif()
  set(flag "")
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE version ERROR_VARIABLE version
                  RESULT_VARIABLE rc TIMEOUT 60)
  if(version MATCHES "Open MPI|OpenRTE")
    set(flag --oversubscribe)
  endif()
  set(PARKIT_MPIEXEC_OVERSUBSCRIBE "${flag}" CACHE STRING
      "Flag that lets the MPI launcher start more ranks than cores")
endfunction()
