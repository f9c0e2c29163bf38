# End-to-end: the real programs, good and bad input, exit codes and output checked by `expect`.
set(EXPECT ${CMAKE_CURRENT_LIST_DIR}/expect)
set(PARKIT_E2E_ENV "OMP_NUM_THREADS=2;${PARKIT_MPI_ENV};${PARKIT_TEST_ENV}")

# parkit_command_test(NAME LABEL COMMAND...): a command-line test labelled LABEL (+ mpi when it
# launches mpiexec), with the test environment (2 threads, Open MPI as root, sanitizer options).
function(parkit_command_test name label)
  add_test(NAME ${name} COMMAND ${ARGN})
  set(labels ${label})
  if("${ARGN}" MATCHES "mpiexec|mpirun")
    list(APPEND labels mpi)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT 120 ENVIRONMENT "${PARKIT_E2E_ENV}")
endfunction()

# parkit_e2e(NAME CODE REGEX [--one-error] [--absent R] -- COMMAND...): checked by `expect`
function(parkit_e2e name)
  parkit_command_test(e2e_${name} e2e ${EXPECT} ${ARGN})
endfunction()

# A small, quick size per kernel for the generic checks (kernels not listed use their default n).
set(e2e_args_sum --n 1e8)
set(e2e_args_pi --n 1e7)
set(e2e_args_primes --n 1e7)
set(e2e_args_ep --class S)
set(e2e_args_mandel --n 1e5)

foreach(k IN LISTS PARKIT_KERNELS)
  set(args ${e2e_args_${k}} --repeat 2 --warmup 1)
  parkit_e2e(${k}_omp_pass 0 "verification: PASS" -- $<TARGET_FILE:${k}_omp> ${args})
  parkit_e2e(${k}_omp_json 0 "^\\{\"program\": \"${k}_omp\".*\"verification\": \"PASS\".*\\}$" --
             $<TARGET_FILE:${k}_omp> ${args} --json)
  parkit_e2e(${k}_omp_help 0 "usage: ${k}_omp \\[options\\]" -- $<TARGET_FILE:${k}_omp> --help)
  parkit_e2e(${k}_omp_unknown_flag 2 "unknown option '--bogus'" --one-error -- $<TARGET_FILE:${k}_omp> --bogus)
  parkit_e2e(${k}_omp_negative_n 2 "--n '-5': negative" --one-error -- $<TARGET_FILE:${k}_omp> --n -5)
  parkit_e2e(${k}_omp_zero_repeat 2 "--repeat '0': out of range" --one-error -- $<TARGET_FILE:${k}_omp> --repeat 0)
  if(PARKIT_HAVE_MPI)
    parkit_mpiexec_prefix(mpi3 3)
    parkit_mpiexec_prefix(mpi2 2)
    parkit_e2e(${k}_mpi_np3_pass 0 "ranks: 3" -- ${mpi3} $<TARGET_FILE:${k}_mpi> ${args})
    parkit_e2e(${k}_hybrid_np2_pass 0 "verification: PASS" -- ${mpi2} $<TARGET_FILE:${k}_hybrid> ${args})
    parkit_e2e(${k}_mpi_np3_bad_n 2 "--n 'x1': not a number" --one-error -- ${mpi3} $<TARGET_FILE:${k}_mpi> --n x1)
  endif()
endforeach()

# ---- the catalog's own references and refusals --------------------------------------------------
parkit_e2e(pi_omp_bound 0 "abs_error: .*error_bound: .*verification: PASS" -- $<TARGET_FILE:pi_omp> --n 1e6)
parkit_e2e(pi_omp_zero_intervals 2 "--n 0|at least one interval" --one-error -- $<TARGET_FILE:pi_omp> --n 0)
parkit_e2e(primes_omp_1e9_published 0 "result: 50847534.*verification: PASS" -- $<TARGET_FILE:primes_omp> --n 1e9 --repeat 1)
parkit_e2e(primes_omp_odd_n_legendre 0 "result: 78499\nverification: PASS\nverification_detail: .*Legendre" --
           $<TARGET_FILE:primes_omp> --n 1000003 --repeat 1)
parkit_e2e(primes_omp_too_big 2 "--n" --one-error -- $<TARGET_FILE:primes_omp> --n 1e14)
parkit_e2e(ep_omp_class_s_npb 0 "class: S.*verification: PASS" -- $<TARGET_FILE:ep_omp> --class S --repeat 1)
parkit_e2e(ep_omp_bad_class 2 "--class 'Z'" --one-error -- $<TARGET_FILE:ep_omp> --class Z)
parkit_e2e(ep_omp_class_and_other_n 2 ": error: " --one-error -- $<TARGET_FILE:ep_omp> --class A --n 5)
parkit_e2e(mandel_omp_zero_iters 2 "--iters '0'" --one-error -- $<TARGET_FILE:mandel_omp> --iters 0)
parkit_e2e(mandel_omp_image 0 "image: .*verification: PASS" --
           $<TARGET_FILE:mandel_omp> --n 1e4 --repeat 1 --image ${CMAKE_CURRENT_BINARY_DIR}/mandel-e2e.png)
