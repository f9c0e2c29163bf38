# Where an installed kit keeps what is not a kernel program (bin/ holds only `parkit` and the
# kernel programs, names a cluster's users will not mistake for something else):
#   libexec/parkit/         pattern programs, parkit_limits, parkit_mpi_latency
#   libexec/parkit/bench/   the bench tools and their Python library (run them as `parkit bench TOOL`)
#   share/parkit/slurm/     the batch scripts and their results reader
#   share/doc/parkit/       README.md and the docs
# The pattern programs' own install rules are in ParkitPrograms.cmake (parkit_omp_program ...).
# (parkit_limits and parkit_mpi_latency are installed by bench/CMakeLists.txt, which makes them.)
set(PARKIT_LIBEXEC_DIR ${CMAKE_INSTALL_LIBEXECDIR}/parkit)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/bench/ DESTINATION ${PARKIT_LIBEXEC_DIR}/bench USE_SOURCE_PERMISSIONS
        PATTERN tests EXCLUDE PATTERN limits EXCLUDE PATTERN CMakeLists.txt EXCLUDE PATTERN __pycache__ EXCLUDE
        PATTERN README.md EXCLUDE PATTERN doc EXCLUDE)
# the bench library reads Slurm job outputs with slurm/parkit_results.py, found beside bench/
install(FILES ${PROJECT_SOURCE_DIR}/slurm/parkit_results.py DESTINATION ${PARKIT_LIBEXEC_DIR}/slurm)
install(FILES ${PROJECT_SOURCE_DIR}/slurm/README.md ${PROJECT_SOURCE_DIR}/slurm/parkit_results.py
        DESTINATION ${CMAKE_INSTALL_DATADIR}/parkit/slurm)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/slurm/omp.sbatch ${PROJECT_SOURCE_DIR}/slurm/mpi.sbatch
                 ${PROJECT_SOURCE_DIR}/slurm/hybrid.sbatch ${PROJECT_SOURCE_DIR}/slurm/scaling.sbatch
                 ${PROJECT_SOURCE_DIR}/slurm/collect-scaling
        DESTINATION ${CMAKE_INSTALL_DATADIR}/parkit/slurm)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/bench/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME bench.md)
