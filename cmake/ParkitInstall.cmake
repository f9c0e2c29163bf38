# cmake --install: the programs, the libraries, the public headers, the generic kernel mains, a
# CMake package (find_package(parkit): imported targets parkit::parkit, parkit::omp, parkit::mpi
# and parkit_add_kernel), a pkg-config file, and a Debian package through CPack (cpack -G DEB).
include(CMakePackageConfigHelpers)
# cmake --install and cpack package what has been built (cmake --build first); they do not start a
# build of their own, which in a test or on a shared node would rebuild the whole tree unasked.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(PARKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/parkit)
set(PARKIT_MAINS_DIR ${CMAKE_INSTALL_DATADIR}/parkit/mains)

set(_targets parkit parkit_reproducible parkit_arch)
set(_headers ${PROJECT_SOURCE_DIR}/common/include/parkit/)
if(PARKIT_HAVE_OPENMP)
  list(APPEND _targets parkit_omp parkit_openmp)
  list(APPEND _headers ${PROJECT_SOURCE_DIR}/omp/include/parkit/)
  install(FILES ${PARKIT_OMP_MAIN} DESTINATION ${PARKIT_MAINS_DIR} COMPONENT dev)
endif()
if(PARKIT_HAVE_MPI)
  list(APPEND _targets parkit_mpi)
  list(APPEND _headers ${PROJECT_SOURCE_DIR}/mpi/include/parkit/)
  install(FILES ${PARKIT_MPI_MAIN} ${PARKIT_HYBRID_MAIN} DESTINATION ${PARKIT_MAINS_DIR} COMPONENT dev)
endif()
install(TARGETS ${_targets} EXPORT parkitTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${PARKIT_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/parkit COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(EXPORT parkitTargets NAMESPACE parkit:: DESTINATION ${PARKIT_CMAKE_DIR} COMPONENT dev)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/package/parkitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/parkitConfig.cmake
                              INSTALL_DESTINATION ${PARKIT_CMAKE_DIR} PATH_VARS PARKIT_MAINS_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/parkitConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/parkitConfig.cmake ${PROJECT_BINARY_DIR}/package/parkitConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/ParkitPrograms.cmake ${CMAKE_CURRENT_LIST_DIR}/ParkitKernelTests.cmake
        DESTINATION ${PARKIT_CMAKE_DIR} COMPONENT dev)
install(PROGRAMS ${CMAKE_CURRENT_LIST_DIR}/parkit-kernel-check.sh DESTINATION ${PARKIT_CMAKE_DIR} COMPONENT dev)

include(${CMAKE_CURRENT_LIST_DIR}/ParkitLayout.cmake)

# A starting point that ships: the template kernel project (share/parkit/examples/kernel, copied
# to start one's own) and the catalog's kernels, to read as worked examples.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/kernel DESTINATION ${CMAKE_INSTALL_DATADIR}/parkit/examples COMPONENT dev)
file(GLOB _catalog_sources ${PROJECT_SOURCE_DIR}/common/kernels/*.c)
install(FILES ${_catalog_sources} DESTINATION ${CMAKE_INSTALL_DATADIR}/parkit/examples/catalog COMPONENT dev)

# pkg-config: the serial core (libparkit) for C programs that call the kernels and the report
# directly; the threaded and MPI programs are made with the CMake package.
set(PARKIT_PC_REQUIRES "zlib")
if(PARKIT_HAVE_HWLOC)
  string(APPEND PARKIT_PC_REQUIRES " hwloc")
endif()
string(REPLACE ";" " " PARKIT_PC_CFLAGS "${PARKIT_REPRODUCIBLE_FLAGS};${PARKIT_ARCH_FLAGS}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/package/parkit.pc.in ${PROJECT_BINARY_DIR}/package/parkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/parkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

include(${CMAKE_CURRENT_LIST_DIR}/ParkitModules.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/ParkitPackage.cmake)
