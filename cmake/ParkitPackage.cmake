# Debian packages: `cpack -G DEB` in a build directory (after cmake --build) writes
#   parkit_<version>-<release>_<arch>[-<cpu>].deb      the programs, the front end, the bench tools,
#       the Slurm scripts, docs, man pages, modulefiles: every install rule not in component dev
#   parkit-dev_<version>-<release>_<arch>[-<cpu>].deb  what a kernel of one's own is built with: headers,
#       static libraries, CMake package, parkit.pc, the kernel mains, the template (COMPONENT dev)
# Two packages because the development files need the MPI library's -dev package (libopenmpi-dev
# brings gfortran, libibverbs-dev, libpmix-dev, ...), cmake and pkg-config, none of which a node
# that only runs `mpirun -np 4 sum_mpi` wants. As long as no install rule names COMPONENT dev,
# there is one package, parkit, with both sets of dependencies.
#
# Depends. parkit: what dpkg-shlibdeps (package dpkg-dev) finds the programs link (libc6,
#   libopenmpi3 or libmpich12, libhwloc15, zlib1g; gcc's libgomp is linked statically), python3
#   (the front end, the bench tools) and the package of the MPI launcher the kit was built with. parkit-dev: parkit of the same version,
#   cmake, pkg-config, and the -dev packages that own the headers and libraries the exported targets
#   name (zlib.h, hwloc.h, mpi.h, the OpenMP runtime library), asked from dpkg-query: Open MPI
#   gives libopenmpi-dev, MPICH libmpich-dev, an MPI of one's own in /opt no dependency.
# CPU. The file name and the description say what the programs need (PARKIT_ARCH,
#   cmake/ParkitArch.cmake). Built with none, x86-64 or x86-64-v2 (the `portable` preset) the
#   file has the plain Debian name; any other level is added to the name and the description
#   says where the package runs: `release` (-march=native) gives parkit_..._amd64-native.deb,
#   "built for the CPU it was built on: run it only there", and cpack warns. A package to hand
#   out: cmake --preset portable && cmake --build build/portable && (cd build/portable && cpack -G DEB).
# Maintainer: PARKIT_PACKAGE_MAINTAINER, "Name <address>" of whoever hands the package out. Its
#   default is a placeholder in the .invalid domain (RFC 2606: never an address), which cpack
#   names in a warning rather than inventing an address nobody reads.
# Copyright: a DEP-5 file (cmake/package/debian-copyright.in) in share/doc/parkit; the changelog
#   (changelog.Debian.gz) and the lintian overrides go into the packages only.
#
# Included from ParkitInstall.cmake; the packages are set up at the end of the top directory
# (deferred), when every install rule and component exists. A component other than dev goes
# into parkit.
if(NOT PARKIT_PACKAGE_DEFERRED)
  set(PARKIT_PACKAGE_DEFERRED TRUE)
  cmake_language(EVAL CODE "cmake_language(DEFER CALL include [[${CMAKE_CURRENT_LIST_FILE}]])")
  return()
endif()

set(PARKIT_PACKAGE_MAINTAINER "parkit developers <parkit@packages.invalid>" CACHE STRING
    "Maintainer of the Debian packages (cpack -G DEB): \"Name <address>\" of whoever hands them out")
