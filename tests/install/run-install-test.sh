#!/usr/bin/env bash
# run-install-test.sh BUILD_DIR SOURCE_DIR WORK_DIR [LAUNCH PREFIX FOR 2 RANKS...]
# The kit as another project uses it, from a scratch prefix:
#  1. cmake --install BUILD_DIR into WORK_DIR/prefix;
#  2. a kernel file copied out of common/kernels/ (pi.c, renamed mypi: symbol and name) is built by
#     tests/install/consumer with find_package(parkit) + parkit_add_kernel, and its programs run
#     verified: mypi_omp on 2 threads, mypi_mpi and mypi_hybrid under the MPI launcher given;
#  3. the installed template project (share/parkit/examples/kernel) is copied, built, and its
#     generated cross-model tests (parkit_add_kernel_tests) pass, then fail on a planted bug;
#  4. pkg-config: a C program against libparkit (the serial backend, the catalog's sum) runs verified;
#  5. cpack -G DEB: the packages (parkit, parkit-dev) list their Depends (dpkg-shlibdeps, the -dev
#     packages), carry a DEP-5 copyright and a changelog, pass lintian without errors, install with dpkg
#     into a throwaway root (its own copy of this machine's package list), and a program from them runs verified.
set -euo pipefail
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd); work=$3; shift 3
launch=("$@")
rm -rf "$work"; mkdir -p "$work"
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
verified() { # verified LABEL COMMAND...: runs it, needs exit 0 and "verification: PASS"
  local label=$1; shift
  local out; out=$("$@" 2>&1) || fail "$label: exit $? ($*)"$'\n'"$out"
  grep -q '^verification: PASS$' <<<"$out" || fail "$label: no 'verification: PASS'"$'\n'"$out"
  echo "$label: verification: PASS"
}

step "install into $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" || fail "cmake --install (see $work/install.log)"
for f in lib/cmake/parkit/parkitConfig.cmake lib/pkgconfig/parkit.pc include/parkit/kernel.h lib/libparkit.a bin/sum_omp; do
  [ -e "$work/prefix/$f" ] || fail "not installed: $f"
done

step "an out-of-tree kernel: pi.c copied and renamed mypi"
mkdir -p "$work/consumer"
cp "$src/tests/install/consumer/CMakeLists.txt" "$work/consumer/"
sed -e 's/pk_kernel_pi\b/pk_kernel_mypi/' -e 's/\.name = "pi"/.name = "mypi"/' "$src/common/kernels/pi.c" >"$work/consumer/mypi.c"
grep -q 'pk_kernel_mypi' "$work/consumer/mypi.c" || fail "pi.c has no pk_kernel_pi to rename"
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_C_COMPILER="${CC:-cc}" >"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "configure"; }
cmake --build "$work/consumer/build" -j2 >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "build"; }
flags=$(cat "$work/consumer/build/CMakeFiles/mypi_kernel.dir/flags.make")
grep -q -- '-ffp-contract=off' <<<"$flags" || fail "the kernel was compiled without the kit's -ffp-contract=off"
# the consumer set no build type: its kernel is still optimized, and its report says so truthfully
grep -q -- '-O[23s]' <<<"$flags" || fail "the kernel was compiled without optimization (no build type given)"$'\n'"$flags"
verified mypi_omp env OMP_NUM_THREADS=2 "$work/consumer/build/mypi_omp" --n 1e6 --repeat 1
report=$(OMP_NUM_THREADS=2 "$work/consumer/build/mypi_omp" --n 1e6 --repeat 1)
grep -q "^build_type: Release (parkit's default: the project set no CMAKE_BUILD_TYPE)$" <<<"$report" ||
  fail "the report's build_type does not say the kit's default was used"$'\n'"$report"
grep -qE '^build_flags: .*-O[23s].*-ffp-contract=off' <<<"$report" || fail "build_flags do not name the kernel's flags"
grep -q '^project: parkit_consumer$' <<<"$report" || fail "the report does not name the consumer's project"
grep -qE '^parkit_build_flags: .+' <<<"$report" && grep -qE '^parkit_commit: .+' <<<"$report" ||
  fail "the report does not name the kit's own build beside the kernel's"
echo "mypi_omp: built optimized with no build type; its report names its flags and the kit's"
if [ -x "$work/consumer/build/mypi_mpi" ]; then
  [ "${#launch[@]}" -gt 0 ] || fail "mypi_mpi was built but no MPI launcher was given"
  verified "mypi_mpi (2 ranks)" "${launch[@]}" "$work/consumer/build/mypi_mpi" --n 1e6 --repeat 1
  verified "mypi_hybrid (2 ranks)" env OMP_NUM_THREADS=1 "${launch[@]}" "$work/consumer/build/mypi_hybrid" --n 1e6 --repeat 1
fi

