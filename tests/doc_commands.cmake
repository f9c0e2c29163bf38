# docs_commands (label doc_commands; release only: the docs name Open MPI's mpirun and build/release): the README's, docs/'s and slurm/README.md's shell blocks marked
# <!-- doc-test --> run as printed (tests/docs/run-doc-commands.py): each line from the source
# tree with ./build/release/ mapped to this build directory, OMP_NUM_THREADS=2, Open MPI's root
# variables, and a timeout; without the tests' oversubscription default, so that a doc's
# `mpirun -np 4` on a 2-core machine must say --oversubscribe. A failure names FILE:LINE: COMMAND.
# docs_commands_catches_failure: the same run with a planted failing command must fail, naming it.
find_program(PARKIT_DOC_PYTHON3 python3)
if(NOT PARKIT_DOC_PYTHON3)
  add_test(NAME docs_commands COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: python3 not found")
  set_tests_properties(docs_commands PROPERTIES LABELS doc_commands SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  set(doc_cmd ${PARKIT_DOC_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/docs/run-doc-commands.py
      --source-dir ${PROJECT_SOURCE_DIR} --build-dir ${CMAKE_BINARY_DIR} --timeout 60
      ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/patterns.md
      ${PROJECT_SOURCE_DIR}/docs/lesson.md ${PROJECT_SOURCE_DIR}/slurm/README.md)
  add_test(NAME docs_commands COMMAND ${doc_cmd})
  set_tests_properties(docs_commands PROPERTIES LABELS doc_commands TIMEOUT 300 RUN_SERIAL TRUE
                       ENVIRONMENT "${PARKIT_MPI_ENV}")
  add_test(NAME docs_commands_catches_failure
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/e2e/expect 1 "FAIL: README.md:planted: mpirun -np 4 true [(]exit 1[)]$" --
                   ${doc_cmd} --plant "mpirun -np 4 true")
  set_tests_properties(docs_commands_catches_failure PROPERTIES LABELS doc_commands TIMEOUT 300 RUN_SERIAL TRUE
                       ENVIRONMENT "${PARKIT_MPI_ENV}")
endif()