set(PARKIT_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the packages: <version>-<release>")
set(_pk_placeholder_maintainer "parkit developers <parkit@packages.invalid>")
set(_pk_version "${PROJECT_VERSION}-${PARKIT_PACKAGE_RELEASE}")
set(_pk_dir ${PROJECT_BINARY_DIR}/package/deb)

# ---- which packages: dev is a package when install rules name COMPONENT dev --------------------
get_cmake_property(_pk_components COMPONENTS)
set(_pk_split OFF)
if("dev" IN_LIST _pk_components)
  set(_pk_split ON)
endif()

# ---- dependencies ---------------------------------------------------------------------------
find_program(PARKIT_DPKG_QUERY dpkg-query)
mark_as_advanced(PARKIT_DPKG_QUERY)
# _pk_owner(OUT FALLBACK FILE...): the Debian package that owns the first FILE that exists (as
# named, else its real path: /usr/bin/mpiexec is an alternatives link); FALLBACK where dpkg-query
# is missing (not a Debian system); nothing where no package owns it (built in /opt, say).
function(_pk_owner out fallback)
  set(owner "")
  foreach(path IN LISTS ARGN)
    if(NOT path OR NOT EXISTS "${path}")
      continue()
    endif()
    if(NOT PARKIT_DPKG_QUERY)
      set(owner "${fallback}")
      break()
    endif()
    file(REAL_PATH "${path}" real)
    foreach(p IN ITEMS "${path}" "${real}")
      execute_process(COMMAND ${PARKIT_DPKG_QUERY} -S "${p}" OUTPUT_VARIABLE text ERROR_QUIET RESULT_VARIABLE rc)
      # "libopenmpi-dev:amd64: /usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h"
      if(rc EQUAL 0 AND text MATCHES "^([a-z0-9][a-z0-9+.-]+)(:[a-z0-9-]+)?[:,]")
        set(owner "${CMAKE_MATCH_1}")
        break()
      endif()
    endforeach()
    if(NOT owner)
      message(STATUS "parkit: ${path} belongs to no Debian package: the packages do not depend on it")
    endif()
    break()
  endforeach()
  set(${out} "${owner}" PARENT_SCOPE)
endfunction()

set(_pk_runtime_depends python3)
set(_pk_dev_depends cmake pkg-config)
_pk_owner(_zlib_dev zlib1g-dev ${ZLIB_INCLUDE_DIR}/zlib.h /usr/include/zlib.h)
list(APPEND _pk_dev_depends ${_zlib_dev})
if(PARKIT_HAVE_HWLOC)
  _pk_owner(_hwloc_dev libhwloc-dev ${HWLOC_INCLUDEDIR}/hwloc.h /usr/include/hwloc.h)
  list(APPEND _pk_dev_depends ${_hwloc_dev})
endif()
if(PARKIT_HAVE_MPI)
  # without dpkg-query: the MPI's name, from the library's own words or its files' names
  set(_mpi_dev libopenmpi-dev)
  set(_mpi_bin openmpi-bin)
  if("${MPI_C_LIBRARY_VERSION_STRING};${MPI_C_COMPILER};${MPI_C_LIB_NAMES};${MPIEXEC_EXECUTABLE}" MATCHES "[Mm][Pp][Ii][Cc][Hh]")
    set(_mpi_dev libmpich-dev)
    set(_mpi_bin mpich)
  endif()
  set(_mpi_headers "")
  foreach(dir IN LISTS MPI_C_HEADER_DIR MPI_C_INCLUDE_DIRS MPI_C_COMPILER_INCLUDE_DIRS)
    list(APPEND _mpi_headers ${dir}/mpi.h)
  endforeach()
  _pk_owner(_mpi_dev ${_mpi_dev} ${_mpi_headers})
  _pk_owner(_mpi_bin ${_mpi_bin} ${MPIEXEC_EXECUTABLE})
  list(APPEND _pk_dev_depends ${_mpi_dev})
  list(APPEND _pk_runtime_depends ${_mpi_bin})
endif()
if(PARKIT_HAVE_OPENMP)
  # the OpenMP runtime parkit::omp names by path: gcc's libgomp.a (linked statically, omp/CMakeLists.txt:
  # libgcc-12-dev) or the libraries of OpenMP::OpenMP_C (clang's libomp.so: libomp-14-dev)
  get_target_property(_omp_libs parkit_openmp INTERFACE_LINK_LIBRARIES)
  if("OpenMP::OpenMP_C" IN_LIST _omp_libs)
    foreach(lib IN LISTS OpenMP_C_LIB_NAMES)
      list(APPEND _omp_libs ${OpenMP_${lib}_LIBRARY})
    endforeach()
  endif()
  foreach(lib IN LISTS _omp_libs)
    if(IS_ABSOLUTE "${lib}" AND NOT lib MATCHES "/libpthread[.]")
      set(_fallback "")
      if(lib MATCHES "/libomp[.]")
        set(_fallback libomp-dev)
      endif()
      _pk_owner(_omp_dev "${_fallback}" ${lib})
      list(APPEND _pk_dev_depends ${_omp_dev})
    endif()
  endforeach()
endif()
list(REMOVE_DUPLICATES _pk_dev_depends)
if(_pk_split)
  list(PREPEND _pk_dev_depends "parkit (= ${_pk_version})")
else()
  list(APPEND _pk_runtime_depends ${_pk_dev_depends})
endif()
list(REMOVE_DUPLICATES _pk_runtime_depends)

# ---- the CPU the programs are built for ---------------------------------------------------------
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE _pk_arch OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR NOT _pk_arch)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _pk_arch)
  string(REPLACE "x86_64" "amd64" _pk_arch "${_pk_arch}")
  string(REPLACE "aarch64" "arm64" _pk_arch "${_pk_arch}")
