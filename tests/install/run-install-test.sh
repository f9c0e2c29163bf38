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
#  5. cpack -G DEB: the package unpacks and a program from it runs verified, and it says what it
#     depends on.
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
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/deb/parkit_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no parkit_*.deb in $work/deb"
dpkg-deb -f "$deb" Depends | grep -q zlib1g || fail "the package does not depend on zlib1g"
dpkg-deb -x "$deb" "$work/root"
verified "sum_omp from the package" "$work/root/usr/bin/sum_omp" --n 1e6 --repeat 1
echo "install test: PASS"
