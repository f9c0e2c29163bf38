#!/usr/bin/env bash
# parkit-kernel-check.sh: the checks behind parkit_add_kernel_tests (cmake/ParkitKernelTests.cmake),
# which calls it from ctest; installed with the kit beside that module (lib/cmake/parkit/). It can be
# run by hand too:
#
#   parkit-kernel-check.sh results --model omp|mpi|hybrid --ranks R --threads T [--n N]
#       --reference PROG [--reference-launch WORD]... --program PROG [--launch WORD]...
#       --schedule S [--schedule S]... [-- KERNEL ARGS...]
#     Runs the serial reference (PROG on 1 thread, OMP_SCHEDULE=static; --reference-launch: a
#     launcher for it, when the reference is an MPI program on 1 rank), then --program once per
#     schedule, and compares each run's `result:` line with the reference's, bit for bit (the
#     line is the kernel's canonical text of its whole result). The schedule is OMP_SCHEDULE for
#     omp, --rank-schedule for mpi, both for hybrid. --launch: the words that start the program on
#     R ranks (mpi, hybrid), e.g. --launch mpiexec --launch -n --launch 3; the report must then say
#     `ranks: R` and `threads: T`, so a launcher that ignored the count cannot pass unnoticed.
#
#   parkit-kernel-check.sh exit-codes --program PROG [--launch WORD]... [--threads T] [--n N]
#       [-- KERNEL ARGS...]
#     The exit codes a user relies on: a verified run exits 0 and prints `verification: PASS`, an
#     unknown option exits 2 with one error line, --help exits 0 with the usage.
#
# Exit codes of the programs (see their --help): 0 verified, 1 verification FAIL or runtime
# failure, 2 usage error, 3 interrupted, 4 UNVERIFIED (no reference for this n: the run is good and
# its result is still compared), 5 the kernel breaks the kit's contract. A run is good when it
# exits 0 with `verification: PASS` or 4 with `verification: UNVERIFIED`.
# This script exits 0 when every check holds, 1 when one does not (one `FAIL:` line per failed
# check, naming the program, its workers, its schedule and both result texts), 2 on bad arguments.
set -euo pipefail

me=parkit-kernel-check
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die_usage() { echo "$me: $*" >&2; exit 2; }

[ "$#" -gt 0 ] || { usage >&2; exit 2; }
mode=$1; shift
case "$mode" in
  results | exit-codes) ;;
  -h | --help) usage; exit 0 ;;
  *) die_usage "unknown mode '$mode': expected results or exit-codes" ;;
esac

model="" ranks=1 threads=1 n="" program="" reference=""
launch=() reference_launch=() schedules=() kernel_args=()
need() { [ "$#" -ge 2 ] || die_usage "$1 needs a value"; }
while [ "$#" -gt 0 ]; do
  case "$1" in
    --model) need "$@"; model=$2; shift 2 ;;
    --ranks) need "$@"; ranks=$2; shift 2 ;;
    --threads) need "$@"; threads=$2; shift 2 ;;
    --n) need "$@"; n=$2; shift 2 ;;
    --program) need "$@"; program=$2; shift 2 ;;
    --reference) need "$@"; reference=$2; shift 2 ;;
    --launch) need "$@"; launch+=("$2"); shift 2 ;;
    --reference-launch) need "$@"; reference_launch+=("$2"); shift 2 ;;
    --schedule) need "$@"; schedules+=("$2"); shift 2 ;;
    --) shift; kernel_args=("$@"); break ;;
    *) die_usage "unknown option '$1' (see $0 --help)" ;;
  esac
done
[ -n "$program" ] || die_usage "--program is required"
[[ $ranks =~ ^[1-9][0-9]*$ && $threads =~ ^[1-9][0-9]*$ ]] || die_usage "--ranks and --threads are positive integers"
prog_name=$(basename "$program")

# the arguments of one measured run: one timed repeat, no warm-up (a check, not a benchmark)
run_args=(--repeat 1 --warmup 0)
if [ -z "$n" ]; then
  # the kernel's own test size (--describe's test_n: a few blocks and a short one), not its default
  # n, which may take minutes
  # (asked of the reference when there is one: an _omp program starts no MPI)
  n=$("${reference:-$program}" --describe 2>/dev/null | sed -n 's/.*"test_n": \([0-9][0-9]*\).*/\1/p')
fi
size_text="n=(default)"
if [ -n "$n" ]; then
  run_args=(--n "$n" "${run_args[@]}")
  size_text="n=$n"
fi
run_args+=(${kernel_args[@]+"${kernel_args[@]}"})

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run COMMAND...: sets out (stdout), err (stderr) and code (the exit status)
run() {
  code=0
  out=$("$@" 2>"$errfile") || code=$?
  err=$(<"$errfile")
}

# field NAME: the value of the report's first `NAME: ` line in $out ('' when absent)
field() { awk -v key="$1: " 'index($0, key) == 1 { print substr($0, length(key) + 1); exit }' <<<"$out"; }

