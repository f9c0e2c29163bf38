#!/usr/bin/env bash
# slurm/collect-scaling on malformed outputs: each gives one line on stderr and exit 2 (never a
# Python traceback, never a nonsense row with exit 0); a well-formed pair still gives its CSV.
# Usage: collect_scaling_malformed.sh SOURCE_DIR WORKDIR
set -euo pipefail
src=${1:?SOURCE_DIR} work=${2:?WORKDIR}
collect=$src/slurm/collect-scaling good=$src/bench/tests/data/parkit-scaling-77_0.out
rm -rf -- "$work"
mkdir -p -- "$work"
status=0
# case NAME SED_EXPRESSION: the good output edited by SED_EXPRESSION must be refused with exit 2
case_() {
  local name=$1 expr=$2 rc=0 err
  sed -e "$expr" "$good" >"$work/$name.out"
  err=$(python3 "$collect" "$work/$name.out" 2>&1 >/dev/null) || rc=$?
  if ((rc != 2)) || [[ $err != "collect-scaling: error: "* || $err == *$'\n'* || $err == *Traceback* ]]; then
    echo "FAIL: $name: exit $rc, stderr: $err"
    status=1
  else
    echo "ok: $name: $err"
  fi
}
case_ workers_not_a_number 's/workers=1/workers=x/'
case_ workers_negative 's/workers=1/workers=-1/'
case_ workers_zero 's/workers=1/workers=0/'
case_ workers_huge 's/workers=1/workers=99999999999999999999/'
case_ mode_unknown 's/mode=strong/mode=sideways/'
case_ time_null 's/"time_median_s": [^,]*/"time_median_s": null/'
case_ time_nan 's/"time_median_s": [^,]*/"time_median_s": NaN/'
case_ time_zero 's/"time_median_s": [^,]*/"time_median_s": 0/'
case_ time_negative 's/"time_median_s": [^,]*/"time_median_s": -1.5/'
case_ n_huge 's/"n": 100000000/"n": 1180591620717411303424/'
case_ n_fraction 's/"n": 100000000/"n": 1.5/'
case_ n_text 's/"n": 100000000/"n": "many"/'
# a JSON line nested past Python's recursion limit is not a result (skipped, not a traceback)
{ head -n 1 "$good"; python3 -c 'print("[" * 200000 + "]" * 200000)'; tail -n +2 "$good"; } >"$work/deep.out"
rc=0
err=$(python3 "$collect" "$work/deep.out" 2>&1 >/dev/null) || rc=$?
if ((rc != 0)) || [[ $err == *Traceback* ]]; then echo "FAIL: deep JSON: exit $rc, stderr: $err"; status=1; else echo "ok: deep JSON skipped"; fi
# an output file in a directory that does not exist
rc=0
err=$(python3 "$collect" "$good" -o "$work/no/such/dir/scaling.csv" 2>&1 >/dev/null) || rc=$?
if ((rc != 2)) || [[ $err != "collect-scaling: error: "* || $err == *$'\n'* ]]; then
  echo "FAIL: missing output directory: exit $rc, stderr: $err"; status=1
else
  echo "ok: missing output directory: $err"
fi
# the good pair still works
python3 "$collect" "$good" "$src/bench/tests/data/parkit-scaling-77_1.out" -o "$work/good.csv" ||
  { echo "FAIL: the well-formed outputs were refused"; status=1; }
grep -q '^strong,1,100000000,' "$work/good.csv" || { echo "FAIL: no row for the well-formed output"; status=1; }
exit "$status"
