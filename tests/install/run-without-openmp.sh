#!/usr/bin/env bash
# run-without-openmp.sh SOURCE_DIR WORK_DIR C_COMPILER MPI_C_COMPILER [LAUNCH PREFIX FOR 2 RANKS...]
# A configure where OpenMP is not found (as with AppleClang, or clang without libomp): it must say
# what it leaves out and how to get it, and the MPI-only part must still build and run verified.
set -euo pipefail
src=$1; work=$2; cc=$3; mpicc=$4; shift 4
launch=("$@")
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
cmake -S "$src" -B "$work" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$cc" -DPARKIT_TESTS=OFF -DMPI_C_COMPILER="$mpicc" \
      -DCMAKE_DISABLE_FIND_PACKAGE_OpenMP=ON >"$work.log" 2>&1 || { cat "$work.log"; fail "configure"; }
grep -q "OpenMP not found" "$work.log" || fail "no message that OpenMP was not found"
grep -q "libomp-dev" "$work.log" || fail "the message does not say how to get OpenMP"
[ ! -e "$work/sum_omp" ] || fail "sum_omp exists without OpenMP"
if [ "${#launch[@]}" -eq 0 ]; then
  cmake --build "$work" -j2 --target parkit >>"$work.log" 2>&1 || { cat "$work.log"; fail "build of libparkit"; }
  echo "no MPI: libparkit built without OpenMP"
  exit 0
fi
cmake --build "$work" -j2 --target sum_mpi >>"$work.log" 2>&1 || { cat "$work.log"; fail "build of sum_mpi"; }
out=$("${launch[@]}" "$work/sum_mpi" --n 1e7 --repeat 1 2>&1) || fail "sum_mpi exit $?"$'\n'"$out"
grep -q '^verification: PASS$' <<<"$out" || fail "sum_mpi not verified"$'\n'"$out"
grep -q '^openmp_runtime: (not used)$' <<<"$out" || fail "sum_mpi reports an OpenMP runtime"$'\n'"$out"
grep -q '^ranks: 2$' <<<"$out" || fail "sum_mpi did not run on 2 ranks (another MPI's launcher?)"$'\n'"$out"
echo "sum_mpi built without OpenMP, 2 ranks: verification: PASS"