parkit_e2e(mandel_omp_bad_image_path 2 "cannot write" --one-error --absent "verification" --
           $<TARGET_FILE:mandel_omp> --n 1e4 --repeat 1 --image /nonexistent-dir/m.png)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(ep_mpi_bad_class 2 "--class 'Z'" --one-error -- ${mpi2} $<TARGET_FILE:ep_mpi> --class Z)
  # Hybrid ranks with different thread counts (as a rankfile giving them different CPUs does):
  # with --progress or --checkpoint the run goes in epochs, which every rank must cut alike (they
  # once did not: a wrong sum, FAIL). MPMD launch: rank 0 on 1 thread, rank 1 on 2.
  parkit_mpiexec_prefix(mpi1_unbound 1 NO_BIND)
  set(ckpt ${CMAKE_CURRENT_BINARY_DIR}/uneven-threads.ckpt)
  foreach(how progress checkpoint)
    set(opt --progress)
    if(how STREQUAL "checkpoint") # a fresh file each time (sh removes it), written every second
      set(opt --checkpoint ${ckpt} --checkpoint-every 1 --repeat 2)
    endif()
    parkit_e2e(sum_hybrid_uneven_threads_${how} 0
               "rank_threads_min: 1\nrank_threads_max: 2\n(.*\n)*result: 499999999500000000\nverification: PASS" --
               sh -c "rm -f '${ckpt}' && exec \"$@\"" sh
               ${mpi1_unbound} env OMP_NUM_THREADS=1 $<TARGET_FILE:sum_hybrid> --n 1e9 ${opt}
               : ${MPIEXEC_NUMPROC_FLAG} 1 env OMP_NUM_THREADS=2 $<TARGET_FILE:sum_hybrid> --n 1e9 ${opt})
  endforeach()
endif()

# ---- sum: the exact values the issue names, its sources, every rejected form ------------------
parkit_e2e(sum_omp_1e10_exact 0 "result: 49999999995000000000" --absent "FAIL" --
           $<TARGET_FILE:sum_omp> --n 1e10 --repeat 1 --warmup 0)
parkit_e2e(sum_omp_zero 0 "result: 0\nverification: PASS" -- $<TARGET_FILE:sum_omp> --n 0)
parkit_e2e(sum_omp_one 0 "result: 0\nverification: PASS" -- $<TARGET_FILE:sum_omp> --n 1)
parkit_e2e(sum_omp_array 0 "source: array.*bytes_per_s" -- $<TARGET_FILE:sum_omp> --source array --n 1e7)
parkit_e2e(sum_omp_version 0 "^sum_omp \\(parkit\\) [0-9]+\\.[0-9]+\\.[0-9]+$" -- $<TARGET_FILE:sum_omp> --version)
parkit_e2e(sum_omp_reports_threads 0 "threads_requested: 3\nthreads: 3" --
           env OMP_NUM_THREADS=3 $<TARGET_FILE:sum_omp> --n 1e6)
parkit_e2e(sum_omp_reports_schedule 0 "omp_schedule: guided,7\nschedule: guided,7" --
           env OMP_SCHEDULE=guided,7 $<TARGET_FILE:sum_omp> --n 1e6)
# (an empty value is --n= : CMake drops empty arguments)
parkit_e2e(sum_omp_bad_n_empty 2 "--n '': empty value" --one-error -- $<TARGET_FILE:sum_omp> --n=)
foreach(bad "abc" "1.5" "1e30" "18446744073709551616" "2^64" "10Q" "0x10" "-0")
  string(MAKE_C_IDENTIFIER "n_${bad}" id)
  parkit_e2e(sum_omp_bad_${id} 2 "--n '.*'" --one-error -- $<TARGET_FILE:sum_omp> --n "${bad}")
endforeach()
parkit_e2e(sum_omp_missing_value 2 "--n needs a value" --one-error -- $<TARGET_FILE:sum_omp> --n)
parkit_e2e(sum_omp_positional 2 "unexpected argument 'extra'" --one-error -- $<TARGET_FILE:sum_omp> extra)
parkit_e2e(sum_omp_bad_source 2 "--source 'disk': expected range or array" --one-error --
           $<TARGET_FILE:sum_omp> --source disk)
parkit_e2e(sum_omp_array_too_big 2 "too large for --source array" --one-error --
           $<TARGET_FILE:sum_omp> --source array --n 2^41)
foreach(envbad "OMP_NUM_THREADS=0" "OMP_NUM_THREADS=-2" "OMP_NUM_THREADS=abc" "OMP_SCHEDULE=bogus"
               "OMP_SCHEDULE=dynamic,0" "OMP_PROC_BIND=sideways" "OMP_PLACES=cpus" "OMP_DYNAMIC=maybe"
               "OMP_WAIT_POLICY=lazy")
  string(MAKE_C_IDENTIFIER "${envbad}" id)
  string(REGEX REPLACE "=.*" "" var "${envbad}")
  parkit_e2e(sum_omp_env_${id} 2 "${var}=.*is not valid" --one-error --absent "libgomp" --
             env ${envbad} $<TARGET_FILE:sum_omp>)
endforeach()

