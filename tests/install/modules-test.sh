#!/usr/bin/env bash
# modules-test.sh PREFIX [LAUNCH PREFIX FOR 2 RANKS...]
# The installed modulefiles (PREFIX/share/parkit/modulefiles/lmod and .../tcl) under Lmod and under
# Environment Modules, each in a clean shell (env -i, PATH=/usr/bin:/bin, no profile, no rc file):
# `module use` + `module load parkit`, and then, with no other variable set, sum_omp verifies, sum_mpi
# verifies under the launcher given, pkg-config and find_package(parkit) find the kit, `man -w` finds
# the kit's page and still the system's, PARKIT_ROOT is PREFIX; `module unload parkit` takes it all away
# again, yet leaves a PREFIX/bin that was on PATH before (as /usr/bin is for the package's prefix /usr);
# loaded through a link from another modulefile tree (as a site would), the files still find PREFIX.
# Every check prints one PASS or FAIL line; any FAIL fails the test.
# Where the module systems are (scripts/install-deps installs both): Lmod's init /usr/share/lmod/lmod/init/bash;
# Environment Modules' /usr/share/modules/init/bash or, beside Lmod (their Debian packages conflict),
# /opt/environment-modules/usr/share/modules/init/bash. PARKIT_LMOD_INIT, PARKIT_MODULES_INIT override them.
# Variables of the MPI launcher (OMPI_*, PRTE_*, HYDRA_*: e.g. Open MPI's consent to run as root) are
# passed to the launcher's command alone.