endif()
set(_pk_cpu_suffix "")
if(PARKIT_ARCH MATCHES "^(none|x86-64|x86-64-v2|armv8-a)$")
  set(_pk_cpu_text "Built with ${PARKIT_ARCH_FLAGS}.")
  if(PARKIT_ARCH STREQUAL "none")
    set(_pk_cpu_text "Built for the compiler's default CPU (no -march flag).")
  elseif(PARKIT_ARCH STREQUAL "x86-64-v2")
    set(_pk_cpu_text "Built for x86-64-v2 CPUs (-march=x86-64-v2: every x86-64 server since 2009).")
  endif()
else()
  string(REGEX REPLACE "[^a-z0-9.+-]" "-" _pk_cpu_suffix "-${PARKIT_ARCH}")
  set(_pk_cpu_text "Built for -march=${PARKIT_ARCH} CPUs: run it only on those.")
  if(PARKIT_ARCH STREQUAL "native")
    # which CPU "native" was: gcc says -march=, clang says -target-cpu
    execute_process(COMMAND ${CMAKE_C_COMPILER} -march=native -Q --help=target OUTPUT_VARIABLE _out ERROR_QUIET)
    if(NOT _out MATCHES "-march=[ \t]+([A-Za-z0-9_.-]+)")
      execute_process(COMMAND ${CMAKE_C_COMPILER} -march=native "-###" -x c -c /dev/null ERROR_VARIABLE _out OUTPUT_QUIET)
      string(REGEX MATCH "\"-target-cpu\" \"([A-Za-z0-9_.-]+)\"" _m "${_out}")
    endif()
    set(_cpu "")
    if(CMAKE_MATCH_1)
      set(_cpu ", here ${CMAKE_MATCH_1}")
    endif()
    set(_pk_cpu_text "Built for the CPU it was built on (-march=native${_cpu}): run it only there.")
  endif()
endif()
set(_pk_cpu_needs "")
if(PARKIT_ARCH_NEEDS)
  set(_pk_cpu_needs "The programs need these instruction sets: ${PARKIT_ARCH_NEEDS}. On a CPU without one they stop at start-up and name it.")
endif()

# ---- descriptions: a summary line, then paragraphs wrapped to 76 columns (no ";" in their text) ---
function(_pk_wrap out)
  set(result "")
  foreach(paragraph IN LISTS ARGN)
    string(REGEX REPLACE "[ \n]+" ";" words "${paragraph}")
    set(line "")
    foreach(w IN LISTS words)
      string(LENGTH "${line} ${w}" n)
      if(line AND n GREATER 76)
        string(APPEND result "${line}\n")
        set(line "${w}")
      elseif(line)
        string(APPEND line " ${w}")
      else()
        set(line "${w}")
      endif()
    endforeach()
    string(APPEND result "${line}\n\n")
  endforeach()
  string(REGEX REPLACE "\n+$" "" result "${result}")
  set(${out} "${result}" PARENT_SCOPE)
endfunction()
list(JOIN PARKIT_KERNELS ", " _kernels)
set(_pk_dev_text "parkit-dev builds")
if(NOT _pk_split)
  set(_pk_dev_text "It also builds")
endif()
_pk_wrap(_pk_runtime_description
  "parkit runs the same kernels (${_kernels}) on OpenMP threads, on MPI ranks and on both at once, verifies every result and reports its timing beside the machine's own limits. It also has pattern programs (races and locks, message passing, worker pools), the parkit front end, scaling and tuning tools with plots, and Slurm batch scripts."
  "${_pk_dev_text} a kernel of one's own into the same programs: find_package(parkit) and parkit_add_kernel() in CMake, or pkg-config parkit."
  "${_pk_cpu_text} ${_pk_cpu_needs}")
