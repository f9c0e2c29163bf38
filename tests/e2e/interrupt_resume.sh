#!/usr/bin/env bash
# interrupt_resume.sh SIGNAL EXPECTED_RESULT CHECKPOINT -- FIRST_COMMAND... -- RESUME_COMMAND...
# Starts FIRST_COMMAND (a kernel program with --checkpoint FILE --progress, long enough to be
# caught mid-run), waits for its first progress line, sends SIGNAL to it, and expects exit 3 with
# the "interrupted ... run the same command again" line. Then RESUME_COMMAND (the same job with
# another worker count or launcher) must resume from the checkpoint (resumed_blocks > 0), verify,
# and print EXPECTED_RESULT: the uninterrupted run's exact result. CHECKPOINT (the file both
# commands name) is removed first, so the first command starts fresh. Timeouts guard against hangs.
set -u
sig=$1 want=$2 ckpt=$3
shift 3
rm -f -- "$ckpt"
[ "$1" = "--" ] && shift
first=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do first+=("$1"); shift; done
shift
resume=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { printf 'FAIL: %s\n--- first stderr:\n%s\n--- resume output:\n%s\n' "$1" "$(cat "$tmp/e1" 2>/dev/null)" \
  "$(cat "$tmp/o2" 2>/dev/null)"; exit 1; }

# not under timeout(1): it would take the signal itself; bounded waits below stop a hung run
"${first[@]}" >"$tmp/o1" 2>"$tmp/e1" &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 600); do
  grep -q 'progress:' "$tmp/e1" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
grep -q 'progress:' "$tmp/e1" || fail "no progress line before the run ended"
grep -q 'progress:' "$tmp/o1" && fail "progress lines on stdout"
kill -s "$sig" "$pid"
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "still running 30 s after SIG$sig (hang?)"
code=0
wait "$pid" || code=$?
# mpirun turns TERM/INT into its own abort (exit 1) after the ranks exited 3; USR1 it forwards.
# MPICH's hydra forwards USR1 too, but its own exit code then is not always the ranks' (here 1 run
# in 4 returned 0 after every rank wrote "interrupted" and exited 3): with
# PARKIT_LAUNCHER_MAY_DROP_EXIT_CODE=1 (set for hydra by e2e.cmake) a 0 is accepted, said, and the
# rest still checked: the interrupted line, and a resume that starts from the checkpoint.
if [ "$code" -eq 0 ] && [ "${PARKIT_LAUNCHER_MAY_DROP_EXIT_CODE:-0}" = 1 ]; then
  echo "note: the launcher returned 0, not the ranks' 3 (a known hydra behaviour); checking the rest"
else
  [ "$code" -eq 3 ] || fail "exit $code after SIG$sig, expected 3"
fi
grep -q "interrupted: SIG$sig: checkpoint .* written .*run the same command again to resume" "$tmp/e1" ||
  fail "no 'interrupted' line naming SIG$sig"
[ "$(grep -c ': interrupted: ' "$tmp/e1")" -eq 1 ] || fail "the interruption is not reported exactly once"

code=0
timeout 120 "${resume[@]}" >"$tmp/o2" 2>&1 || code=$?
[ "$code" -eq 0 ] || fail "resume exited $code"
grep -qE '^resumed_blocks: [1-9][0-9]*$' "$tmp/o2" || fail "the resumed run did not start from the checkpoint"
grep -q '^verification: PASS$' "$tmp/o2" || fail "the resumed run did not verify"
grep -qx "result: $want" "$tmp/o2" || fail "the resumed result is not the uninterrupted one ($want)"
# the resumed command says where it starts (stderr, once) and reports its own time beside the run's
blocks=$(sed -n 's/^resumed_blocks: //p' "$tmp/o2")
grep -qE "resuming: from '.*' at block $blocks of [0-9]+ \([0-9.]+%\) of run 1/1$" "$tmp/o2" ||
  fail "no 'resuming: from FILE at block $blocks of N (x%)' line"
[ "$(grep -c ': resuming: ' "$tmp/o2")" -eq 1 ] || fail "the resume is not reported exactly once"
here=$(sed -n 's/^time_median_s: //p' "$tmp/o2") total=$(sed -n 's/^run_total_s: //p' "$tmp/o2")
share=$(sed -n 's/^timed_runs_this_command: //p' "$tmp/o2")
[ -n "$here" ] && [ -n "$total" ] && [ -n "$share" ] || fail "no time_median_s, run_total_s or timed_runs_this_command"
awk -v h="$here" -v t="$total" -v s="$share" 'BEGIN { exit !(t > h && s > 0 && s < 1) }' ||
  fail "this command's time $here s is not below the whole run's $total s, or its share of the run $share is not in (0, 1)"
grep "^resumed_blocks\|^result\|^time_median_s\|^run_total_s\|^timed_runs_this_command" "$tmp/o2"
echo "ok: SIG$sig -> exit 3, resumed and verified"