# what a failed run said, indented under its FAIL line: its report's lines about workers,
# schedule, result and verdict (or, without a report, the end of its output), then its stderr
show_run() {
  printf '  command: %s\n' "$*"
  local keys='^(ranks|threads|omp_schedule|schedule|rank_schedule|result|verification|verification_detail): '
  if grep -q -E "$keys" <<<"$out"; then
    grep -E "$keys" <<<"$out" | sed 's/^/  | /'
  elif [ -n "$out" ]; then
    tail -n 10 <<<"$out" | sed 's/^/  | /'
  fi
  [ -z "$err" ] || tail -n 12 <<<"$err" | sed 's/^/  ! /'
}

# verdict: checks $code against the report's verification line; prints why a run is not good,
# nothing when it is.
verdict() {
  local v; v=$(field verification)
  case "$code" in
    0) [ "$v" = PASS ] || echo "exit 0 but 'verification: ${v:-(none)}' (exit 0 means PASS)" ;;
    4) [ "$v" = UNVERIFIED ] || echo "exit 4 but 'verification: ${v:-(none)}' (exit 4 means UNVERIFIED)" ;;
    1) if [ -n "$v" ]; then
         echo "exit 1: verification: $v: $(field verification_detail)"
       else
         echo "exit 1: runtime failure: $(grep -m 1 ': error: ' <<<"$err" || true)"
       fi ;;
    2) echo "exit 2: usage error: $(grep -m 1 ': error: ' <<<"$err" || true)" ;;
    3) echo "exit 3: interrupted" ;;
    5) echo "exit 5: the kernel breaks the kit's contract: $(grep -m 1 ': error: ' <<<"$err" || true)" ;;
    126 | 127) echo "exit $code: could not be started (not found or not executable)" ;;
    *) if [ "$code" -gt 128 ]; then
         echo "exit $code: killed by signal $((code - 128)) ($(kill -l $((code - 128)) 2>/dev/null || echo '?'))"
       else
         echo "exit $code: not a parkit exit code (the launcher's own failure?)"
       fi ;;
  esac
}

# result_of WHAT: the single `result:` line of a good run, in $result; '' (after a FAIL line) when
# the run was not good
result_of() {
  local what=$1 why count
  result=""
  why=$(verdict)
  if [ -n "$why" ]; then
    fail "$what, $size_text: $why"
    show_run "${cmd[@]}"
    return
  fi
  count=$(grep -c '^result: ' <<<"$out" || true)
  if [ "$count" -ne 1 ]; then
    fail "$what, $size_text: $count 'result:' lines, expected exactly 1 (only rank 0 prints)"
    show_run "${cmd[@]}"
    return
  fi
  result=$(field result)
  [ "$code" -eq 0 ] || echo "note: $what, $size_text: UNVERIFIED (exit 4); its result is still compared"
}

check_results() {
  [ -n "$reference" ] || die_usage "results: --reference is required"
  [ "${#schedules[@]}" -gt 0 ] || die_usage "results: at least one --schedule"
  case "$model" in
    omp) [ "$ranks" -eq 1 ] || die_usage "results: --model omp runs 1 rank" ;;
    mpi) [ "$threads" -eq 1 ] || die_usage "results: --model mpi runs 1 thread per rank" ;;
    hybrid) ;;
    *) die_usage "results: --model omp, mpi or hybrid" ;;
  esac
  if [ "$model" != omp ] && [ "${#launch[@]}" -eq 0 ]; then
    die_usage "results: --model $model needs --launch (the launcher for $ranks ranks)"
  fi

  local ref_what
  ref_what="$(basename "$reference") on 1 thread (the serial reference)"
  cmd=(env OMP_NUM_THREADS=1 OMP_SCHEDULE=static
       ${reference_launch[@]+"${reference_launch[@]}"} "$reference" "${run_args[@]}")
  if [ "${#reference_launch[@]}" -gt 0 ]; then # an MPI program (a kit without OpenMP): 1 rank, static
    cmd+=(--rank-schedule static)
    ref_what="$(basename "$reference") on 1 rank (the serial reference)"
  fi
  run "${cmd[@]}"
  result_of "$ref_what"
  local want=$result
  [ -n "$want" ] || exit 1
  echo "reference: $ref_what, $size_text: result: $want"

  local s what workers
  case "$model" in
    omp) workers="$threads thread$([ "$threads" -eq 1 ] || echo s)" ;;
    mpi) workers="$ranks rank$([ "$ranks" -eq 1 ] || echo s)" ;;
    hybrid) workers="$ranks ranks x $threads threads" ;;
  esac
  for s in "${schedules[@]}"; do
    # the schedule: OMP_SCHEDULE for threads, --rank-schedule for ranks, both for hybrid
    local env=(env "OMP_NUM_THREADS=$threads") opts=() sched_text
    case "$model" in
      omp) env+=("OMP_SCHEDULE=$s"); sched_text="OMP_SCHEDULE=$s" ;;
      mpi) opts=(--rank-schedule "$s"); sched_text="--rank-schedule $s" ;;
      hybrid) env+=("OMP_SCHEDULE=$s"); opts=(--rank-schedule "$s")
              sched_text="--rank-schedule $s, OMP_SCHEDULE=$s" ;;
    esac
    what="$prog_name on $workers, $sched_text"
    cmd=("${env[@]}" ${launch[@]+"${launch[@]}"} "$program" "${run_args[@]}" ${opts[@]+"${opts[@]}"})
    run "${cmd[@]}"
    result_of "$what"
    [ -n "$result" ] || continue
    # the run had the workers and the schedule it was given (a launcher or an environment that did
    # not pass them on would make the comparison prove nothing)
    local got_ranks got_threads got_sched
    got_ranks=$(field ranks) got_threads=$(field threads)
    if [ "$got_ranks" != "$ranks" ] || [ "$got_threads" != "$threads" ]; then
      fail "$what, $size_text: the report says ranks: ${got_ranks:-?}, threads: ${got_threads:-?}"
      show_run "${cmd[@]}"
      continue
    fi
    case "$model" in
      omp | hybrid) got_sched=$(field omp_schedule) ;;
      mpi) got_sched=$(field rank_schedule) ;;
    esac
    if [ "$got_sched" != "$s" ]; then
      fail "$what, $size_text: the report says schedule '${got_sched:-?}'"
      show_run "${cmd[@]}"
      continue
    fi
    if [ "$result" != "$want" ]; then
      fail "$what, $size_text: result '$result' differs from '$want' of $ref_what"
    else
      echo "ok: $what, $size_text: result: $result"
    fi
  done
}

