#!/usr/bin/env bash
# --progress is paced over runs, not per run: many short repeats print at most one line per second
# of wall time. The program runs a few seconds of tiny runs (any build: release or sanitized, loaded
# or not, each run is far below a second) and is then stopped; a line per run would be thousands
# of lines. The bound is measured here, not assumed.
# Usage: progress_paced.sh SUM_OMP
set -euo pipefail
prog=${1:?SUM_OMP}
seconds=3
t0=$(date +%s.%N)
# stopped by SIGTERM (no --checkpoint: the default action ends it); its lines so far are counted
lines=$({ timeout -s TERM "$seconds" "$prog" --n 1e6 --repeat 100000 --progress 2>&1 >/dev/null || true; } | wc -l)
t1=$(date +%s.%N)
allowed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) + 1 }')
echo "lines: $lines in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (at most $allowed)"
((lines >= 1)) || { echo "FAIL: no progress line in $seconds s"; exit 1; }
((lines <= allowed)) || { echo "FAIL: $lines lines in fewer than $lines seconds: not paced"; exit 1; }
echo "PASS: progress paced over many runs"