if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi4 4)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(sum_mpi_np4_1e10 0 "ranks: 4.*result: 49999999995000000000\nverification: PASS" --
             ${mpi4} $<TARGET_FILE:sum_mpi> --n 1e10 --repeat 1 --warmup 0)
  parkit_e2e(sum_mpi_more_ranks_than_items 0 "n: 3.*result: 3\nverification: PASS" --
             ${mpi4} $<TARGET_FILE:sum_mpi> --n 3)
  parkit_e2e(sum_mpi_np2_array 0 "source: array.*verification: PASS" --
             ${mpi2} $<TARGET_FILE:sum_mpi> --source array --n 5e6)
  parkit_e2e(sum_mpi_np4_unknown_flag 2 "unknown option" --one-error -- ${mpi4} $<TARGET_FILE:sum_mpi> --nn 5)
  parkit_mpiexec_prefix(mpi2_unbound 2 NO_BIND)
  parkit_e2e(sum_hybrid_warns_oversubscribed 0 "exceed its [0-9]+ cores.*verification: PASS" --
             env OMP_NUM_THREADS=2 ${mpi2_unbound} $<TARGET_FILE:sum_hybrid> --n 1e7)
  parkit_e2e(sum_hybrid_bad_schedule 2 "OMP_SCHEDULE=.fast. is not valid" --one-error --absent "libgomp" --
             env OMP_SCHEDULE=fast ${mpi2} $<TARGET_FILE:sum_hybrid>)
  parkit_e2e(sum_mpi_only_rank0_prints 0 "verification: PASS" --absent "verification: PASS(.|\n)*verification: PASS" --
             ${mpi4} $<TARGET_FILE:sum_mpi> --n 1e6)
endif()

# ---- load balance: whole block totals over the timed runs, per rank and per thread -------------
string(CONCAT whole_blocks # whole numbers, not averages per run
       "rank_blocks_min: [0-9]+\nrank_blocks_median: [0-9]+\nrank_blocks_max: [0-9]+\n.*"
       "thread_blocks_min: [0-9]+\nthread_blocks_median: [0-9]+\nthread_blocks_max: [0-9]+\n.*"
       "thread_imbalance: [0-9]+\\.[0-9]+\n")
parkit_e2e(sum_omp_balance_fields 0 "${whole_blocks}" -- $<TARGET_FILE:sum_omp> --n 1e8 --repeat 3)
set(BALANCE ${CMAKE_CURRENT_LIST_DIR}/balance_totals.sh)
parkit_e2e(sum_omp_balance_totals 0 "PASS: balance totals" -- ${BALANCE} omp $<TARGET_FILE:sum_omp> --n 1e8 --repeat 3)
# --progress cuts each run in epochs: several backend calls per run, each counted once
parkit_e2e(sum_omp_balance_totals_epochs 0 "PASS: balance totals" --
           ${BALANCE} omp $<TARGET_FILE:sum_omp> --n 1e8 --repeat 3 --progress)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(sum_hybrid_balance_over_every_thread 0 "PASS: balance totals" --
             ${BALANCE} hybrid env OMP_SCHEDULE=static ${mpi2} $<TARGET_FILE:sum_hybrid> --n 1e8 --repeat 3
             --rank-schedule static)
  parkit_e2e(sum_mpi_balance_threads_are_ranks 0 "PASS: balance totals" --
             ${BALANCE} mpi ${mpi2} $<TARGET_FILE:sum_mpi> --n 1e8 --repeat 3)
endif()

# ---- the rank schedule: option, variable, default, refusals (every rank, one line, exit 2) -----
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_mpiexec_prefix(mpi3 3)
  set(mandel_small $<TARGET_FILE:mandel_mpi> --n 1e5 --repeat 2)
  parkit_e2e(mandel_mpi_rank_schedule_option 0
             "rank_schedule: dynamic,4\nrank_schedule_from: option.*verification: PASS.*rank_imbalance: [0-9]" --
             ${mpi3} ${mandel_small} --rank-schedule dynamic,4)
  parkit_e2e(mandel_mpi_rank_schedule_env 0 "rank_schedule: static,2\nrank_schedule_from: environment" --
             env PARKIT_RANK_SCHEDULE=static,2 ${mpi2} ${mandel_small})
  parkit_e2e(mandel_mpi_rank_schedule_option_wins 0 "rank_schedule: guided,3\nrank_schedule_from: option" --
             env PARKIT_RANK_SCHEDULE=static ${mpi2} ${mandel_small} --rank-schedule guided,3)
  parkit_e2e(mandel_mpi_rank_schedule_default 0 "rank_schedule: guided\nrank_schedule_from: default" --
             ${mpi2} ${mandel_small})
  parkit_e2e(mandel_mpi_rank_schedule_json 0 "\"rank_schedule\": \"dynamic\".*\"rank_blocks_max\": [0-9]" --
             ${mpi2} ${mandel_small} --rank-schedule dynamic --json)
  parkit_e2e(mandel_hybrid_rank_schedule_2x2 0 "ranks: 2\nopenmp_runtime: [^\n]+\nthreads_requested: 2.*rank_schedule: dynamic,8.*PASS" --
             env OMP_NUM_THREADS=2 OMP_SCHEDULE=dynamic,1 ${mpi2} $<TARGET_FILE:mandel_hybrid>
             --n 1e5 --repeat 2 --rank-schedule dynamic,8)
  foreach(bad "sideways" "dynamic,0" "guided,-1" "static,x" "dynamic,")
    string(MAKE_C_IDENTIFIER "${bad}" id)
    parkit_e2e(pi_mpi_rank_schedule_bad_${id} 2 "--rank-schedule '${bad}' is not valid: expected static" --one-error --
               ${mpi3} $<TARGET_FILE:pi_mpi> --rank-schedule ${bad})
  endforeach()
  parkit_e2e(pi_hybrid_rank_schedule_bad_env 2 "PARKIT_RANK_SCHEDULE '1,dynamic' is not valid" --one-error --
             env PARKIT_RANK_SCHEDULE=1,dynamic ${mpi2} $<TARGET_FILE:pi_hybrid>)
  parkit_e2e(sum_mpi_array_refuses_dynamic 2 "only the plain static rank schedule can run it" --one-error --
             ${mpi2} $<TARGET_FILE:sum_mpi> --source array --n 1e6 --rank-schedule dynamic)
  parkit_e2e(sum_mpi_array_defaults_to_static 0 "rank_schedule: static\nrank_schedule_from: default.*PASS" --
             ${mpi2} $<TARGET_FILE:sum_mpi> --source array --n 1e6)
