# The front end (`parkit`, frontend/parkit.in) on this tree's programs: list, run (and its launch
# line), report, new-kernel, and its usage errors. The installed one is tested by
# tests/install/frontend-installed.sh.
set(PARKIT_FRONT ${CMAKE_BINARY_DIR}/parkit)
set(front_env "PARKIT_MPIRUN=${MPIEXEC_EXECUTABLE};${PARKIT_MPI_ENV};${PARKIT_TEST_ENV}")
function(frontend_test name code regex)
  add_test(NAME frontend_${name} COMMAND ${EXPECT} ${code} "${regex}" ${ARGN})
  set(labels frontend)
  if("${ARGN}" MATCHES "-np|--model")
    list(APPEND labels mpi)
  endif()
  set_tests_properties(frontend_${name} PROPERTIES LABELS "${labels}" TIMEOUT 120 ENVIRONMENT "${front_env}")
endfunction()
foreach(k IN LISTS PARKIT_KERNELS)
  frontend_test(list_${k} 0 "\n  ${k} +omp/mpi/hybrid +[^\n]+" -- ${PARKIT_FRONT} list)
endforeach()
frontend_test(list_names 0 "^ep\nmandel\npi\nprimes\nsum$" -- ${PARKIT_FRONT} list --names)
frontend_test(list_patterns 0 "# pattern programs.*\n  counter_omp\n" -- ${PARKIT_FRONT} list)
frontend_test(run_omp 0 "result: 4999950000\nverification: PASS" -- ${PARKIT_FRONT} run sum -- --n 1e5 --repeat 1)
frontend_test(run_dry_run 0 "^OMP_NUM_THREADS=2 .*mandel_hybrid --n 1000$" --
              ${PARKIT_FRONT} run mandel --model hybrid -np 2 --threads 2 --dry-run -- --n 1000)
frontend_test(run_unknown_kernel 2 "parkit: error: unknown kernel 'nosuch' \\(parkit list: ep, mandel, pi, primes, sum\\)"
              --one-error -- ${PARKIT_FRONT} run nosuch)
frontend_test(run_np_with_omp 2 "-np is for --model mpi or hybrid" --one-error -- ${PARKIT_FRONT} run sum --model omp -np 2)
frontend_test(unknown_command 2 "parkit: error: argument COMMAND: invalid choice: 'bogus'" --one-error -- ${PARKIT_FRONT} bogus)
frontend_test(bench_unknown_tool 2 "unknown bench tool 'fastest'" --one-error -- ${PARKIT_FRONT} bench fastest)
frontend_test(bench_model_help 0 "usage: model" -- ${PARKIT_FRONT} bench model --help)
frontend_test(limits_help 0 "usage: parkit_limits" -- ${PARKIT_FRONT} limits --help)
# the program's exit code comes through: a usage error of the kernel program is its 2
frontend_test(run_passes_exit_code 2 "sum_omp: error: --n 'x': not a number" -- ${PARKIT_FRONT} run sum -- --n x)
if(PARKIT_HAVE_MPI)
  frontend_test(run_mpi_np2 0 "ranks: 2.*verification: PASS" -- ${PARKIT_FRONT} run sum --model mpi -np 2 -- --n 1e6 --repeat 1)
endif()
set(nk ${CMAKE_CURRENT_BINARY_DIR}/frontend-new-kernel)
frontend_test(new_kernel 0 "cubes.c and .*CMakeLists.txt; next:.*\n--- cubes.c: .*pk_kernel_cubes = \\{\n +.name = \"cubes\"" --
              sh -c "rm -rf '${nk}' && '${PARKIT_FRONT}' new-kernel cubes '${nk}' && printf -- '--- cubes.c: ' && grep -A1 'pk_kernel_cubes =' '${nk}/cubes.c' && ! grep -q squares '${nk}/cubes.c' '${nk}/CMakeLists.txt'")
frontend_test(new_kernel_exists 2 "exists: choose a new directory" --one-error --
              ${PARKIT_FRONT} new-kernel cubes ${CMAKE_CURRENT_SOURCE_DIR})
frontend_test(new_kernel_bad_name 2 "kernel name 'Cubes-1'" --one-error -- ${PARKIT_FRONT} new-kernel Cubes-1)
frontend_test(report 0 "PASS: parkit report tabulates saved reports" --
              ${CMAKE_CURRENT_LIST_DIR}/frontend_report.sh ${PARKIT_FRONT} $<TARGET_FILE:sum_omp>
              ${CMAKE_CURRENT_BINARY_DIR}/frontend-report)
