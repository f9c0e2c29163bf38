#!/usr/bin/env bash
# frontend_report.sh PARKIT SUM_OMP WORKDIR: `parkit report` over two saved reports (one --json
# line each, as bench's runs.jsonl holds them, and one text report): one row per run with program,
# n, workers, schedule, median, min/max, spread and the speedup against the baseline run, as a
# table, Markdown, CSV and a PNG; a file with no report in it is one error line and exit 2.
set -euo pipefail
parkit=${1:?PARKIT} prog=${2:?SUM_OMP} work=${3:?WORKDIR}
rm -rf -- "$work" && mkdir -p -- "$work"
fail() { echo "FAIL: $*"; exit 1; }
OMP_NUM_THREADS=1 "$prog" --n 1e8 --repeat 3 --json >"$work/runs.jsonl"
OMP_NUM_THREADS=2 "$prog" --n 1e8 --repeat 3 --json >>"$work/runs.jsonl"
OMP_NUM_THREADS=2 "$prog" --n 1e8 --repeat 3 >"$work/text.out"
csv=$("$parkit" report "$work/runs.jsonl" "$work/text.out" --csv 2>/dev/null)
echo "$csv"
[ "$(wc -l <<<"$csv")" -eq 4 ] || fail "expected a header and 3 rows"
head -1 <<<"$csv" | grep -q '^#,program,n,workers,schedule,verification,median_s,min_s,max_s,spread,speedup_vs_baseline$' ||
  fail "CSV header"
# the baseline's own speedup is exactly 1, and each row's speedup is baseline median / its median
python3 - "$csv" <<'PY' || fail "the speedups are not baseline/median"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
base = float(rows[0]["median_s"])
assert rows[0]["speedup_vs_baseline"] == "1.000", rows[0]
for r in rows:
    assert r["program"] == "sum_omp" and r["n"] == "100000000" and r["verification"] == "PASS", r
    want = base / float(r["median_s"])
    assert abs(float(r["speedup_vs_baseline"]) - want) <= 0.0015 * want + 0.001, (r, want)
assert [r["workers"] for r in rows] == ["1", "2", "2"], rows
PY
md=$("$parkit" report "$work/runs.jsonl" --markdown --baseline 2 2>/dev/null)
grep -q '^| # | program | n | workers |' <<<"$md" || fail "no Markdown table"
grep -qE '^\| 2 \| sum_omp \| 100000000 \| 2 \|.*\| 1\.000 \|$' <<<"$md" || fail "--baseline 2 is not 1.000 in row 2"
"$parkit" report "$work/runs.jsonl" --plot "$work/report.png" >/dev/null 2>&1 || fail "--plot failed"
[ -s "$work/report.png" ] || fail "no PNG"
echo "nothing here" >"$work/empty.txt"
rc=0; err=$("$parkit" report "$work/empty.txt" 2>&1 >/dev/null) || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] || fail "a file without a report: exit $rc, '$err'"
echo "PASS: parkit report tabulates saved reports"
