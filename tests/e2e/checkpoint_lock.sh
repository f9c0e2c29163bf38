#!/usr/bin/env bash
# One run per checkpoint file: while a run owns FILE (its lock FILE.lock), a second run on the same
# file is refused with one line and exit 2 before any work, instead of both writing it and the later
# one silently winning. Taking the lock also removes temporary files a killed run left beside FILE.
# Usage: checkpoint_lock.sh SUM_OMP WORKDIR
set -euo pipefail
prog=${1:?SUM_OMP} work=${2:?WORKDIR}
mkdir -p -- "$work"
ck=$work/locked.ckpt stale=$work/.locked.ckpt.tmp.Ab12Cd
rm -f -- "$ck" "$ck.lock"
echo "half a checkpoint" >"$stale"
fail() { echo "FAIL: $*"; kill -KILL "${first:-0}" 2>/dev/null || true; exit 1; }

"$prog" --n 1e12 --checkpoint "$ck" --checkpoint-every 1 >"$work/first.out" 2>&1 &
first=$!
for ((i = 0; i < 100; i++)); do [[ -e $stale ]] || break; sleep 0.1; done
[[ ! -e $stale ]] || fail "the stale temporary file of a dead run is still there"
rc=0
out=$("$prog" --n 1e12 --checkpoint "$ck" 2>&1) || rc=$?
((rc == 2)) || fail "a second run on a checkpoint in use: exit $rc, expected 2; output: $out"
[[ $out == *"checkpoint '$ck' is in use by another run"* && $out != *$'\n'* ]] ||
  fail "not one line saying the checkpoint is in use: $out"
kill -TERM "$first"
rc=0
wait "$first" || rc=$?
((rc == 3)) || fail "the first run, signalled, exited $rc, expected 3 (checkpoint written)"
# released with the process: the same command resumes (interrupted at once, it only has to start)
rc=0
out=$(timeout -s TERM 2 "$prog" --n 1e12 --checkpoint "$ck" 2>&1) || rc=$?
[[ $out != *"in use by another run"* ]] || fail "the lock outlived its run: $out"
echo "PASS: a second run was refused while the first held the checkpoint; the stale temporary file was removed"