endif()
# libgomp and libomp default to different schedules; the kit sets one for both (omp_env.c)
parkit_e2e(sum_omp_same_default_schedule_on_every_runtime 0
           "omp_schedule: [(]unset: parkit's default dynamic,1[^\n]*\nschedule: dynamic,1\n.*verification: PASS" --
           env -u OMP_SCHEDULE $<TARGET_FILE:sum_omp> --n 1e6 --repeat 1)
parkit_e2e(sum_omp_has_no_rank_schedule 2 "unknown option '--rank-schedule'" --one-error --
           $<TARGET_FILE:sum_omp> --rank-schedule dynamic)

# ---- a binary built for instructions this CPU lacks: one line, exit 2, never SIGILL ------------
add_executable(cpu_check_fixture ${CMAKE_CURRENT_LIST_DIR}/cpu_check_fixture.c ${PROJECT_SOURCE_DIR}/common/src/cpu_check.c)
target_compile_definitions(cpu_check_fixture PRIVATE PK_CPU_CHECK_TESTING)
target_include_directories(cpu_check_fixture PRIVATE ${PROJECT_SOURCE_DIR}/common/include
                           ${PROJECT_BINARY_DIR}/common/generated)
set_target_properties(cpu_check_fixture PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/fixtures)
parkit_e2e(cpu_check_passes_on_this_cpu 0 "main ran" -- $<TARGET_FILE:cpu_check_fixture>)
if(PARKIT_ARCH_NEEDS)
  string(REPLACE " " ";" _needs "${PARKIT_ARCH_NEEDS}")
  list(GET _needs -1 _lacks) # the newest instruction set the build assumes
  parkit_e2e(cpu_check_names_the_missing_instructions 2
             "error: this CPU lacks ${_lacks}, which the program was built for.*cmake --preset portable" --one-error
             --absent "main ran" -- env PARKIT_TEST_CPU_LACKS=${_lacks} $<TARGET_FILE:cpu_check_fixture>)
else()
  add_test(NAME e2e_cpu_check_names_the_missing_instructions
           COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: PARKIT_ARCH=${PARKIT_ARCH} assumes no instruction set to check")
  set_tests_properties(e2e_cpu_check_names_the_missing_instructions PROPERTIES LABELS e2e SKIP_REGULAR_EXPRESSION SKIPPED)
endif()

# ---- a verification that fails: exit 1, on threads and under mpiexec --------------------------
# (test fixtures live in tests/fixtures/, out of sight of the bench scripts' kernel discovery)
set(fixture_dir ${CMAKE_BINARY_DIR}/tests/fixtures)
# a kernel from outside the catalog, built the way a user's kernel is (parkit_add_kernel)
parkit_add_kernel(wrongsum SOURCES ${CMAKE_CURRENT_LIST_DIR}/wrong_sum_kernel.c)
set_target_properties(${wrongsum_PROGRAMS} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${fixture_dir})
parkit_e2e(wrongsum_omp_fails 1 "result: 499999500001\nverification: FAIL\nverification_detail: got 499999500001, n\\(n-1\\)/2 = " --
           $<TARGET_FILE:wrongsum_omp> --repeat 1)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi3 3)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(wrongsum_mpi_np3_fails 1 "ranks: 3.*verification: FAIL" --absent "verification: PASS" --
             ${mpi3} $<TARGET_FILE:wrongsum_mpi> --repeat 1 --rank-schedule dynamic)
  parkit_e2e(wrongsum_hybrid_np2_fails 1 "ranks: 2.*verification: FAIL" --
             ${mpi2} $<TARGET_FILE:wrongsum_hybrid> --repeat 1)
endif()

# ---- --describe: the program as JSON, for tools (valid JSON, every option with its kind) ---------
parkit_e2e(sum_omp_describe 0 "^describe: sum omp 5255225 .*'n:size', 'repeat:size'.*'describe:flag'.*'source:value'" --
           ${CMAKE_CURRENT_LIST_DIR}/describe_check.py $<TARGET_FILE:sum_omp>)
if(PARKIT_HAVE_MPI)
  parkit_e2e(mandel_mpi_describe_np2 0 "^\\{\"program\": \"mandel_mpi\", \"kernel\": \"mandel\", \"model\": \"mpi\".*\"name\": \"rank-schedule\"[^\n]*\\}$" --
             ${mpi2} $<TARGET_FILE:mandel_mpi> --describe)
endif()

# ---- kernels that break the contract: one line naming the field, exit 5, before any work -------
# (the sound one beside them passes: each flaw is the only difference)
foreach(kernel sound nopartial noverify nosize zeroblock optclash misnamed)
  parkit_add_kernel(${kernel} SOURCES ${CMAKE_CURRENT_LIST_DIR}/broken_kernels.c)
  set_target_properties(${${kernel}_PROGRAMS} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${fixture_dir})
endforeach()
parkit_e2e(kernel_sound_passes 0 "result: 1000\nverification: PASS" -- $<TARGET_FILE:sound_omp> --repeat 1)
parkit_e2e(kernel_nopartial 5 "kernel 'nopartial': .partial is missing" --one-error --absent "verification" --
           $<TARGET_FILE:nopartial_omp>)
