# Environment modules: a Lua modulefile for Lmod and a Tcl one for Environment Modules,
#   PREFIX/share/parkit/modulefiles/lmod/parkit/<version>.lua
#   PREFIX/share/parkit/modulefiles/tcl/parkit/<version>
# `module use PREFIX/share/parkit/modulefiles/lmod` (or .../tcl), then `module load parkit`, sets PATH,
# MANPATH, CMAKE_PREFIX_PATH, PKG_CONFIG_PATH and PARKIT_ROOT. Both files find PREFIX from their own place
# when loaded, so the same files serve any `cmake --install --prefix` and the Debian package (/usr); that
# needs the install directories relative to the prefix. Tested by tests/install/modules-test.sh.
set(PARKIT_MODULEFILES_DIR ${CMAKE_INSTALL_DATADIR}/parkit/modulefiles)
foreach(_dir IN ITEMS BINDIR MANDIR LIBDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    message(WARNING "parkit: no modulefiles installed: CMAKE_INSTALL_${_dir} (${CMAKE_INSTALL_${_dir}}) is an "
                    "absolute path, and the modulefiles find the kit relative to their own place")
    return()
  endif()
endforeach()

# how many directories the modulefiles' own directories sit below PREFIX (share/parkit/modulefiles/lmod/parkit: 5)
cmake_path(SET _modules_rel NORMALIZE "${PARKIT_MODULEFILES_DIR}/lmod/parkit")
string(REPLACE "/" ";" _modules_parts "${_modules_rel}")
list(REMOVE_ITEM _modules_parts "" ".")
list(LENGTH _modules_parts PARKIT_MODULE_DEPTH)

configure_file(${CMAKE_CURRENT_LIST_DIR}/package/modulefile.lua.in ${PROJECT_BINARY_DIR}/package/modulefiles/parkit.lua @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/package/modulefile.tcl.in ${PROJECT_BINARY_DIR}/package/modulefiles/parkit.tcl @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/modulefiles/parkit.lua
        DESTINATION ${PARKIT_MODULEFILES_DIR}/lmod/parkit RENAME ${PROJECT_VERSION}.lua)
install(FILES ${PROJECT_BINARY_DIR}/package/modulefiles/parkit.tcl
        DESTINATION ${PARKIT_MODULEFILES_DIR}/tcl/parkit RENAME ${PROJECT_VERSION})
