# Man pages and bash completion (cmake/ParkitDocs.cmake), label docs:
#   docs_man_<program>: `man -l` renders the page; the options it documents are the options the
#     program accepts (--describe), both ways; docs_man_parkit: the same for the front end;
#   docs_man_catches_*: the check fails on a page with a planted missing or extra option;
#   docs_completion: the script, sourced in bash, completes options, their values and parkit's words;
#   docs_installed: after cmake --install, `man sum_omp` finds the page and bash-completion's files
#     exist under every command's name.
if(NOT DEFINED PARKIT_COMPLETION_SCRIPT)
  message(FATAL_ERROR "tests/docs.cmake: include cmake/ParkitDocs.cmake before add_subdirectory(tests)")
endif()
set(docs_dir ${CMAKE_CURRENT_LIST_DIR}/docs)
set(docs_env "${PARKIT_MPI_ENV};${PARKIT_TEST_ENV}")
find_program(PARKIT_MAN_PROGRAM man)
find_program(PARKIT_PYTHON3 python3)

set(man_skip "")
if(PARKIT_MAN_SKIPPED)
  set(man_skip "${PARKIT_MAN_SKIPPED}")
elseif(NOT PARKIT_MAN_PROGRAM)
  set(man_skip "man not found (apt-get install man-db): the pages are made but cannot be read here")
elseif(NOT PARKIT_PYTHON3)
  set(man_skip "python3 not found: the check reads --describe's JSON with it")
endif()
if(man_skip)
  add_test(NAME docs_man_pages COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: ${man_skip}")
  set_tests_properties(docs_man_pages PROPERTIES LABELS docs SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  set(check ${PARKIT_PYTHON3} ${docs_dir}/check_man_page.py)
  foreach(prog IN LISTS PARKIT_PROGRAMS)
    add_test(NAME docs_man_${prog} COMMAND ${check} ${PARKIT_MAN_DIR}/${prog}.1 $<TARGET_FILE:${prog}>)
    set_tests_properties(docs_man_${prog} PROPERTIES LABELS docs TIMEOUT 120 ENVIRONMENT "${docs_env}")
  endforeach()
  if(TARGET sum_omp) # the check can fail: sum_omp's page without --source, and with a --bogus entry
    add_test(NAME docs_man_catches_missing_option
             COMMAND ${CMAKE_CURRENT_LIST_DIR}/e2e/expect 1 "^FAIL: sum_omp accepts --source, which sum_omp.1 does not document$" --
                     ${check} ${PARKIT_MAN_DIR}/sum_omp.1 $<TARGET_FILE:sum_omp> --plant-missing source)
    add_test(NAME docs_man_catches_option_not_accepted
             COMMAND ${CMAKE_CURRENT_LIST_DIR}/e2e/expect 1 "^FAIL: sum_omp.1 documents --bogus, which sum_omp does not accept$" --
                     ${check} ${PARKIT_MAN_DIR}/sum_omp.1 $<TARGET_FILE:sum_omp> --plant-extra bogus)
    set_tests_properties(docs_man_catches_missing_option docs_man_catches_option_not_accepted PROPERTIES
                         LABELS docs TIMEOUT 120)
  endif()
  if(PARKIT_FRONTEND)
    add_test(NAME docs_man_parkit COMMAND ${check} ${PARKIT_MAN_DIR}/parkit.1 ${PARKIT_FRONTEND} --frontend)
    set_tests_properties(docs_man_parkit PROPERTIES LABELS docs TIMEOUT 120 ENVIRONMENT "${docs_env}")
  endif()
endif()

# completion: in bash, with the build directory on PATH (the programs, and parkit)
set(frontend_arg "")
if(PARKIT_FRONTEND)
  set(frontend_arg ${PARKIT_FRONTEND})
endif()
string(REPLACE ";" " " kernel_words "${PARKIT_KERNELS}")
add_test(NAME docs_completion
         COMMAND bash ${docs_dir}/completion_test.sh ${PARKIT_COMPLETION_SCRIPT} ${CMAKE_BINARY_DIR} "${kernel_words}"
                 ${frontend_arg})
set_tests_properties(docs_completion PROPERTIES LABELS docs TIMEOUT 300 ENVIRONMENT "${docs_env}")

# installed: the pages where man looks, the completion under every command's name
set(installed_programs ${PARKIT_PROGRAMS})
if(PARKIT_FRONTEND)
  list(APPEND installed_programs parkit)
endif()
string(REPLACE ";" "," installed_programs "${installed_programs}")
add_test(NAME docs_installed
         COMMAND bash ${docs_dir}/installed_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/docs-install-test
                 ${CMAKE_INSTALL_MANDIR} ${CMAKE_INSTALL_DATADIR}/bash-completion/completions "${installed_programs}"
                 "${man_skip}")
set_tests_properties(docs_installed PROPERTIES LABELS docs TIMEOUT 300 SKIP_REGULAR_EXPRESSION "SKIPPED")
