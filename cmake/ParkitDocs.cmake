# Man pages and bash completion, made from the programs' own words, never from a list kept here.
#   man pages: help2man reads each kernel program's --help and --version (its NAME line is the
#     --describe summary), plus cmake/man/kernel-program.h2m (EXIT STATUS, ENVIRONMENT, SEE ALSO);
#     parkit.1 from `parkit --help` and each subcommand's --help. build/man/man1/*.1, part of
#     `all`, made after the programs; installed to share/man/man1 (`man sum_omp`).
#   bash completion: one script (cmake/completion/parkit.bash.in) that asks a program for its
#     options when completing (--describe, parkit --help, parkit list --names); installed under
#     each command's name in share/bash-completion/completions, where bash-completion looks.
# Install component docs (cmake --install --component docs: these files alone; a plain install and
# cpack take every component). Needs PARKIT_PROGRAMS (the kernel program targets): include it after
# they are made and before add_subdirectory(tests) (tests/docs.cmake reads the paths set here).
set(PARKIT_MAN_DIR ${PROJECT_BINARY_DIR}/man/man1)
set(PARKIT_COMPLETION_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
set(PARKIT_COMPLETION_SCRIPT ${PROJECT_BINARY_DIR}/completion/parkit)
# the front end as built here (frontend/CMakeLists.txt writes it from frontend/parkit.in)
if(NOT DEFINED PARKIT_FRONTEND AND EXISTS ${PROJECT_SOURCE_DIR}/frontend/parkit.in)
  set(PARKIT_FRONTEND ${PROJECT_BINARY_DIR}/parkit)
endif()

# ---- man pages -------------------------------------------------------------------------------
find_program(HELP2MAN_EXECUTABLE help2man DOC "help2man, which makes the man pages from --help")
find_program(PARKIT_PYTHON3 python3)
set(PARKIT_MAN_PAGES "")
set(PARKIT_MAN_SKIPPED "")
if(NOT HELP2MAN_EXECUTABLE)
  set(PARKIT_MAN_SKIPPED "help2man not found (apt-get install help2man): no man pages are made or installed")
elseif(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
  set(PARKIT_MAN_SKIPPED "cross-compiling without an emulator: the programs cannot be run for their --help")
endif()
if(PARKIT_MAN_SKIPPED)
  message(STATUS "parkit: ${PARKIT_MAN_SKIPPED}")
else()
  # a sanitizer build's MPI programs would report MPI's own allocations as leaks at exit
  set(man_env "")
  if(PARKIT_SANITIZE)
    set(man_env ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0)
  endif()
  set(make_page ${CMAKE_CURRENT_LIST_DIR}/man/make-man-page.cmake)
  set(kernel_h2m ${CMAKE_CURRENT_LIST_DIR}/man/kernel-program.h2m)
  foreach(prog IN LISTS PARKIT_PROGRAMS)
    set(page ${PARKIT_MAN_DIR}/${prog}.1)
    add_custom_command(OUTPUT ${page}
      COMMAND ${man_env} ${CMAKE_COMMAND} -DHELP2MAN=${HELP2MAN_EXECUTABLE} -DPROGRAM=$<TARGET_FILE:${prog}>
              -DOUTPUT=${page} -DINCLUDE=${kernel_h2m} -DKIND=kernel -P ${make_page}
      DEPENDS ${prog} ${kernel_h2m} ${make_page}
      COMMENT "Man page ${prog}.1" VERBATIM)
    list(APPEND PARKIT_MAN_PAGES ${page})
  endforeach()
  if(PARKIT_FRONTEND AND PARKIT_PYTHON3)
    set(page ${PARKIT_MAN_DIR}/parkit.1)
    set(frontend_h2m ${CMAKE_CURRENT_LIST_DIR}/man/parkit.h2m)
    set(frontend_sources ${PARKIT_FRONTEND})
    foreach(f frontend/parkit.in bench/lib/pkbench.py) # its help text, and the parser that prints it
      if(EXISTS ${PROJECT_SOURCE_DIR}/${f})
        list(APPEND frontend_sources ${PROJECT_SOURCE_DIR}/${f})
      endif()
    endforeach()
    add_custom_command(OUTPUT ${page}
      COMMAND ${CMAKE_COMMAND} -DHELP2MAN=${HELP2MAN_EXECUTABLE} -DPROGRAM=${PARKIT_FRONTEND}
              -DOUTPUT=${page} -DINCLUDE=${frontend_h2m} -DKIND=frontend -P ${make_page}
      DEPENDS ${frontend_sources} ${frontend_h2m} ${make_page}
      COMMENT "Man page parkit.1" VERBATIM)
    list(APPEND PARKIT_MAN_PAGES ${page})
  elseif(PARKIT_FRONTEND)
    message(STATUS "parkit: python3 not found: no parkit.1 (the front end's page is made from `parkit --help`)")
  endif()
  add_custom_target(parkit_man ALL DEPENDS ${PARKIT_MAN_PAGES})
  install(FILES ${PARKIT_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT docs)
endif()

# ---- bash completion -------------------------------------------------------------------------
# The script registers itself for parkit and for every kernel program built here; installed
# under each of those names, since bash-completion loads a command's file by the command's name.
string(REPLACE ";" " " PARKIT_COMPLETION_PROGRAMS "${PARKIT_PROGRAMS}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/completion/parkit.bash.in ${PARKIT_COMPLETION_SCRIPT} @ONLY)
foreach(name parkit ${PARKIT_PROGRAMS})
  install(FILES ${PARKIT_COMPLETION_SCRIPT} DESTINATION ${PARKIT_COMPLETION_INSTALL_DIR} RENAME ${name} COMPONENT docs)
endforeach()