parkit_e2e(kernel_noverify 5 "kernel 'noverify': .verify is missing" --one-error --absent "verification" --
           $<TARGET_FILE:noverify_omp>)
parkit_e2e(kernel_nosize 5 "kernel 'nosize': .result_size is 0" --one-error --absent "verification" --
           $<TARGET_FILE:nosize_omp>)
parkit_e2e(kernel_zeroblock 5 "kernel 'zeroblock': .block is 0" --one-error --absent "verification" --
           $<TARGET_FILE:zeroblock_omp> --repeat 1)
parkit_e2e(kernel_optclash 5 "kernel 'optclash': option --n is already an option of the kit" --one-error
           --absent "verification" -- $<TARGET_FILE:optclash_omp> --n 10)
parkit_e2e(kernel_misnamed 5 "kernel 'sound': .name does not match the program it was built as \\(parkit_add_kernel\\(misnamed\\)\\)"
           --one-error --absent "verification" -- $<TARGET_FILE:misnamed_omp>)
# --help of a broken kernel is refused too: the kernel is checked before anything else
parkit_e2e(kernel_nopartial_help 5 ".partial is missing" --one-error -- $<TARGET_FILE:nopartial_omp> --help)
parkit_e2e(kernel_nopartial_describe 5 ".partial is missing" --one-error -- $<TARGET_FILE:nopartial_omp> --describe)
if(PARKIT_HAVE_MPI)
  parkit_e2e(kernel_nopartial_mpi_np3 5 "kernel 'nopartial': .partial is missing" --one-error --absent "verification" --
             ${mpi3} $<TARGET_FILE:nopartial_mpi>)
  parkit_e2e(kernel_zeroblock_hybrid_np2 5 "kernel 'zeroblock': .block is 0" --one-error --absent "verification" --
             ${mpi2} $<TARGET_FILE:zeroblock_hybrid>)
endif()

# ---- the third outcome: no reference for this n is UNVERIFIED, exit 4, never a PASS ------------
parkit_add_kernel(bits SOURCES ${CMAKE_CURRENT_LIST_DIR}/noref_kernel.c)
set_target_properties(${bits_PROGRAMS} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${fixture_dir})
parkit_e2e(bits_checked_passes 0 "verification: PASS\nverification_detail: recounted bit by bit" --
           $<TARGET_FILE:bits_omp> --n 1e6 --repeat 1)
parkit_e2e(bits_unverified 4 "verification: UNVERIFIED\nverification_detail: no reference for n > 2\\^22" --absent "PASS" --
           $<TARGET_FILE:bits_omp> --n 1e7 --repeat 1)
parkit_e2e(bits_unverified_json 4 "\"verification\": \"UNVERIFIED\"" --absent "PASS" --
           $<TARGET_FILE:bits_omp> --n 1e7 --repeat 1 --json)
if(PARKIT_HAVE_MPI)
  parkit_e2e(bits_unverified_mpi_np3 4 "ranks: 3.*verification: UNVERIFIED" --absent "PASS" --
             ${mpi3} $<TARGET_FILE:bits_mpi> --n 1e7 --repeat 1)
  parkit_e2e(bits_unverified_hybrid_np2 4 "verification: UNVERIFIED" --absent "PASS" --
             ${mpi2} $<TARGET_FILE:bits_hybrid> --n 1e7 --repeat 1)
endif()

# ---- hostile input found by an outside audit: each stays one line and exit 2, before the work ---
parkit_e2e(sum_omp_newline_in_value 2 "--n '5\\\\nverification: PASS'" --one-error --absent "\nverification: PASS" --
           $<TARGET_FILE:sum_omp> --n "5\nverification: PASS")
parkit_e2e(sum_omp_escape_in_option 2 "unknown option '--x\\\\r'" --one-error --
           $<TARGET_FILE:sum_omp> "--x\r")
foreach(envbad "OMP_NUM_THREADS=100000" "OMP_NUM_THREADS=65536" "OMP_PLACES={}" "OMP_PLACES={0}:-1" "OMP_PLACES={,}"
               "OMP_PLACES={0-}" "OMP_PLACES={0}{1}" "OMP_PLACES={0:0}" "OMP_PLACES={99999}" "OMP_STACKSIZE=junk"
               "OMP_STACKSIZE=0" "OMP_MAX_ACTIVE_LEVELS=x" "OMP_NESTED=maybe" "OMP_DISPLAY_ENV=loud"
               "OMP_DEFAULT_DEVICE=-1" "GOMP_SPINCOUNT=lots")
  string(MAKE_C_IDENTIFIER "${envbad}" id)
  string(REGEX REPLACE "=.*" "" var "${envbad}")
  parkit_e2e(hostile_env_${id} 2 "${var}=.*is not valid" --one-error --absent "libgomp|verification" --
             env "${envbad}" $<TARGET_FILE:pi_omp> --n 1e6)
endforeach()
string(REPEAT "2," 150 long_list)
parkit_e2e(hostile_env_long_thread_list 2 "OMP_NUM_THREADS=.*is not valid" --one-error --absent "libgomp" --
           env "OMP_NUM_THREADS=${long_list}0" $<TARGET_FILE:pi_omp> --n 1e6)
parkit_e2e(hostile_env_good_places 0 "places: 2\n.*verification: PASS" --
           env "OMP_PLACES={0},{1}" $<TARGET_FILE:pi_omp> --n 1e6)