# In the clean shell: modules-test.sh --in-clean-shell NAME INIT MODULEDIR PREFIX WORK SOURCE CC [LAUNCH...]
if [ "${1:-}" = "--in-clean-shell" ]; then
  name=$2 init=$3 moduledir=$4 prefix=$5 work=$6 src=$7 cc=$8
  shift 8
  launch=("$@")
  failures=0
  pass() { echo "PASS: $name: $*"; }
  fail() { # one line, whatever the message holds
    local msg="$*"
    echo "FAIL: $name: ${msg//$'\n'/ | }"
    failures=$((failures + 1))
  }
  skip() { echo "SKIP: $name: $*"; }
  on_path() { [[ ":$1:" == *":$2:"* ]]; } # on_path LIST ENTRY
  verified() { # verified LABEL COMMAND...: exit 0 and "verification: PASS"
    local label=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && grep -q '^verification: PASS$' <<<"$out"; then
      pass "$label: verification: PASS"
    else
      fail "$label: exit $rc, no 'verification: PASS' ($*): $(tail -n 3 <<<"$out" | tr '\n' '|')"
    fi
  }

  # shellcheck disable=SC1090
  . "$init" >/dev/null 2>&1
  if ! declare -F module >/dev/null; then
    fail "sourcing $init defines no module command"
    exit 1
  fi
  path_before=$PATH
  manpath_before=${MANPATH-unset}
  system_ls_page=$(man -w ls 2>/dev/null)

  module use "$moduledir" 2>"$work/use.err" && module load parkit 2>"$work/load.err"
  rc=$?
  if [ $rc -ne 0 ] || [[ ":${LOADEDMODULES:-}:" != *":parkit/"* ]]; then
    fail "module use $moduledir + module load parkit: exit $rc, LOADEDMODULES='${LOADEDMODULES:-}': $(cat "$work/use.err" "$work/load.err" | tr '\n' '|')"
    exit 1
  fi
  pass "module use $moduledir + module load parkit"

  whatis=$(module whatis parkit 2>&1)
  if grep -q "Prefix: $prefix\$" <<<"$whatis" && grep -q 'Description: ' <<<"$whatis"; then
    pass "module whatis parkit names the kit and its prefix"
  else
    fail "module whatis parkit does not say 'Prefix: $prefix' and a description: $(tr '\n' '|' <<<"$whatis")"
  fi

  if [ "$(command -v sum_omp)" = "$prefix/bin/sum_omp" ]; then
    verified "sum_omp --n 1e6 --repeat 1" sum_omp --n 1e6 --repeat 1
  else
    fail "sum_omp on PATH is '$(command -v sum_omp)', not $prefix/bin/sum_omp (PATH=$PATH)"
  fi

  if [ ! -e "$prefix/bin/sum_mpi" ]; then
    skip "sum_mpi: not installed (a build without MPI)"
  elif [ "${#launch[@]}" -eq 0 ]; then
    fail "sum_mpi is installed but no MPI launcher was given to the test"
  else
    verified "sum_mpi under '${launch[*]}'" "${launch[@]}" sum_mpi --n 1e6 --repeat 1
  fi

  libs=$(pkg-config --libs parkit 2>&1)
  rc=$?
  libdir=$(sed -n 's/^-L\([^ ]*\).*/\1/p' <<<"$libs")
  if [ $rc -eq 0 ] && [ -n "$libdir" ] && [[ "$(cd "$libdir" 2>/dev/null && pwd -P)/" == "$prefix/"* ]] &&
     compgen -G "$libdir/libparkit.*" >/dev/null; then
    pass "pkg-config --libs parkit: $libs"
  else
    fail "pkg-config --libs parkit: exit $rc, '$libs' does not name PREFIX's libparkit (PKG_CONFIG_PATH=${PKG_CONFIG_PATH-unset})"
  fi

  if on_path "${CMAKE_PREFIX_PATH:-}" "$prefix"; then
    consumer=$work/consumer
    mkdir -p "$consumer"
    cp "$src/tests/install/consumer/CMakeLists.txt" "$consumer/"
    sed -e 's/pk_kernel_pi\b/pk_kernel_mypi/' -e 's/\.name = "pi"/.name = "mypi"/' \
      "$prefix/share/parkit/examples/catalog/pi.c" >"$consumer/mypi.c" 2>/dev/null
    if ! cmake -S "$consumer" -B "$consumer/build" -DCMAKE_C_COMPILER="$cc" >"$work/consumer.log" 2>&1; then
      fail "find_package(parkit): the consumer does not configure (see $work/consumer.log): $(grep -m 3 -iE 'error|parkit' "$work/consumer.log" | tr '\n' '|')"
    else
      found=$(sed -n 's/^parkit_DIR:PATH=//p' "$consumer/build/CMakeCache.txt")
      if [[ "$(cd "$found" 2>/dev/null && pwd -P)/" != "$prefix/"* ]]; then
        fail "find_package(parkit) found '$found', not the kit in $prefix"
      elif ! cmake --build "$consumer/build" -j2 --target mypi_omp >>"$work/consumer.log" 2>&1; then
        fail "find_package(parkit): the consumer configures but mypi_omp does not build (see $work/consumer.log)"
      else
        pass "find_package(parkit): the consumer configures with the kit in $found and builds mypi_omp"
        verified "the consumer's mypi_omp" env OMP_NUM_THREADS=2 "$consumer/build/mypi_omp" --n 1e6 --repeat 1
      fi
    fi
  else
    fail "CMAKE_PREFIX_PATH does not hold $prefix: '${CMAKE_PREFIX_PATH-unset}'"
  fi

  page=$(man -w sum_omp 2>/dev/null)
  if [[ "$page" == "$prefix/"* ]]; then
    pass "man -w sum_omp: $page"
  elif ! compgen -G "$prefix/share/man/man1/sum_omp.1*" >/dev/null; then
    fail "man -w sum_omp: the install has no man page ($prefix/share/man/man1/sum_omp.1 is missing: man pages are not installed yet)"
  else
    fail "man -w sum_omp: '$page', not the page in $prefix/share/man (MANPATH=${MANPATH-unset})"
  fi
  if [ -z "$system_ls_page" ]; then
    skip "man -w ls: this machine has no system page for ls even before loading"
  elif man -w ls >/dev/null 2>&1; then
    pass "man -w ls still finds the system's page (MANPATH=${MANPATH-unset})"
  else
    fail "man -w ls finds no page once parkit is loaded: MANPATH=${MANPATH-unset} hides the system's pages"
  fi

  if [ "${PARKIT_ROOT-unset}" = "$prefix" ]; then
    pass "PARKIT_ROOT=$PARKIT_ROOT"
  else
    fail "PARKIT_ROOT is '${PARKIT_ROOT-unset}', not $prefix"
  fi

  module unload parkit 2>"$work/unload.err"
  rc=$?
  left=()
  [ $rc -eq 0 ] || left+=("exit $rc: $(tr '\n' '|' <"$work/unload.err")")
  [ "$PATH" = "$path_before" ] || left+=("PATH=$PATH (before: $path_before)")
  [ "${MANPATH-unset}" = "$manpath_before" ] || left+=("MANPATH=${MANPATH-unset} (before: $manpath_before)")
  for v in CMAKE_PREFIX_PATH PKG_CONFIG_PATH; do
    [[ "${!v-}" != *"$prefix"* ]] || left+=("$v=${!v}")
  done
  [ -z "${PARKIT_ROOT+set}" ] || left+=("PARKIT_ROOT=$PARKIT_ROOT")
  [ -z "$system_ls_page" ] || man -w ls >/dev/null 2>&1 || left+=("man -w ls finds no page")
  if [ ${#left[@]} -eq 0 ]; then
    pass "module unload parkit restores PATH and MANPATH and unsets the rest"
  else
    fail "module unload parkit leaves: ${left[*]}"
  fi

  # a site links the kit's modulefiles into its own tree: the kit is still found where it is
  mkdir -p "$work/site"
  ln -sfn "$moduledir/parkit" "$work/site/parkit"
  module unuse "$moduledir" 2>/dev/null
  module use "$work/site" 2>/dev/null && module load parkit 2>/dev/null
  if [ "${PARKIT_ROOT-unset}" = "$prefix" ] && [ "$(command -v sum_omp)" = "$prefix/bin/sum_omp" ]; then
    pass "loaded through a link in another modulefile tree, PARKIT_ROOT is still $prefix"
  else
    fail "loaded through a link ($work/site/parkit), PARKIT_ROOT is '${PARKIT_ROOT-unset}', sum_omp '$(command -v sum_omp)'"
  fi
  module unload parkit 2>/dev/null

  # the package's prefix is /usr, whose bin is on PATH before the module: unloading must leave it there
  PATH=$PATH:$prefix/bin
  module load parkit 2>/dev/null && module unload parkit 2>/dev/null
  if on_path "$PATH" "$prefix/bin"; then
    pass "load + unload keeps a PREFIX/bin that was on PATH before (the package's /usr/bin)"
  else
    fail "load + unload took $prefix/bin off PATH although it was there before the module (PATH=$PATH)"
  fi
  exit $((failures > 0))
fi

set -uo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PREFIX [LAUNCH PREFIX FOR 2 RANKS...]" >&2; exit 2; }
prefix=$(cd "$1" 2>/dev/null && pwd -P) || { echo "FAIL: no install prefix $1" >&2; exit 1; }
shift
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
self=$src/tests/install/modules-test.sh
launch_env=()
while IFS= read -r v; do launch_env+=("$v=${!v}"); done < <(compgen -e | grep -E '^(OMPI|PRTE|HYDRA)_')
launch=()
if [ $# -gt 0 ]; then
  launch=(env "${launch_env[@]}" "$@")
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/parkit-modules.XXXXXX")
failures=0

for system in lmod tcl; do
  if [ "$system" = lmod ]; then
    label=Lmod
    init=${PARKIT_LMOD_INIT:-/usr/share/lmod/lmod/init/bash}
  else
    label="Environment Modules"
    init=${PARKIT_MODULES_INIT:-/usr/share/modules/init/bash}
    [ -n "${PARKIT_MODULES_INIT:-}" ] || [ -f "$init" ] || init=/opt/environment-modules/usr/share/modules/init/bash
  fi
  printf '\n== %s (%s)\n' "$label" "$init"
  moduledir=$prefix/share/parkit/modulefiles/$system
  if [ ! -f "$init" ]; then
    echo "FAIL: $system: $label is not installed (no $init): scripts/install-deps installs it"
    failures=$((failures + 1))
    continue
  fi
  if ! compgen -G "$moduledir/parkit/*" >/dev/null; then
    echo "FAIL: $system: no modulefile installed in $moduledir/parkit"
    failures=$((failures + 1))
    continue
  fi
  mkdir -p "$work/$system/home"
  env -i HOME="$work/$system/home" PATH=/usr/bin:/bin bash --noprofile --norc "$self" --in-clean-shell \
    "$system" "$init" "$moduledir" "$prefix" "$work/$system" "$src" "${CC:-cc}" "${launch[@]}" 2>&1 | tee "$work/$system.log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    failures=$((failures + 1))
    grep -q '^FAIL: ' "$work/$system.log" || echo "FAIL: $system: the clean shell exited $rc without saying why"
  fi
done

if [ $failures -ne 0 ]; then
  echo "modules test: FAIL (work files kept in $work)"
  exit 1
fi
rm -rf "$work"
echo "modules test: PASS"
