# CPACK_PRE_BUILD_SCRIPTS of the Debian packages (cmake/ParkitPackage.cmake): run by cpack on the
# staging directories, before the packages are made. Does what dh_compress does for a package
# built with debhelper: man pages gzip -9n compressed (Debian policy 12.1; lintian:
# uncompressed-manual-page). An install made with cmake --install keeps them as they are.
file(GLOB_RECURSE files LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*")
foreach(page IN LISTS files)
  file(RELATIVE_PATH rel "${CPACK_TEMPORARY_DIRECTORY}" "${page}") # <group>/usr/share/man/man1/x.1
  if(NOT rel MATCHES "^([^/]+/)?usr/share/man/" OR page MATCHES "\\.gz$" OR IS_SYMLINK "${page}")
    continue()
  endif()
  # -n: no name or time stamp in the header, so the same tree gives the same package
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "parkit: gzip -9nf ${page} failed (${rc})")
  endif()
endforeach()
