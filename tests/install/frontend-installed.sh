#!/usr/bin/env bash
# frontend-installed.sh BUILD_DIR WORK_DIR: the installed kit through its front end, from a scratch
# prefix: bin/ holds `parkit` and the kernel programs only (pattern programs and tools under
# libexec/parkit, the Slurm scripts and docs under share/), and `parkit list`, `parkit run sum
# --model mpi -np 2`, `parkit limits --quick`, `parkit bench`, `parkit report` over two saved
# reports and `parkit new-kernel` work there with no variable set but the MPI launcher's.
set -euo pipefail
build=$(cd "$1" && pwd); work=$2
rm -rf -- "$work" && mkdir -p -- "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" || fail "cmake --install (see $work/install.log)"
p=$work/prefix
unset PARKIT_BIN PARKIT_LIBEXEC

step "layout"
for f in bin/parkit libexec/parkit/parkit_limits libexec/parkit/counter_omp libexec/parkit/bench/scaling \
         libexec/parkit/bench/lib/pkbench.py share/parkit/slurm/mpi.sbatch share/parkit/examples/kernel/squares.c \
         share/doc/parkit/README.md; do
  [ -e "$p/$f" ] || fail "not installed: $f"
done
stray=$(cd "$p/bin" && ls | grep -vxE 'parkit|[a-z0-9_]+_(omp|mpi|hybrid)' || true)
[ -z "$stray" ] || fail "bin/ holds more than parkit and the kernel programs: $stray"
for f in "$p"/bin/*_omp; do
  "$f" --describe >/dev/null 2>&1 || fail "bin/$(basename "$f") is not a kernel program (no --describe)"
done
echo "bin/: $(ls "$p/bin" | wc -l) entries, parkit and kernel programs only"

step "parkit list / run"
"$p/bin/parkit" list | tee "$work/list.txt"
grep -qE '^  sum +omp' "$work/list.txt" || fail "parkit list has no sum"
grep -q '^  counter_omp$' "$work/list.txt" || fail "parkit list has no pattern programs"
out=$(OMP_NUM_THREADS=2 "$p/bin/parkit" run pi -- --n 1e6 --repeat 1 2>&1) || fail "parkit run pi: $out"
grep -q '^verification: PASS$' <<<"$out" || fail "parkit run pi did not verify"
if [ -x "$p/bin/sum_mpi" ]; then
  out=$("$p/bin/parkit" run sum --model mpi -np 2 -- --n 1e6 --repeat 1 2>&1) || fail "parkit run sum --model mpi -np 2: $out"
  grep -q '^ranks: 2$' <<<"$out" && grep -q '^verification: PASS$' <<<"$out" || fail "2 ranks did not verify: $out"
  echo "parkit run sum --model mpi -np 2: PASS"
fi

step "parkit limits / bench"
"$p/bin/parkit" limits --quick --out "$work/limits.json" >"$work/limits.log" 2>&1 || { cat "$work/limits.log"; fail "parkit limits --quick"; }
grep -q '"read_1t_bytes_per_s"' "$work/limits.json" || fail "no limits in $work/limits.json"
"$p/bin/parkit" bench model --help | grep -q 'usage: model' || fail "parkit bench model --help"
echo "parkit limits --quick and parkit bench: PASS"

step "parkit report over two saved reports"
OMP_NUM_THREADS=1 "$p/bin/sum_omp" --n 1e8 --repeat 3 --json >"$work/a.json"
OMP_NUM_THREADS=2 "$p/bin/sum_omp" --n 1e8 --repeat 3 --json >"$work/b.json"
"$p/bin/parkit" report "$work/a.json" "$work/b.json" --markdown | tee "$work/report.md"
[ "$(grep -c '^| [12] | sum_omp |' "$work/report.md")" -eq 2 ] || fail "parkit report: not two rows"

step "parkit new-kernel"
(cd "$work" && "$p/bin/parkit" new-kernel cubes) >/dev/null || fail "parkit new-kernel"
[ -f "$work/cubes/cubes.c" ] && grep -q 'pk_kernel_cubes' "$work/cubes/cubes.c" || fail "no cubes/cubes.c"
echo "install frontend test: PASS"
