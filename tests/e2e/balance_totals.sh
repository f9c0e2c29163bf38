#!/usr/bin/env bash
# The balance fields of a real report add up: blocks are whole totals over the timed runs (warm-up
# runs not counted, a run cut in epochs counted once), so the workers' totals make blocks x repeat.
# Usage: balance_totals.sh MODE COMMAND...
#   omp     2 threads: the two threads' totals (min and max) add up to blocks x repeat
#   hybrid  2 ranks x 2 threads, static rank and thread schedules: each rank has its half of the
#           blocks and each of the 4 threads a quarter (whole counts within 1 of each other)
#   mpi     ranks of one thread: the thread fields are the rank fields
set -euo pipefail
mode=${1:?MODE}
shift
out=$("$@" 2>&1) || { printf 'FAIL: exit %d\n%s\n' "$?" "$out"; exit 1; }
declare -A f
while IFS= read -r line; do
  [[ $line =~ ^([a-z_]+):\ (.*)$ ]] && f[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done <<<"$out"
fail() { printf 'FAIL: %s\n--- output:\n%s\n' "$1" "$out"; exit 1; }
for level in rank thread; do
  for s in min median max; do
    v=${f[${level}_blocks_$s]:-}
    [[ $v =~ ^[0-9]+$ ]] || fail "${level}_blocks_$s is '$v', not a whole number"
  done
  [[ ${f[${level}_imbalance]:-} =~ ^[0-9]+\.[0-9]+$ ]] || fail "no ${level}_imbalance"
done
blocks=${f[blocks]:?no blocks field} repeat=${f[repeat]:?no repeat field}
total=$((blocks * repeat))
# want FIELD VALUE
want() { [ "${f[$1]}" = "$2" ] || fail "$1 is ${f[$1]}, expected $2 (blocks $blocks x repeat $repeat)"; }
case $mode in
  omp)
    for s in min median max; do want rank_blocks_$s "$total"; done
    want thread_blocks_median "${f[thread_blocks_min]}" # of two threads, the lower one
    sum=$((f[thread_blocks_min] + f[thread_blocks_max]))
    ((sum == total)) || fail "the 2 threads' blocks add up to $sum, expected $total (blocks $blocks x repeat $repeat)"
    ;;
  hybrid)
    half_hi=$(((blocks + 1) / 2)) half_lo=$((blocks / 2))
    want rank_blocks_min $((half_lo * repeat))
    want rank_blocks_max $((half_hi * repeat))
    # the 4 threads' totals, sorted: each rank's half in two; statistics over the 2 ranks alone
    # (threads taken for ranks) would give halves
    quarters=()
    for h in "$half_hi" "$half_lo"; do quarters+=($(((h + 1) / 2)) $((h / 2))); done
    read -r q0 q1 _ q3 <<<"$(printf '%s\n' "${quarters[@]}" | sort -n | tr '\n' ' ')"
    want thread_blocks_min $((q0 * repeat))
    want thread_blocks_median $((q1 * repeat)) # of four, the lower middle one
    want thread_blocks_max $((q3 * repeat))
    ;;
  mpi)
    for s in blocks_min blocks_median blocks_max busy_s_min busy_s_median busy_s_max imbalance; do
      want thread_$s "${f[rank_$s]}"
    done
    ;;
  *) echo "balance_totals.sh: unknown mode $mode" >&2; exit 2 ;;
esac
echo "PASS: balance totals ($mode): rank_blocks ${f[rank_blocks_min]}..${f[rank_blocks_max]}," \
  "thread_blocks ${f[thread_blocks_min]}..${f[thread_blocks_max]} for blocks $blocks x repeat $repeat"
