# shellcheck shell=bash
# The multi-host cases of run-test (see its header): sourced by run-test, on host head of a cluster
# made by `up DIR --hosts 2`, with run-test's helpers (submit, submit_bg, wait_bg, expect_log,
# show_logs, fail) and variables (dir, slurm, work, case_name) in scope.
# shellcheck source-path=SCRIPTDIR source=hosts.sh
source "$here/hosts.sh"
[[ $layout == hosts:* ]] || fail "$case_name needs the multi-host cluster (up DIR --hosts N), not layout $layout"

# launcher_env NAME: export what the batch scripts need to launch with NAME.
#   srun       srun --mpi=pmix (Debian's Open MPI)       srun-pmi2  srun --mpi=pmi2 (Debian's MPICH)
#   mpirun     Open MPI's mpirun                          hydra      MPICH's mpiexec.hydra
# mpirun and hydra leave ranks unbound here: the test hosts share this machine's cores, and both
# launchers bind "local rank 0 to core 0" on every host, which on real nodes are different cores but
# here is one core for all hosts (srun binds nothing in this cluster: TaskPlugin=task/none).
launcher_env() {
  case $1 in
    srun) export PARKIT_LAUNCHER=srun PARKIT_SRUN_MPI=pmix ;;
    srun-pmi2) export PARKIT_LAUNCHER=srun PARKIT_SRUN_MPI=pmi2 ;;
    mpirun | hydra) export PARKIT_LAUNCHER=$1 PARKIT_MPIRUN_BIND=none ;;
    *) fail "unknown launcher '$1' (srun, srun-pmi2, mpirun, hydra)" ;;
  esac
}
# step NAME NODES RANKS PROG ARGS...: one job step across hosts, launched as launcher NAME would,
# directly from head (an interactive allocation, as a user tries things before scripting them).
step() {
  local name=$1 nodes=$2 ranks=$3
  shift 3
  case $name in
    srun | srun-pmi2)
      local mpi=pmix
      [[ $name == srun ]] || mpi=pmi2
      timeout 120 srun --time=2 -N "$nodes" -n "$ranks" --mpi="$mpi" "$@"
      ;;
    hydra) timeout 120 salloc --time=2 -N "$nodes" -n "$ranks" mpiexec.hydra -n "$ranks" -bind-to none "$@" ;;
    *) fail "step: unknown launcher '$name'" ;;
  esac
}
# The state of job $1 (PENDING, RUNNING, ...), or nothing once Slurm has forgotten it.
job_state() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
node_state() { scontrol -o show node "$1" 2>/dev/null | sed -n 's/.* State=\([A-Z_+*]*\).*/\1/p'; }
# A requeued job waits for its begin time (Slurm holds it back about 2 minutes); release it at once,
# as an admin may.
release_when_held() {
  local id=$1 i
  for ((i = 0; i < 600; i++)); do
    if [[ $(squeue -h -j "$id" -o %r 2>/dev/null) == BeginTime ]]; then
      scontrol update JobId="$id" StartTime=now && return 0
    fi
    [[ $(job_state "$id") != RUNNING || $i -lt 5 ]] || return 0 # running again already
    sleep 0.2
  done
  return 1
}
# wait_ckpt FILE LOG: until FILE exists and LOG shows progress (the job is well into its run).
wait_running_with_ckpt() {
  local file=$1 i log
  for ((i = 0; i < 600; i++)); do
    for log in parkit-mpi-*.out; do
      [[ -e $log && -e $file ]] && grep -q 'progress:' "$log" && return 0
    done
    sleep 0.1
  done
  return 1
}
# The last progress percentage printed in log $1.
last_percent() { grep -o '[0-9.]*% of' "$1" | tail -n 1 | cut -d% -f1; }
# A long checkpointing job across both hosts: the exact sum of 0..5e11-1 (about 7 s on 2 cores), a
# checkpoint every second, requeued by Slurm when a node fails (--requeue). --nodes=1-2
# --spread-job: both hosts while both are up, the one left after a loss.
long_job() {
  local name=$1 prog=$2 ckpt=$3
  launcher_env srun
  PARKIT_CHECKPOINT=$ckpt submit_bg "$name" 0 --requeue --open-mode=append --nodes=1-2 --ntasks=2 --spread-job \
    "$slurm/mpi.sbatch" "$prog" --n 5e11 --repeat 1 --warmup 0 --progress --checkpoint-every 1
}
sum_5e11=124999999999750000000000
# fault_then_resume NAME VERB: NAME's job loses host n2 by VERB (kill-node or cut-node); the job must
# end within the bound, be requeued by Slurm, resume from its checkpoint on the host left and print
# the exact sum.
fault_then_resume() {
  local name=$1 verb=$2 prog=$3 ckpt=$work/$1.ckpt log id t0 t1 before state
  long_job "$name" "$prog" "$ckpt"
  wait_running_with_ckpt "$ckpt" || fail "$name: the job never wrote its first checkpoint"
  sleep 1.5 # past the checkpoint: work that the loss will cost
  log=$(ls parkit-mpi-*.out)
  id=${log#parkit-mpi-}
  id=${id%.out}
  before=$(last_percent "$log")
  t0=$(date +%s.%N)
  written=$(date -r "$ckpt" +%s.%N) # the last checkpoint before the loss: what it will cost
  "$here/$verb" "$dir" n2 || fail "$verb n2 failed"
  # Bound: SlurmdTimeout (5 s) for the node to be declared dead, plus a ping cycle and the kill.
  for ((i = 0; i < 300; i++)); do
    state=$(job_state "$id")
    [[ $state == RUNNING ]] || break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  [[ $state != RUNNING ]] || fail "$name: job $id still running 30 s after $verb n2"
  echo "$name: $verb n2 at ${before}% (last progress line), $(awk -v a="$written" -v b="$t0" 'BEGIN { printf "%.2f", b - a }') s" \
       "after the last checkpoint; job $id left RUNNING $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" \
       "after the loss (state $state, n2 $(node_state n2))"
  release_when_held "$id" || fail "$name: job $id was not requeued"
  wait_bg "$name"
  expect_log "$id" 'requeue|NODE_FAIL|Node failure|restart 1' "no trace of the requeue in the log"
  expect_log "$id" 'checkpoint .* \(restart [1-9]\)' "the job did not run again after the loss"
  expect_log "$id" 'resumed_blocks: [1-9]' "the second attempt did not resume from the checkpoint"
  expect_log "$id" "result: $sum_5e11" "not the exact sum of 0..5e11-1"
  expect_log "$id" 'verification: PASS' "the resumed run did not verify"
  local resumed total
  resumed=$(sed -n 's/^resumed_blocks: //p' "$log" | tail -n 1)
  total=$(sed -n 's/^blocks: //p' "$log" | tail -n 1)
  awk -v n="$name" -v r="$resumed" -v t="$total" -v b="$before" \
    'BEGIN { printf "%s: resumed at block %d of %d (%.1f%%; last progress line before the loss: %.1f%%)\n", n, r, t, 100 * r / t, b }' 
}
# n2 back in service (idle) for the cases after this one.
revive_n2() {
  "$here/revive-node" "$dir" n2 || fail "revive-node n2 failed"
  for ((i = 0; i < 300; i++)); do
    [[ $(node_state n2) == IDLE ]] && return 0
    sleep 0.1
  done
  fail "n2 not idle 30 s after revive-node (state $(node_state n2))"
}

case $case_name in
  two-nodes)
    launcher=${1:?srun|srun-pmi2|mpirun|hydra} prog=${2:?PI_MPI}
    # README's command, 8 ranks as 4 per host. Each rank names the host it runs on before becoming
    # the program (exec keeps the process that the launcher started, so MPI still sees its rank).
    tag='echo "rank on host $(hostname)"; exec "$0" "$@"'
    launcher_env "$launcher"
    submit job 0 --nodes=2 --ntasks=8 "$slurm/mpi.sbatch" /bin/sh -c "$tag" "$prog" --n 1e9
    expect_log "$job_job" 'verification: PASS' "program did not verify"
    expect_log "$job_job" 'nodes=n\[1-2\]' "allocation is not n1+n2"
    expect_log "$job_job" 'ranks: 8' "not 8 ranks"
    expect_log "$job_job" 'hosts: n1,n2' "the report does not name both hosts"
    [[ $(grep -c 'on host n1$' ./*-"$job_job".out) -eq 4 && $(grep -c 'on host n2$' ./*-"$job_job".out) -eq 4 ]] ||
      { show_logs "$job_job"; fail "job $job_job: not 4 ranks on each host"; }
    # the default schedule claims across hosts: no fallback to static
    expect_log "$job_job" '^rank_schedule: guided$' "the default schedule is not guided across hosts"
    if grep -qE 'rank_schedule_requested|needs one-sided' ./*-"$job_job".out; then
      show_logs "$job_job"; fail "the rank schedule fell back to static across hosts"
    fi
    ;;

  hosts-hybrid)
    launcher=${1:?srun|srun-pmi2|mpirun|hydra} prog=${2:?SUM_HYBRID}
    launcher_env "$launcher"
    submit hybrid 0 --nodes=2 --ntasks-per-node=2 --cpus-per-task=2 "$slurm/hybrid.sbatch" "$prog" --n 1e9
    expect_log "$job_hybrid" 'verification: PASS' "program did not verify"
    expect_log "$job_hybrid" 'ranks: 4' "not 4 ranks"
    expect_log "$job_hybrid" '^threads: 2' "not 2 threads per rank"
    # the placement report: 2 hosts, 2 shared-memory groups (ranks of different groups can only
    # talk over the network), 2 ranks x 2 threads on each host
    expect_log "$job_hybrid" '# host_count: 2' "the placement report does not see 2 hosts"
    expect_log "$job_hybrid" '# shared_memory_groups: 2' "the placement report does not see 2 shared-memory groups"
    for h in n1 n2; do
      [[ $(grep -cE "^ +$h +[0-3] +[01] +[0-9]+ " ./*-"$job_hybrid".out) -eq 4 ]] ||
        { show_logs "$job_hybrid"; fail "job $job_hybrid: not 2 ranks x 2 threads on $h in the placement table"; }
    done
    ;;

  transport)
    prog=${1:?PINGPONG_MPI}
    # Shared memory (Open MPI's vader) joins ranks of one host only; between hosts the only way is
    # the network (tcp). Restricted to shared memory, the 2-host ping-pong must fail; with tcp it
    # passes; on one host shared memory alone suffices.
    args=(--max-size 64Ki --iterations 100 --repeat 1)
    rc=0
    out=$(OMPI_MCA_btl=self,vader step srun 2 2 "$prog" "${args[@]}" 2>&1) || rc=$?
    ((rc != 0 && rc != 124)) || { echo "$out"; fail "2 hosts over shared memory alone: exit $rc, expected a failure (not a hang)"; }
    grep -qiE 'unable to reach|unreachable|cannot reach' <<<"$out" || { echo "$out"; fail "2 hosts over shared memory alone: no 'unreachable' diagnosis"; }
    # (one host has one CPU here: two busy-polling ranks take turns on it, so few small messages)
    OMPI_MCA_btl=self,vader step srun 1 2 "$prog" --max-size 8 --iterations 10 --repeat 1 >one-host.out 2>&1 ||
      { cat one-host.out; fail "one host over shared memory failed"; }
    OMPI_MCA_btl=self,vader,tcp step srun 2 2 "$prog" "${args[@]}" >two-hosts.out 2>&1 ||
      { cat two-hosts.out; fail "2 hosts over tcp failed"; }
    grep -q 'verification: PASS' two-hosts.out || { cat two-hosts.out; fail "2 hosts over tcp did not verify"; }
    grep -q 'verification: PASS' one-host.out || { cat one-host.out; fail "one host over shared memory did not verify"; }
    echo "two hosts over tcp (one-way latency, us):"
    grep -E '^ +(0|8|1024|65536) ' two-hosts.out || true
    ;;

  schedules)
    launcher=${1:?srun|srun-pmi2|hydra} prog=${2:?MANDEL_MPI}
    # Every rank schedule across 2 hosts: on-demand ones without falling back, and all give the same
    # bits (mandel's result is the exact iteration count and the area).
    first=
    for s in default dynamic,4 guided,2 static; do
      opt=()
      [[ $s == default ]] || opt=(--rank-schedule "$s")
      step "$launcher" 2 2 "$prog" --repeat 1 --warmup 0 "${opt[@]}" >"sched-$s.out" 2>&1 ||
        { cat "sched-$s.out"; fail "schedule $s across 2 hosts failed"; }
      grep -q 'verification: PASS' "sched-$s.out" || { cat "sched-$s.out"; fail "schedule $s: no PASS"; }
      if grep -qE 'rank_schedule_requested|needs one-sided' "sched-$s.out"; then
        cat "sched-$s.out"; fail "schedule $s fell back to static across hosts"
      fi
      grep -q '^hosts: n1,n2' "sched-$s.out" || { cat "sched-$s.out"; fail "schedule $s: not on n1 and n2"; }
      result=$(grep '^result:' "sched-$s.out")
      [[ -n $result ]] || fail "schedule $s: no result line"
      [[ -z $first || $result == "$first" ]] || fail "schedule $s: '$result' differs from '$first'"
      first=$result
      echo "$s: $(grep -E '^(rank_schedule|rank_imbalance|time_median_s):' "sched-$s.out" | tr '\n' ' ')"
    done
    grep -q '^rank_schedule: guided$' sched-default.out || fail "the default schedule is not guided"
    ;;

  node-kill)
    prog=${1:?SUM_MPI}
    # n2 loses power mid-job (cable first, then every process: no RST reaches n1). Slurm declares it
    # dead, kills the job's remains on n1 and requeues it; it resumes on n1 alone.
    fault_then_resume kill kill-node "$prog"
    revive_n2
    ;;

  node-cut)
    prog=${1:?SUM_MPI}
    # n2 is cut off for longer than the timeouts, its processes alive: the job must end on n1's side
    # (requeued, resumed on n1), and once the cable is back nothing of it may be left on n2 (Slurm
    # tells n2's slurmd to kill the job's remains when the node registers again).
    fault_then_resume cut cut-node "$prog"
    "$here/heal-node" "$dir" n2
    ns=$(hosts_ns "$dir" n2)
    ranks_on_n2() {
      local p
      for p in $(ip netns pids "$ns"); do
        if proc_alive "$p" "$(basename -- "$prog")"; then echo "$p"; fi
      done
    }
    left=
    for ((i = 0; i < 300; i++)); do
      left=$(ranks_on_n2)
      [[ -n $left ]] || break
      sleep 0.1
    done
    [[ -z $left ]] || fail "ranks still running on n2 30 s after heal-node: $left"
    echo "cut: no rank left on n2 $(awk -v i="$i" 'BEGIN { printf "%.1f", i / 10 }') s after heal-node"
    for ((i = 0; i < 300; i++)); do [[ $(node_state n2) == IDLE ]] && break; sleep 0.1; done
    [[ $(node_state n2) == IDLE ]] || fail "n2 not back in service after heal-node (state $(node_state n2))"
    ;;

  node-blip)
    prog=${1:?SUM_MPI}
    # n2 cut off for 1 s, well inside the timeouts: TCP retransmits what was lost and the job
    # survives, no requeue.
    ckpt=$work/blip.ckpt
    long_job blip "$prog" "$ckpt"
    wait_running_with_ckpt "$ckpt" || fail "blip: the job never wrote its first checkpoint"
    "$here/cut-node" "$dir" n2
    sleep 1
    "$here/heal-node" "$dir" n2
    wait_bg blip
    expect_log "$job_blip" "result: $sum_5e11" "not the exact sum of 0..5e11-1"
    expect_log "$job_blip" 'verification: PASS' "the run did not verify"
    if grep -q 'restart 1' ./*-"$job_blip".out; then fail "the job was requeued after a 1 s blip"; fi
    ;;

  ckpt-unwritable)
    prog=${1:?SUM_MPI}
    # The checkpoint directory is node-local scratch on n1 (rank 0's host) and turns read-only
    # mid-job: one clear line, exit 1, and the previous checkpoint intact (a resume from it is exact).
    scratch=$work/scratch
    mkdir -p "$scratch"
    in_host "$dir" n1 mount -t tmpfs -o size=1m tmpfs-parkit-scratch "$scratch" || fail "cannot mount n1's scratch"
    trap 'in_host "$dir" n1 umount "$scratch" 2>/dev/null || true' EXIT
    ckpt=$scratch/run.ckpt
    launcher_env srun
    PARKIT_CHECKPOINT=$ckpt PARKIT_REQUEUE=0 submit_bg ro 1 --nodes=2 --ntasks=2 \
      "$slurm/mpi.sbatch" "$prog" --n 5e11 --repeat 1 --warmup 0 --progress --checkpoint-every 1
    for ((i = 0; i < 600; i++)); do
      in_host "$dir" n1 test -s "$ckpt" && break
      sleep 0.1
    done
    # (a remount fails while a file there is open for writing: the checkpoint's temporary file lives
    # a few milliseconds each second, so a few tries)
    for ((i = 0; i < 40; i++)); do
      in_host "$dir" n1 mount -o remount,ro "$scratch" 2>/dev/null && break
      sleep 0.05
    done
    ((i < 40)) || fail "cannot make n1's scratch read-only"
    wait_bg ro
    expect_log "$job_ro" "checkpoint '$ckpt': cannot create its temporary file: Read-only file system" \
      "no clear line about the unwritable checkpoint directory"
    [[ $(grep -c "^$(basename -- "$prog"): error:" ./*-"$job_ro".out) -eq 1 ]] ||
      { show_logs "$job_ro"; fail "not exactly one error line from the program"; }
    in_host "$dir" n1 mount -o remount,rw "$scratch"
    launcher_env srun
    PARKIT_CHECKPOINT=$ckpt submit again 0 --nodes=2 --ntasks=2 \
      "$slurm/mpi.sbatch" "$prog" --n 5e11 --repeat 1 --warmup 0 --checkpoint-every 1
    expect_log "$job_again" 'resumed_blocks: [1-9]' "the previous checkpoint was not resumed"
    expect_log "$job_again" "result: $sum_5e11" "not the exact sum after resuming the previous checkpoint"
    ;;

  node-local-dir)
    prog=${1:?SUM_MPI}
    # The checkpoint's directory exists on n1 only (node-local scratch): the check on n2 fails, and
    # every rank ends with exit 2 and one line that names rank 1, before any work (no rank waits).
    scratch=$work/scratch
    mkdir -p "$scratch"
    in_host "$dir" n1 sh -c "mount -t tmpfs -o size=1m tmpfs-parkit-local '$scratch' && mkdir '$scratch/only-on-n1'" ||
      fail "cannot make n1's scratch"
    trap 'in_host "$dir" n1 umount "$scratch" 2>/dev/null || true' EXIT
    launcher_env srun
    PARKIT_CHECKPOINT=$scratch/only-on-n1/run.ckpt PARKIT_REQUEUE=0 submit local 2 --nodes=2 --ntasks=2 \
      "$slurm/mpi.sbatch" "$prog" --n 1e12
    expect_log "$job_local" "rank 1: --checkpoint: cannot write '$scratch/only-on-n1/run.ckpt'" \
      "no line naming rank 1's missing directory"
    [[ $(grep -c "^$(basename -- "$prog"): error:" ./*-"$job_local".out) -eq 1 ]] ||
      { show_logs "$job_local"; fail "not exactly one error line from the program"; }
    if grep -q '^result:' ./*-"$job_local".out; then fail "the job computed despite the missing directory"; fi
    ;;

  *) echo "run-test: unknown case '$case_name'" >&2; exit 2 ;;
esac