check_exit_codes() {
  local env=(env "OMP_NUM_THREADS=$threads") launched=${#launch[@]} what why bogus=--parkit-check-no-such-option
  # 1. a verified run: exit 0 and `verification: PASS`
  cmd=("${env[@]}" ${launch[@]+"${launch[@]}"} "$program" "${run_args[@]}")
  run "${cmd[@]}"
  what="$prog_name ${run_args[*]}"
  why=$(verdict)
  if [ -n "$why" ]; then
    fail "$what: $why"
    show_run "${cmd[@]}"
  elif [ "$code" -eq 4 ]; then
    echo "note: $what: UNVERIFIED (exit 4, consistent); exit 0 + PASS needs a size the kernel can verify"
  else
    echo "ok: $what: exit 0, verification: PASS"
  fi

  # 2. an unknown option: exit 2 and one line naming it (under a launcher, the launcher's own
  #    notice of the failed job may follow on stderr: the program's lines are its ': error: ' lines)
  cmd=("${env[@]}" ${launch[@]+"${launch[@]}"} "$program" "$bogus")
  run "${cmd[@]}"
  what="$prog_name $bogus"
  local errors lines first
  first=$(grep -m 1 ': error: ' <<<"$err" || true)
  errors=$(grep -c ': error: ' <<<"$out"$'\n'"$err" || true)
  lines=$(grep -c . <<<"$err" || true)
  if [ "$code" -ne 2 ]; then
    fail "$what: exit $code, expected 2 (a usage error)"
    show_run "${cmd[@]}"
  elif [ "$errors" -ne 1 ]; then
    fail "$what: $errors lines with ': error: ', expected exactly 1"
    show_run "${cmd[@]}"
  elif [ "$launched" -eq 0 ] && [ "$lines" -ne 1 ]; then
    fail "$what: $lines lines on stderr, expected exactly 1"
    show_run "${cmd[@]}"
  elif [[ $first != *"$bogus"* ]]; then
    fail "$what: the error line on stderr does not name '$bogus'"
    show_run "${cmd[@]}"
  elif [ -n "$(field result)" ]; then
    fail "$what: a usage error that still printed a result"
    show_run "${cmd[@]}"
  else
    echo "ok: $what: exit 2, one line: $first"
  fi

  # 3. --help: exit 0, the usage on stdout
  cmd=("${env[@]}" ${launch[@]+"${launch[@]}"} "$program" --help)
  run "${cmd[@]}"
  what="$prog_name --help"
  if [ "$code" -ne 0 ]; then
    fail "$what: exit $code, expected 0"
    show_run "${cmd[@]}"
  elif ! grep -q '^usage: ' <<<"$out"; then
    fail "$what: no 'usage: ' line on stdout"
    show_run "${cmd[@]}"
  else
    echo "ok: $what: exit 0, $(grep -m 1 '^usage: ' <<<"$out")"
  fi
}

if [ "$mode" = results ]; then
  check_results
else
  check_exit_codes
fi
if [ "$failures" -gt 0 ]; then
  echo "$me: $failures check(s) failed"
  exit 1
fi
