# create_cost (included from tests/CMakeLists.txt; labelled patterns): its table has every row, each measured
# (or, for MPI_Comm_spawn, reported unsupported), in text and JSON; a launcher that never returns is
# given up after --timeout (exit 1, never a hang); bad input is one error line and exit 2.
# No timing is asserted: only that each row has numbers and the verdict.
set(cc $<TARGET_FILE:create_cost>)
function(create_cost_test name)
  parkit_command_test(patterns_${name} patterns ${ARGN})
endfunction()
set(num "[0-9]+[.][0-9]+")
set(measured "[0-9]+ +${num} +${num} +${num} +${num} +ok")
set(rows "\n") # after the header line; each row ends with its newline
foreach(key omp_first_region thread omp_later_region fork spawn_true spawn_nop)
  string(APPEND rows " +[^\n]+ +${key} +${measured}\n")
endforeach()
if(PARKIT_HAVE_MPI)
  foreach(key mpiexec_np1 mpiexec_np2)
    string(APPEND rows " +[^\n]+ +${key} +${measured}\n")
  endforeach()
  string(APPEND rows " +[^\n]+ +comm_spawn +(${measured}|unsupported)")
else()
  foreach(key mpiexec_np1 mpiexec_np2 comm_spawn)
    string(APPEND rows " +[^\n]+ +${key} +no-MPI\n?")
  endforeach()
endif()
create_cost_test(create_cost_every_row ${EXPECT} 0 "# verification: PASS\n.*Status${rows}" --absent "FAILED" --
                    env OMP_NUM_THREADS=2 ${cc} --repeat 3 --warmup 1 --launch-repeat 1 --timeout 30)
set(keys "")
foreach(key omp_first_region thread omp_later_region fork spawn_true spawn_nop mpiexec_np1 mpiexec_np2 comm_spawn)
  string(APPEND keys ".*\"key\": \"${key}\", \"repeats\": ")
endforeach()
create_cost_test(create_cost_json ${EXPECT} 0 "^\\{\"program\": \"create_cost\".*\"verification\": \"PASS\".*\"rows\": ${keys}"
                    -- env OMP_NUM_THREADS=2 ${cc} --repeat 2 --warmup 0 --launch-repeat 1 --json)
if(PARKIT_HAVE_MPI)
  # a launcher that never returns: each MPI row gives up after 1 s; the run fails (exit 1), bounded
  create_cost_test(create_cost_hanging_launcher ${EXPECT} 1
                      "mpiexec_np1_why: failed: .*no answer within 1 s.*comm_spawn_why: not supported here: .*no answer within 1 s"
                      -- ${cc} --repeat 2 --warmup 0 --timeout 1 --mpiexec ${CMAKE_CURRENT_LIST_DIR}/hang_launcher.sh)
endif()
create_cost_test(create_cost_zero_repeat ${EXPECT} 2 "--repeat '0': out of range" --one-error -- ${cc} --repeat 0)
create_cost_test(create_cost_bad_launch_repeat ${EXPECT} 2 "--launch-repeat '0': out of range" --one-error --
                    ${cc} --launch-repeat 0)
create_cost_test(create_cost_bad_timeout ${EXPECT} 2 "--timeout 'x': not a number" --one-error -- ${cc} --timeout x)
create_cost_test(create_cost_unknown_option ${EXPECT} 2 "unknown option '--bogus'" --one-error -- ${cc} --bogus)