foreach(path /proc/parkit-x.png /dev/full ${CMAKE_CURRENT_BINARY_DIR} /nonexistent-dir/m.png)
  string(MAKE_C_IDENTIFIER "${path}" id)
  parkit_e2e(mandel_omp_image_unwritable${id} 2 "cannot write '${path}'" --one-error --absent "verification" --
             $<TARGET_FILE:mandel_omp> --n 1e4 --repeat 1 --image ${path})
endforeach()
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  # the oversubscription warning comes only once the arguments are known to be valid
  parkit_e2e(sum_hybrid_usage_error_alone 2 "unknown option '--bogus'" --one-error --absent "warning" --
             env OMP_NUM_THREADS=2 ${mpi2} $<TARGET_FILE:sum_hybrid> --bogus)
  parkit_e2e(mandel_mpi_image_unwritable 2 "cannot write '/dev/full'" --one-error --absent "verification" --
             ${mpi2} $<TARGET_FILE:mandel_mpi> --n 1e4 --image /dev/full)
endif()
if(TARGET parkit_limits)
  parkit_e2e(limits_bad_omp_env 2 "OMP_SCHEDULE='bogus' is not valid" --one-error --absent "libgomp" --
             env OMP_SCHEDULE=bogus $<TARGET_FILE:parkit_limits> --quick --out ${CMAKE_CURRENT_BINARY_DIR}/limits-x.json)
endif()

# ---- long runs: progress, checkpoint, signals, resume ---------------------------------------------
set(IRS ${CMAKE_CURRENT_LIST_DIR}/interrupt_resume.sh)
set(ck ${CMAKE_CURRENT_BINARY_DIR}/e2e-ckpt)
# sum of 0..1e11-1, exact: the uninterrupted result every resumed run must print
set(sum_1e11 4999999999950000000000)
foreach(sig TERM INT USR1)
  parkit_command_test(e2e_checkpoint_omp_sig${sig} e2e ${IRS} ${sig} ${sum_1e11} ${ck}-${sig}.txt --
                      env OMP_NUM_THREADS=1 $<TARGET_FILE:sum_omp> --n 1e11 --progress --checkpoint ${ck}-${sig}.txt --
                      env OMP_NUM_THREADS=2 OMP_SCHEDULE=guided $<TARGET_FILE:sum_omp> --n 1e11
                      --checkpoint ${ck}-${sig}.txt)
  set_tests_properties(e2e_checkpoint_omp_sig${sig} PROPERTIES PROCESSORS 2)
endforeach()
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_mpiexec_prefix(mpi3 3)
  # mpirun forwards USR1 to every rank as it is; the resume runs on 3 ranks with another schedule
  # (2e11: the signal must arrive well before the end; a launcher may forward it late under load)
  parkit_command_test(e2e_checkpoint_mpi_sigUSR1 e2e ${IRS} USR1 19999999999900000000000 ${ck}-mpi.txt --
                      ${mpi2} $<TARGET_FILE:sum_mpi> --n 2e11 --progress --checkpoint ${ck}-mpi.txt --
                      env OMP_NUM_THREADS=1 ${mpi3} $<TARGET_FILE:sum_hybrid> --n 2e11 --checkpoint ${ck}-mpi.txt
                      --rank-schedule dynamic,64)
  set_tests_properties(e2e_checkpoint_mpi_sigUSR1 PROPERTIES PROCESSORS 2)
  if(PARKIT_MPI_HYDRA) # see interrupt_resume.sh: hydra's exit code after a forwarded signal
    set_property(TEST e2e_checkpoint_mpi_sigUSR1 APPEND PROPERTY ENVIRONMENT PARKIT_LAUNCHER_MAY_DROP_EXIT_CODE=1)
  endif()
endif()
# progress goes to stderr only: stdout stays one JSON object
parkit_e2e(progress_stderr_only 0 "^\\{\"program\": \"pi_omp\".*\"verification\": \"PASS\".*\\}$" --
           sh -c "$<TARGET_FILE:pi_omp> --n 4e9 --repeat 1 --warmup 0 --progress --json 2>/dev/null")
parkit_e2e(progress_lines 0 "pi_omp: progress: run 1/2 \\(warm-up\\): .*% of [0-9]+ blocks.*ETA" --
           $<TARGET_FILE:pi_omp> --n 3e10 --repeat 1 --warmup 1 --progress)
# lines come about once a second over all runs: 2000 short repeats print a few, not 2000; a kernel
# without epochs (sum --source array) still prints its run's end
parkit_e2e(progress_paced_over_runs 0 "PASS: progress paced over many runs" --
           ${CMAKE_CURRENT_LIST_DIR}/progress_paced.sh $<TARGET_FILE:sum_omp>)
parkit_e2e(progress_without_epochs 0 "sum_omp: progress: run 2/2 \\(timed 1/1\\): 100.0% of" --
           $<TARGET_FILE:sum_omp> --source array --n 1e6 --repeat 1 --progress)
# a finished checkpoint just reports its result
parkit_e2e(checkpoint_finished_reports 0 "checkpoint_resume: finished run.*result: 4999950000\n.*PASS.*times_from: the earlier run" --absent "elements_per_s" --
           sh -c "rm -f ${ck}-done.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-done.txt >/dev/null && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-done.txt")
# bad checkpoints: one line, exit 2, before any work
parkit_e2e(checkpoint_other_n 2 "checkpoint '.*' is of n = 100000 \\(1 blocks of 1048576\\), not n = 200000" --one-error
           --absent "verification" --
           sh -c "rm -f ${ck}-n.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-n.txt >/dev/null && $<TARGET_FILE:sum_omp> --n 2e5 --checkpoint ${ck}-n.txt")