step "the installed template: copied, built, its generated cross-model tests run"
tmpl=$work/prefix/share/parkit/examples/kernel
[ -f "$tmpl/squares.c" ] && [ -f "$tmpl/CMakeLists.txt" ] || fail "no template kernel in share/parkit/examples/kernel"
[ -f "$work/prefix/share/parkit/examples/catalog/pi.c" ] || fail "the catalog's kernels are not installed as examples"
cp -r "$tmpl" "$work/squares"
cmake -S "$work/squares" -B "$work/squares/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_C_COMPILER="${CC:-cc}" >"$work/squares.log" 2>&1 || { cat "$work/squares.log"; fail "template: configure"; }
cmake --build "$work/squares/build" -j2 >>"$work/squares.log" 2>&1 || { cat "$work/squares.log"; fail "template: build"; }
verified squares_omp env OMP_NUM_THREADS=2 "$work/squares/build/squares_omp" --n 1e6 --repeat 1
(cd "$work/squares/build" && ctest -j2 --output-on-failure >"$work/squares-ctest.log" 2>&1) ||
  { cat "$work/squares-ctest.log"; fail "template: its generated tests failed"; }
ran=$(grep -cE 'Test +#[0-9]+: kernel_squares_.* Passed' "$work/squares-ctest.log" || true)
[ "$ran" -ge 6 ] || { cat "$work/squares-ctest.log"; fail "template: only $ran generated tests passed"; }
echo "template: $ran generated tests passed"
# the same tests catch a kernel whose blocks depend on who computes them: a planted bug that only
# shows past the first block on a worker (each worker's first block is counted twice)
sed -i 's|^    \*result_of(out) = s;|    static _Thread_local uint64_t calls;\n    *result_of(out) = s + (calls++ == 0 \&\& lo > 0);|' \
  "$work/squares/squares.c"
grep -q '_Thread_local' "$work/squares/squares.c" || fail "template: could not plant the bug"
cmake --build "$work/squares/build" -j2 >>"$work/squares.log" 2>&1 || { cat "$work/squares.log"; fail "template: rebuild"; }
if (cd "$work/squares/build" && ctest -j2 --output-on-failure -R 'kernel_squares_omp_t2' >"$work/squares-planted.log" 2>&1); then
  cat "$work/squares-planted.log"; fail "template: the generated tests passed a kernel with a planted bug"
fi
grep -q 'FAIL: squares_omp on 2 threads' "$work/squares-planted.log" ||
  { cat "$work/squares-planted.log"; fail "template: the planted bug failed for another reason"; }
echo "template: the generated tests fail a planted bug"

step "pkg-config: a C program against libparkit"
cat >"$work/serial_sum.c" <<'C'
#include <parkit/driver.h>
#include <parkit/kernels.h>
#include <parkit/program.h>
int main(int argc, char **argv)
{
    pk_backend b = pk_serial_backend();
    pk_program sum = {.kernel = pk_kernel_find("sum"), .kernel_name = "sum"};
    return pk_drive(&sum, &b, argc, argv);
}
C
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
"${CC:-cc}" -std=gnu11 $(pkg-config --cflags parkit) "$work/serial_sum.c" -o "$work/serial_sum" $(pkg-config --libs parkit) ||
  fail "compiling against pkg-config --cflags --libs parkit"
verified serial_sum "$work/serial_sum" --n 1e6 --repeat 1

