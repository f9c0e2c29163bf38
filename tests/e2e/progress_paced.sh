#!/usr/bin/env bash
# --progress is paced over runs, not per run: many short repeats print at most one line per second
# of wall time (plus the final line), however long the machine takes. The bound is measured here,
# not assumed: a loaded machine runs longer and may print more lines, never more than its seconds.
# Usage: progress_paced.sh SUM_OMP
set -euo pipefail
prog=${1:?SUM_OMP}
repeats=100
t0=$(date +%s.%N)
lines=$("$prog" --n 1e9 --repeat "$repeats" --progress 2>&1 >/dev/null | wc -l)
t1=$(date +%s.%N)
allowed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) + 1 }')
echo "lines: $lines in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (at most $allowed)"
((lines >= 1)) || { echo "FAIL: no progress line at all"; exit 1; }
((lines <= allowed)) || { echo "FAIL: $lines lines in fewer than $lines seconds: not paced"; exit 1; }
# a line per run would break the bound above as long as the runs take under a second each, which
# 100 runs of 1e9 do unless the machine is a hundred times slower than the release build
echo "PASS: progress paced over $repeats runs"