_pk_wrap(_pk_dev_description
  "A kernel written once (partial, combine, verify) becomes OpenMP, MPI and hybrid programs: find_package(parkit) and parkit_add_kernel() in CMake, or pkg-config parkit for the serial core. This package has the headers, the static libraries, the CMake package, the template project (parkit new-kernel) and the catalog's kernels as examples."
  "${_pk_cpu_text} Kernels built against these libraries get the same -march flag, and so do the programs made from them.")

# ---- copyright, changelog, lintian overrides ---------------------------------------------------
# the years of the commits; the changelog's date is the last commit's (or SOURCE_DATE_EPOCH), so
# that the same tree gives the same package
string(TIMESTAMP _year "%Y")
set(PARKIT_COPYRIGHT_YEARS "${_year}")
set(_date_epoch "$ENV{SOURCE_DATE_EPOCH}")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} log --format=%ad --date=format:%Y
                  OUTPUT_VARIABLE _years OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _years)
    string(REPLACE "\n" ";" _years "${_years}")
    list(GET _years 0 _last)
    list(GET _years -1 _first)
    set(PARKIT_COPYRIGHT_YEARS "${_first}")
    if(NOT _first STREQUAL _last)
      set(PARKIT_COPYRIGHT_YEARS "${_first}-${_last}")
    endif()
  endif()
  if(NOT _date_epoch)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} log -1 --format=%ct
                    OUTPUT_VARIABLE _date_epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
