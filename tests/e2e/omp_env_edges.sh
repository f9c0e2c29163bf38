#!/usr/bin/env bash
# The OpenMP environment at its edges: every documented maximum is accepted and one past it refused
# (exit 2, one line), and OMP_PLACES intervals that end exactly at this machine's last CPU are
# accepted while one CPU further is refused. (A planted off-by-one in any of these checks once
# slipped past the suite.)
# Usage: omp_env_edges.sh SUM_OMP
set -uo pipefail
prog=${1:?SUM_OMP}
cpus=$(getconf _NPROCESSORS_ONLN)
last=$((cpus - 1))
status=0
run() { # EXPECTED_EXIT VAR=VALUE...
  local want=$1 rc out
  shift
  # one thread whatever OMP_NUM_THREADS says (OMP_THREAD_LIMIT=1 unless the case sets it): the
  # edges are about the checks, not about starting 4096 threads
  out=$(env OMP_THREAD_LIMIT=1 "$@" "$prog" --n 1000 --repeat 1 --warmup 0 2>&1 >/dev/null)
  rc=$?
  if ((rc != want)) || { ((want == 2)) && [[ $(grep -c ': error: ' <<<"$out") -ne 1 ]]; }; then
    echo "FAIL: $*: exit $rc, expected $want; stderr: $out"
    status=1
  else
    echo "ok: $* -> $rc"
  fi
}
run 0 OMP_NUM_THREADS=4096
run 2 OMP_NUM_THREADS=4097
run 0 OMP_NUM_THREADS=4096,4096
run 2 OMP_NUM_THREADS=4096,4097
run 0 OMP_THREAD_LIMIT=1048576 OMP_NUM_THREADS=1
run 2 OMP_THREAD_LIMIT=1048577
run 0 OMP_MAX_ACTIVE_LEVELS=1073741824
run 2 OMP_MAX_ACTIVE_LEVELS=1073741825
run 0 OMP_NUM_THREADS=1 OMP_STACKSIZE=1G
run 2 OMP_NUM_THREADS=1 OMP_STACKSIZE=1048577K
run 0 "OMP_PLACES={$last}"
run 2 "OMP_PLACES={$cpus}"
run 0 "OMP_PLACES={0:$cpus}"
run 2 "OMP_PLACES={0:$((cpus + 1))}"
run 0 "OMP_PLACES={0:$cpus:1}"
run 0 "OMP_PLACES={0}:$cpus:1"
run 2 "OMP_PLACES={0}:$((cpus + 1)):1"
exit "$status"
