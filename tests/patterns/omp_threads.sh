#!/usr/bin/env bash
# omp_threads.sh BIN_DIR: counter_omp and pool_omp on 1..8 threads (8 oversubscribes this 2-core
# machine on purpose: preemption inside a critical section must not break exactness).
#  - counter_omp --mode all: every synchronized row PASS with 0 lost, the race row RACE (never PASS),
#    the run verified (exit 0);
#  - pool_omp: exit 0 and PASS, one row per thread, the Jobs column adds up to --jobs.
set -u
bin=$1
fail() { printf 'FAIL (%s threads): %s\n--- output:\n%s\n' "$t" "$1" "$out"; exit 1; }
for t in 1 2 3 4 5 6 7 8; do
  out=$(OMP_NUM_THREADS=$t timeout 60 "$bin/counter_omp" --mode all --updates 1e5 --repeat 1 --warmup 0 2>&1)
  code=$?
  [ "$code" -eq 0 ] || fail "counter_omp exit $code, expected 0"
  rows=$(printf '%s\n' "$out" | grep -v '^#')
  [ "$(printf '%s\n' "$rows" | wc -l)" -eq 7 ] || fail "counter_omp: expected 7 mode rows"
  printf '%s\n' "$rows" | awk '$1 != "race" && ($6 != 0 || $7 != "PASS") { bad = 1 } END { exit bad }' ||
    fail "a synchronized mode lost updates or did not PASS"
  printf '%s\n' "$rows" | awk '$1 == "race" && $7 == "RACE" { ok = 1 } END { exit !ok }' ||
    fail "the race row is not marked RACE"

  out=$(OMP_NUM_THREADS=$t timeout 60 "$bin/pool_omp" --jobs 23 --unit-steps 2e4 --repeat 2 --warmup 0 2>&1)
  code=$?
  [ "$code" -eq 0 ] || fail "pool_omp exit $code, expected 0"
  printf '%s\n' "$out" | grep -q '^# verification: PASS$' || fail "pool_omp not verified"
  rows=$(printf '%s\n' "$out" | grep -v '^#')
  [ "$(printf '%s\n' "$rows" | wc -l)" -eq "$t" ] || fail "pool_omp: expected one row per thread"
  jobs=$(printf '%s\n' "$rows" | awk '{ s += $2 } END { print s }')
  [ "$jobs" -eq 23 ] || fail "pool_omp: the workers ran $jobs jobs in all, expected 23"
  echo "ok: $t threads"
done
