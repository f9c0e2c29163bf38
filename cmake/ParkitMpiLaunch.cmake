# How to launch MPI, known once for CMake (tests, and programs that launch MPI themselves such as
# create_cost): FindMPI's MPIEXEC_EXECUTABLE, MPIEXEC_NUMPROC_FLAG, MPIEXEC_PREFLAGS, plus what
# differs between implementations, detected from `mpiexec --version` and kept as cache variables
# (-D... overrides them for another launcher):
#   PARKIT_MPIEXEC_OVERSUBSCRIBE  more ranks than cores: Open MPI refuses without --oversubscribe;
#                                 MPICH's hydra needs nothing (and would reject the flag)
#   PARKIT_MPIEXEC_NO_BIND        ranks left unbound so a rank's threads may use every core: Open MPI
#                                 binds to cores by default (--bind-to none); hydra binds nothing
#                                 unless told, and spells it -bind-to
#   PARKIT_MPI_ENV                the environment tests launch with (Open MPI refuses root, e.g. in
#                                 CI containers, unless told it is on purpose)
#   PARKIT_MPI_BUSY_POLLS         ON for MPICH: its ranks poll without yielding, so more ranks than
#                                 cores pay a scheduler time slice per synchronization (Open MPI
#                                 yields once told it is oversubscribed)
# parkit_mpiexec_prefix(OUT NP [NO_BIND]): the launcher prefix as a list.
if(PARKIT_HAVE_MPI)
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _mpiexec_version ERROR_QUIET)
  set(_oversubscribe "")
  set(_no_bind "-bind-to;none")
  set(PARKIT_MPI_BUSY_POLLS OFF)
  set(PARKIT_MPI_HYDRA OFF) # MPICH's launcher: see tests/e2e/interrupt_resume.sh
  if(_mpiexec_version MATCHES "Open MPI|OpenRTE")
    set(_oversubscribe "--oversubscribe")
    set(_no_bind "--bind-to;none")
  elseif(_mpiexec_version MATCHES "HYDRA")
    set(PARKIT_MPI_BUSY_POLLS ON)
    set(PARKIT_MPI_HYDRA ON)
  endif()
  set(PARKIT_MPIEXEC_OVERSUBSCRIBE "${_oversubscribe}" CACHE STRING
      "Flag that lets the MPI launcher start more ranks than cores")
  set(PARKIT_MPIEXEC_NO_BIND "${_no_bind}" CACHE STRING "Flags that leave MPI ranks unbound")
  set(PARKIT_MPI_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
endif()

function(parkit_mpiexec_prefix out np)
  cmake_parse_arguments(L "NO_BIND" "" "" ${ARGN})
  set(bind "")
  if(L_NO_BIND)
    set(bind ${PARKIT_MPIEXEC_NO_BIND})
  endif()
  set(${out} ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} ${PARKIT_MPIEXEC_OVERSUBSCRIBE} ${bind}
      ${MPIEXEC_PREFLAGS} PARENT_SCOPE)
endfunction()