step "cpack -G DEB"
# the packages (cmake/ParkitPackage.cmake): parkit, and parkit-dev once install rules name COMPONENT
# dev (until then parkit holds the development files and their dependencies too)
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack"; }
# its notes (CPU, maintainer), one line each
awk '/^CMake Warning/ {w = 1; t = ""; next} w && /^$/ {print "cpack:" t; w = 0; next} w {sub(/^ +/, " "); t = t $0}' "$work/cpack.log"
deb=$(ls "$work"/deb/parkit_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no parkit_*.deb in $work/deb"
dev=$(ls "$work"/deb/parkit-dev_*.deb 2>/dev/null | head -n 1) || true
debs=("$deb")
[ -z "$dev" ] || debs+=("$dev")
devdeb=${dev:-$deb} # the package with the headers, the CMake package and parkit.pc
for p in "${debs[@]}"; do echo "$(basename "$p"): Depends: $(dpkg-deb -f "$p" Depends)"; done
depends=$(dpkg-deb -f "$deb" Depends)
dev_depends=$(dpkg-deb -f "$devdeb" Depends)
needs() { # needs DEPENDS PACKAGE-REGEX WHY: the field names one of the packages
  grep -qE "(^|, )($2)( \(|,|$)" <<<"$1" || fail "Depends has no $2 ($3): $1"
}
needs "$depends" 'libc6' "dpkg-shlibdeps did not run: scripts/install-deps installs dpkg-dev"
needs "$depends" 'zlib1g' "from dpkg-shlibdeps"
needs "$depends" 'python3' "the front end and the bench tools"
needs "$dev_depends" 'zlib1g-dev' "zlib.h"
needs "$dev_depends" 'pkg-config' "parkit.pc"
needs "$dev_depends" 'cmake' "find_package(parkit)"
if grep -q 'libhwloc' <<<"$depends"; then needs "$dev_depends" 'libhwloc-dev' "hwloc.h"; fi
if [ "${#launch[@]}" -gt 0 ]; then
  needs "$depends" 'libopenmpi[0-9]+|libmpich[0-9]+' "the MPI library, from dpkg-shlibdeps"
  if grep -qE 'libopenmpi[0-9]' <<<"$depends"; then mpi_dev=libopenmpi-dev mpi_bin=openmpi-bin; else mpi_dev=libmpich-dev mpi_bin=mpich; fi
  needs "$depends" "$mpi_bin" "the launcher of the MPI the programs link"
  needs "$dev_depends" "$mpi_dev" "mpi.h of the MPI the programs link"
fi
if [ -n "$dev" ]; then
  needs "$dev_depends" "parkit \(= $(dpkg-deb -f "$deb" Version)\)" "the programs of the same version"
  grep -q ' \./usr/include/parkit/kernel\.h$' <<<"$(dpkg-deb -c "$dev")" || fail "parkit-dev has no usr/include/parkit/kernel.h"
  ! grep -q ' \./usr/include/' <<<"$(dpkg-deb -c "$deb")" || fail "parkit has headers: they belong in parkit-dev"
fi
for p in "${debs[@]}"; do
  name=$(dpkg-deb -f "$p" Package)
  contents=$(dpkg-deb -c "$p")
  for f in copyright changelog.Debian.gz; do
    grep -q " \./usr/share/doc/$name/$f\$" <<<"$contents" || fail "$name has no usr/share/doc/$name/$f"
  done
  dpkg-deb --fsys-tarfile "$p" | tar -xOf - "./usr/share/doc/$name/copyright" >"$work/copyright-$name"
  [ "$(head -n 1 "$work/copyright-$name")" = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ] ||
    fail "$name: usr/share/doc/$name/copyright is not in the machine-readable (DEP-5) format"
done
# built for more than a portable CPU level: the file name and the description say so
arch=$(sed -n 's/^PARKIT_ARCH:[A-Z]*=//p' "$build/CMakeCache.txt")
case "$arch" in
  none|x86-64|x86-64-v2|armv8-a) ;;
  *) [[ "$deb" == *"-$arch.deb" ]] || fail "built for -march=$arch, but the file name does not say so: $deb"
     grep -q -- "-march=$arch" <<<"$(dpkg-deb -f "$deb" Description)" || fail "the description does not name -march=$arch" ;;
esac
command -v lintian >/dev/null || fail "lintian is not installed (scripts/install-deps installs it)"
lintian_rc=0
lintian --tag-display-limit 0 "${debs[@]}" >"$work/lintian.log" 2>&1 || lintian_rc=$? # 1: it found errors
[ "$lintian_rc" -le 1 ] || { cat "$work/lintian.log"; fail "lintian itself failed (exit $lintian_rc)"; }
grep -E '^[A-Z]: ' "$work/lintian.log" | sed 's/^/lintian: /' || true
! grep -q '^E: ' "$work/lintian.log" || fail "lintian finds errors (above)"
echo "lintian: no errors"
# dpkg installs them into a throwaway root that has its own copy of this machine's package list, so
# that their Depends are checked against what is installed here; the system's own dpkg database
# and log are only read (--root, --log; --force-not-root for a CI user without root)
root=$work/dpkg-root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
dpkg --root="$root" --log="$work/dpkg.log" --force-not-root -i "${debs[@]}" >"$work/dpkg-install.log" 2>&1 ||
  { grep -v 'files list file for package' "$work/dpkg-install.log"; fail "dpkg -i into $root"; }
for p in "${debs[@]}"; do
  name=$(dpkg-deb -f "$p" Package)
  [ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$name")" = 'install ok installed' ] ||
    fail "$name is not installed in $root"
done
echo "dpkg: ${debs[*]##*/} installed into $root, their Depends met by this machine's packages"
dpkg-deb -x "$deb" "$work/root"
verified "sum_omp from the package" "$work/root/usr/bin/sum_omp" --n 1e6 --repeat 1
verified "sum_omp installed by dpkg" "$root/usr/bin/sum_omp" --n 1e6 --repeat 1

step "the installed packages as a user meets them: the front end, and module load parkit"
"$root/usr/bin/parkit" list >"$work/deb-list.txt" || fail "parkit list from the package"
grep -qE '^  sum +omp' "$work/deb-list.txt" || fail "parkit list from the package has no sum"
if [ -x "$root/usr/bin/sum_mpi" ]; then
  out=$(PARKIT_MPIRUN=${PARKIT_MPIRUN:-mpiexec} "$root/usr/bin/parkit" run sum --model mpi -np 2 -- --n 1e6 --repeat 1 2>&1) ||
    fail "parkit run sum --model mpi -np 2 from the package: $out"
  grep -q '^verification: PASS$' <<<"$out" || fail "parkit run from the package did not verify"
fi
"$root/usr/bin/parkit" report "$work/deb-list.txt" >/dev/null 2>&1 && fail "parkit report accepted a file with no report"
bash "$src/tests/install/modules-test.sh" "$root/usr" "${launch[@]}" >"$work/deb-modules.log" 2>&1 ||
  { cat "$work/deb-modules.log"; fail "module load parkit from the package"; }
grep -c '^PASS: ' "$work/deb-modules.log" | sed 's/^/module checks passed on the package: /'
echo "install test: PASS"
