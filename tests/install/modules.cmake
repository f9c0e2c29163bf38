# Environment modules (cmake/ParkitModules.cmake) under Lmod and under Environment Modules: the build is
# installed into a scratch prefix (the fixture), then modules-test.sh loads the kit there in clean shells
# and runs it, finds it, reads its man page, and unloads it. Label install, as install_out_of_tree.
set(_modules_launch "")
if(PARKIT_HAVE_MPI)
  parkit_mpiexec_prefix(_modules_launch 2)
endif()
set(_modules_prefix ${CMAKE_BINARY_DIR}/modules-test/prefix)
add_test(NAME install_modules_prefix
         COMMAND bash -c "rm -rf \"$1\" && \"$2\" --install \"$3\" --prefix \"$1\"" install_modules_prefix
                 ${_modules_prefix} ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR})
set_tests_properties(install_modules_prefix PROPERTIES LABELS install TIMEOUT 120
                     FIXTURES_SETUP parkit_modules_prefix)
add_test(NAME install_modules
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/modules-test.sh ${_modules_prefix} ${_modules_launch})
set_tests_properties(install_modules PROPERTIES LABELS install TIMEOUT 300 PROCESSORS 2
                     FIXTURES_REQUIRED parkit_modules_prefix
                     ENVIRONMENT "CC=${CMAKE_C_COMPILER};${PARKIT_MPI_ENV}")