endif()
set(_saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
set(ENV{SOURCE_DATE_EPOCH} "${_date_epoch}") # string(TIMESTAMP) reads it
string(TIMESTAMP _date "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(ENV{SOURCE_DATE_EPOCH} "${_saved_epoch}")
# the distribution it was built on: its libraries are the ones Depends names
set(_dist unstable)
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _codename REGEX "^VERSION_CODENAME=")
  if(_codename MATCHES "=\"?([a-z]+)\"?$")
    set(_dist ${CMAKE_MATCH_1})
  endif()
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/package/debian-copyright.in ${_pk_dir}/copyright @ONLY)
file(WRITE ${_pk_dir}/changelog.Debian
"parkit (${_pk_version}) ${_dist}; urgency=medium

  * parkit ${PROJECT_VERSION}, packaged by CPack from the parkit source tree.

 -- ${PARKIT_PACKAGE_MAINTAINER}  ${_date}
")
find_program(PARKIT_GZIP gzip)
mark_as_advanced(PARKIT_GZIP)
if(PARKIT_GZIP)
  # -n: no name or time stamp in the header (lintian: package-contains-timestamped-gzip)
  execute_process(COMMAND ${PARKIT_GZIP} -9nc ${_pk_dir}/changelog.Debian
                  OUTPUT_FILE ${_pk_dir}/changelog.Debian.gz RESULT_VARIABLE _rc)
else()
  file(ARCHIVE_CREATE OUTPUT ${_pk_dir}/changelog.Debian.gz PATHS ${_pk_dir}/changelog.Debian
       FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
endif()

# lintian overrides, each with its reason. parkit.pc passes on -march: on purpose, the kernels
# compiled against libparkit get the CPU flag the library was built with (cmake/ParkitArch.cmake).
set(_pc_override "")
if(PARKIT_ARCH_FLAGS)
  set(_pc_override "# parkit.pc gives the kit's CPU flag (${PARKIT_ARCH_FLAGS}) to the kernels built against libparkit, on purpose:
# a kernel runs inside the kit's programs and is built for the CPU they were built for.
@PKG@: pkg-config-bad-directive ${PARKIT_ARCH_FLAGS} [usr/${CMAKE_INSTALL_LIBDIR}/pkgconfig/parkit.pc]
")
endif()
set(_runtime_overrides "")
set(_dev_overrides "${_pc_override}")
if(NOT _pk_split)
  set(_runtime_overrides "${_pc_override}")
  set(_dev_overrides "")
endif()
string(REPLACE "@PKG@" "parkit" _runtime_overrides "${_runtime_overrides}")
string(REPLACE "@PKG@" "parkit-dev" _dev_overrides "${_dev_overrides}")

# copyright: in every install (the terms travel with the files); the rest in the packages only
install(FILES ${_pk_dir}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_pk_dir}/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT Unspecified EXCLUDE_FROM_ALL)
if(_runtime_overrides)
  file(WRITE ${_pk_dir}/overrides/parkit "${_runtime_overrides}")
  install(FILES ${_pk_dir}/overrides/parkit DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
          COMPONENT Unspecified EXCLUDE_FROM_ALL)
endif()
if(_pk_split)
  install(FILES ${_pk_dir}/copyright ${_pk_dir}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/parkit-dev COMPONENT dev EXCLUDE_FROM_ALL)
  if(_dev_overrides)
    file(WRITE ${_pk_dir}/overrides/parkit-dev "${_dev_overrides}")
    install(FILES ${_pk_dir}/overrides/parkit-dev DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
            COMPONENT dev EXCLUDE_FROM_ALL)
  endif()
endif()

# ---- CPack --------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME parkit)
set(CPACK_PACKAGE_VENDOR "parkit developers")
set(CPACK_PACKAGE_CONTACT "${PARKIT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# no summary of CPack's own: CPackDeb would put that one line above both packages' descriptions
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # Debian policy 10.1 (lintian: unstripped-binary-or-object)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${PARKIT_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # without dpkg-shlibdeps CPack says so and goes on: the test then fails
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEB_COMPONENT_INSTALL ON)
get_cmake_property(CPACK_COMPONENTS_ALL COMPONENTS)
foreach(component IN LISTS CPACK_COMPONENTS_ALL)
  string(TOUPPER "${component}" c)
  set(CPACK_COMPONENT_${c}_GROUP runtime)
endforeach()
set(CPACK_COMPONENT_DEV_GROUP dev)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME parkit)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${PROJECT_DESCRIPTION}\n${_pk_runtime_description}")
list(JOIN _pk_runtime_depends ", " CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "gnuplot-nox") # the plots (bench/, parkit report --plot)
set(_suggests primesieve python3-numpy python3-numba python3-mpi4py slurm-client) # bench/compare's peers, slurm/
if(_pk_split)
  list(PREPEND _suggests parkit-dev)
endif()
list(JOIN _suggests ", " CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS)
set(CPACK_DEBIAN_RUNTIME_FILE_NAME "parkit_${_pk_version}_${_pk_arch}${_pk_cpu_suffix}.deb")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME parkit-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "CPU-bound parallel computing kit: headers, libraries, CMake package\n${_pk_dev_description}")
list(JOIN _pk_dev_depends ", " CPACK_DEBIAN_DEV_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_DEV_FILE_NAME "parkit-dev_${_pk_version}_${_pk_arch}${_pk_cpu_suffix}.deb")

# said when cpack runs, not at every configure of a build that is never packaged
set(_notes "")
if(_pk_cpu_suffix)
  string(APPEND _notes "message(WARNING \"parkit: these packages are built for -march=${PARKIT_ARCH} (their file names end "
         "in ${_pk_cpu_suffix}): they run only on such CPUs. A package for other machines: cmake --preset portable, "
         "cmake --build build/portable, then cpack -G DEB in build/portable.\")\n")
endif()
if(PARKIT_PACKAGE_MAINTAINER STREQUAL _pk_placeholder_maintainer)
  string(APPEND _notes "message(WARNING \"parkit: Maintainer is the placeholder '${_pk_placeholder_maintainer}': "
         "configure with -DPARKIT_PACKAGE_MAINTAINER='Your Name <you@example.org>' before handing the packages out.\")\n")
endif()
file(WRITE ${_pk_dir}/cpack-notes.cmake "${_notes}")
set(CPACK_PROJECT_CONFIG_FILE ${_pk_dir}/cpack-notes.cmake)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/package/debian-prebuild.cmake) # man pages gzipped

set(_files "parkit_${_pk_version}_${_pk_arch}${_pk_cpu_suffix}.deb")
if(_pk_split)
  string(APPEND _files " and parkit-dev_${_pk_version}_${_pk_arch}${_pk_cpu_suffix}.deb")
endif()
message(STATUS "parkit: cpack -G DEB makes ${_files}")
include(CPack)