parkit_e2e(checkpoint_other_kernel 2 "is of kernel sum, not pi" --one-error --absent "verification" --
           sh -c "rm -f ${ck}-k.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-k.txt >/dev/null && $<TARGET_FILE:pi_omp> --n 1e5 --checkpoint ${ck}-k.txt")
parkit_e2e(checkpoint_corrupted 2 "corrupted: its checksum does not match" --one-error --absent "verification" --
           sh -c "rm -f ${ck}-c.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-c.txt >/dev/null && sed -i 's/^next_block 0/next_block 1/' ${ck}-c.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-c.txt")
parkit_e2e(checkpoint_truncated 2 "truncated" --one-error --absent "verification" --
           sh -c "rm -f ${ck}-t.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-t.txt >/dev/null && head -c 60 ${ck}-t.txt > ${ck}-t2.txt && $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint ${ck}-t2.txt")
parkit_e2e(checkpoint_unwritable 2 "--checkpoint: cannot write '/proc/parkit.ckpt'" --one-error --absent "verification" --
           $<TARGET_FILE:sum_omp> --n 1e5 --checkpoint /proc/parkit.ckpt)
parkit_e2e(checkpoint_directory 2 "it is a directory" --one-error -- $<TARGET_FILE:sum_omp> --checkpoint ${CMAKE_CURRENT_BINARY_DIR})
parkit_e2e(checkpoint_every_zero 2 "--checkpoint-every '0': out of range" --one-error --
           $<TARGET_FILE:sum_omp> --checkpoint ${ck}-z.txt --checkpoint-every 0)
parkit_e2e(checkpoint_array_refused 2 "--checkpoint: this kernel reads data each rank holds" --one-error --
           $<TARGET_FILE:sum_omp> --source array --checkpoint ${ck}-a.txt)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  list(JOIN mpi2 " " mpi2_text)
  parkit_e2e(checkpoint_mpi_corrupted 2 "truncated or not a checkpoint" --one-error --absent "verification" --
             sh -c "printf 'junk\\n' > ${ck}-mj.txt && ${mpi2_text} $<TARGET_FILE:pi_mpi> --checkpoint ${ck}-mj.txt")
endif()
# provenance in every kernel report
parkit_e2e(provenance_fields 0 "hosts: .+\ndate_utc: 20[0-9-]+T[0-9:]+Z\ncpu_model: .+\ncompiler: .+\nbuild_type: .+\nbuild_flags: .*-ffp-contract=off.*\ncommit: [0-9a-f]+|unknown" --
           $<TARGET_FILE:pi_omp> --n 1e6 --repeat 1)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(provenance_mpi 0 "openmp_runtime: \\(not used\\).*mpi_library: (Open MPI|MPICH).*hosts: [^\n]+" --
             ${mpi2} $<TARGET_FILE:pi_mpi> --n 1e6 --repeat 1)
endif()
# ... and in pattern reports
if(TARGET where_omp)
  parkit_e2e(provenance_pattern 0 "hosts: [^\n]+\n# date_utc: [^\n]+\n# cpu_model: .*commit: .*openmp_runtime: lib.*host_count: 1" --
             $<TARGET_FILE:where_omp>)
endif()

# ---- the OpenMP environment at its documented maxima and this machine's last CPU ------------------
parkit_command_test(e2e_omp_env_edges e2e ${CMAKE_CURRENT_LIST_DIR}/omp_env_edges.sh $<TARGET_FILE:sum_omp>)

# ---- slurm/collect-scaling: malformed outputs are one line and exit 2, never a traceback ---------
parkit_command_test(e2e_collect_scaling_malformed e2e ${CMAKE_CURRENT_LIST_DIR}/collect_scaling_malformed.sh
                    ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/collect-malformed)

# ---- the Slurm scripts: hostile SLURM_* values never reach bash arithmetic ---------------------
parkit_command_test(e2e_slurm_script_numbers e2e ${CMAKE_CURRENT_LIST_DIR}/slurm_script_numbers.sh
                    ${PROJECT_SOURCE_DIR}/slurm $<TARGET_FILE:sum_omp> ${CMAKE_CURRENT_BINARY_DIR}/slurm-numbers)

# ---- ranks that were not started alike: one line, exit 2 on every rank, nobody left waiting --------
# (MPMD launches: each app context of mpiexec gets its own command line or environment; a hang is a
# failure through expect's timeout)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi1 1)
  set(second ${MPIEXEC_NUMPROC_FLAG} 1)
  parkit_e2e(mpmd_different_repeat 2 "rank 1 has argument 2 '2' where rank 0 has argument 2 '1'" --one-error --
             ${mpi1} $<TARGET_FILE:sum_mpi> --repeat 1 : ${second} $<TARGET_FILE:sum_mpi> --repeat 2)
  parkit_e2e(mpmd_help_on_one_rank 2 "rank 1 has argument 1 '--help' where rank 0 has nothing" --one-error
             --absent "usage:" --
             ${mpi1} $<TARGET_FILE:sum_mpi> : ${second} $<TARGET_FILE:sum_mpi> --help)
  parkit_e2e(mpmd_usage_error_on_one_rank 2 "rank 1 has argument 2 'x1' where rank 0 has argument 2 '1e6'"
             --one-error -- ${mpi1} $<TARGET_FILE:sum_mpi> --n 1e6 : ${second} $<TARGET_FILE:sum_mpi> --n x1)
  parkit_e2e(mpmd_rank_schedule_env 2 "rank 1 has PARKIT_RANK_SCHEDULE unset where rank 0 has PARKIT_RANK_SCHEDULE 'static'"
             --one-error -- ${mpi1} env PARKIT_RANK_SCHEDULE=static $<TARGET_FILE:sum_mpi>
             : ${second} $<TARGET_FILE:sum_mpi>)
  parkit_e2e(mpmd_two_programs 2 "rank 1 has program 'pi_mpi' where rank 0 has program 'sum_mpi'" --one-error --
             ${mpi1} $<TARGET_FILE:sum_mpi> : ${second} $<TARGET_FILE:pi_mpi>)
  parkit_mpiexec_prefix(mpi1_unbound 1 NO_BIND)
  parkit_e2e(mpmd_bad_omp_env_on_one_rank 2 "rank 1: OMP_SCHEDULE='bogus' is not valid" --one-error --
             ${mpi1_unbound} $<TARGET_FILE:sum_hybrid> --n 1e6 : ${second} env OMP_SCHEDULE=bogus $<TARGET_FILE:sum_hybrid> --n 1e6)
