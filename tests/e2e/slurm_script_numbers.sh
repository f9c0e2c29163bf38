#!/usr/bin/env bash
# Every slurm/*.sbatch refuses a Slurm variable that is not a plain number before any arithmetic:
# bash evaluates a value like 'PWD[$(cmd)]' inside (( )) and would run cmd. Each script runs
# outside Slurm (as `bash script`) with one hostile value at a time; it must exit 2 with one line
# naming the variable, and the command in the value must not have run.
# Usage: slurm_script_numbers.sh SLURM_DIR PROGRAM WORKDIR
set -euo pipefail
slurm=${1:?SLURM_DIR} prog=${2:?PROGRAM} work=${3:?WORKDIR}
mkdir -p -- "$work"
canary=$work/injected
status=0
check() { # SCRIPT VAR
  local script=$1 var=$2 out rc=0
  rm -f -- "$canary"
  out=$(env -u SLURM_JOB_ID "$var=PWD[\$(touch $canary)]" bash "$slurm/$script" "$prog" --n 10 2>&1 >/dev/null) || rc=$?
  if ((rc != 2)) || [[ -e $canary ]] || [[ $out != "error: $var="*" is not a number" ]] || [[ $out == *$'\n'* ]]; then
    echo "FAIL: $script with a hostile $var: exit $rc, command ran: $([[ -e $canary ]] && echo yes || echo no), stderr: $out"
    status=1
  else
    echo "ok: $script refuses a hostile $var"
  fi
}
for script in omp.sbatch mpi.sbatch hybrid.sbatch scaling.sbatch; do
  for var in SLURM_CPUS_PER_TASK SLURM_NTASKS SLURM_ARRAY_TASK_ID SLURM_RESTART_COUNT SLURM_TASKS_PER_NODE; do
    check "$script" "$var"
  done
done
# Run by hand outside an allocation, the MPI scripts say so in one line (exit 2), for each launcher.
for script in mpi.sbatch hybrid.sbatch; do
  for launcher in srun mpirun hydra; do
    rc=0
    out=$(env -u SLURM_NTASKS -u SLURM_TASKS_PER_NODE -u SLURM_JOB_ID PARKIT_LAUNCHER=$launcher \
      bash "$slurm/$script" "$prog" --n 10 2>&1 >/dev/null) || rc=$?
    if ((rc != 2)) || [[ $out != "error: no Slurm allocation here"* ]] || [[ $out == *$'\n'* ]]; then
      echo "FAIL: $script with $launcher outside Slurm: exit $rc, stderr: $out"
      status=1
    else
      echo "ok: $script with $launcher outside Slurm says so"
    fi
  done
done
exit "$status"