endif()

parkit_e2e(sum_omp_checkpoint_every_alone 2 "--checkpoint-every needs --checkpoint FILE" --one-error --absent "result:" --
           $<TARGET_FILE:sum_omp> --n 1e6 --checkpoint-every 5)
parkit_command_test(e2e_checkpoint_one_run_per_file e2e ${CMAKE_CURRENT_LIST_DIR}/checkpoint_lock.sh
                    $<TARGET_FILE:sum_omp> ${CMAKE_CURRENT_BINARY_DIR}/checkpoint-lock)

# ---- a signal from the first instant: pending before main (a launcher forwarding an early scancel)
# is caught, not lost: a checkpointing run writes its state and exits 3 (under mpiexec too); a run
# with nothing to save ends as the signal's default action would end it
# PARKIT_LIMITS naming a FIFO once hung after the whole computation (the report reads it at the end):
# now one line and exit 2 before the work, under mpiexec too
parkit_e2e(limits_env_fifo 2 "PARKIT_LIMITS '.*limits-fifo': not a regular file" --one-error --absent "result:" --
           sh -c "rm -f '${ck}-limits-fifo' && mkfifo '${ck}-limits-fifo' && PARKIT_LIMITS='${ck}-limits-fifo' exec \"$1\" --n 1e6" sh
           $<TARGET_FILE:sum_omp>)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(limits_env_missing_mpi 2 "PARKIT_LIMITS '/nonexistent/limits.json': No such file" --one-error --
             env PARKIT_LIMITS=/nonexistent/limits.json ${mpi2} $<TARGET_FILE:sum_mpi> --n 1e6)
endif()

find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  # a checkpoint forged with a valid CRC: mandel's iterations near 2^64 (they are in no verification,
  # so it once resumed to a PASS) and a sum one off, both refused with exit 2 before any work
  set(FORGE ${CMAKE_CURRENT_LIST_DIR}/forge_checkpoint.py)
  parkit_e2e(checkpoint_forged_mandel_iterations 2 "cannot come from the first [0-9]+ elements \\(18446744073709551610 iterations"
             --one-error --absent "verification" --
             sh -c "rm -f '${ck}-forged-m' && \"$1\" --n 1e5 --checkpoint '${ck}-forged-m' >/dev/null && ${Python3_EXECUTABLE} ${FORGE} '${ck}-forged-m' 8 18446744073709551610 && exec \"$1\" --n 1e5 --checkpoint '${ck}-forged-m'" sh
             $<TARGET_FILE:mandel_omp>)
  parkit_e2e(checkpoint_forged_sum 2 "the sum of 0..100000-1 is not what it holds" --one-error --absent "verification" --
             sh -c "rm -f '${ck}-forged-s' && \"$1\" --n 1e5 --checkpoint '${ck}-forged-s' >/dev/null && ${Python3_EXECUTABLE} ${FORGE} '${ck}-forged-s' 0 4999950001 && exec \"$1\" --n 1e5 --checkpoint '${ck}-forged-s'" sh
             $<TARGET_FILE:sum_omp>)
endif()
if(NOT Python3_FOUND)
  message(WARNING "no Python 3: the signal-at-start tests are not defined")
  return()
endif()
set(SAS ${CMAKE_CURRENT_LIST_DIR}/signalled_at_start.py)
parkit_e2e(signal_at_start_checkpoint 3 "interrupted: SIGUSR1: checkpoint '.*sas-omp.ckpt' written" --
           sh -c "rm -f '${ck}-sas-omp.ckpt' && exec \"$@\"" sh
           ${Python3_EXECUTABLE} ${SAS} SIGUSR1 $<TARGET_FILE:sum_omp> --n 1e10 --checkpoint ${ck}-sas-omp.ckpt)
parkit_e2e(signal_at_start_no_checkpoint 138 "^$" --
           ${Python3_EXECUTABLE} ${SAS} SIGUSR1 $<TARGET_FILE:sum_omp> --n 1e8)
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(mpi2 2)
  parkit_e2e(signal_at_start_checkpoint_mpi 3 "interrupted: SIGUSR1: checkpoint '.*sas-mpi.ckpt' written" --
             sh -c "rm -f '${ck}-sas-mpi.ckpt' && exec \"$@\"" sh
             ${mpi2} ${Python3_EXECUTABLE} ${SAS} SIGUSR1 $<TARGET_FILE:sum_mpi> --n 1e10 --checkpoint ${ck}-sas-mpi.ckpt)
endif()
