# shellcheck shell=bash
# Shared by up/down/env/run-test: where a private test cluster keeps its files,
# and the few helpers they all need. Sourced, never run.
#
# Everything a cluster owns lives under one directory DIR:
#   DIR/slurm.conf            the cluster's only config (clients use SLURM_CONF=DIR/slurm.conf)
#   DIR/layout                "1" or "2" (nodes), written once the cluster is up
#   DIR/munge/key/            munge key and seed (0700: munged refuses a readable key dir)
#   DIR/munge/run/            munge socket (0755: clients must reach it)
#   DIR/run/                  pid files: the only handle down uses to stop daemons
#   DIR/log/ DIR/state/ DIR/spool/<node>/ DIR/tmp/<node>/
#
# Ports: slurmctld on PARKIT_SLURM_PORT_BASE (default 17000), node nK on base+K
# (so n1/n2 listen on 17001/17002). A second cluster on the same machine needs
# another base.

PARKIT_SLURM_PORT_BASE=${PARKIT_SLURM_PORT_BASE:-17000}

# Print DIR as an absolute physical path. Absolute because the daemons' command
# lines and slurm.conf must name the same path that down later matches against.
# $1: directory argument (may be empty: falls back to $PARKIT_SLURM_DIR).
# $2: "create" to create it.
cluster_dir() {
  local d=${1:-${PARKIT_SLURM_DIR:-}}
  if [[ -z $d ]]; then
    echo "error: no cluster directory: pass DIR or set PARKIT_SLURM_DIR" >&2
    return 2
  fi
  if [[ ${2:-} == create ]]; then mkdir -p -- "$d"; fi
  [[ -d $d ]] || return 1
  (cd -- "$d" && pwd -P)
}

# Node names of a layout: "n1" or "n1 n2".
layout_nodes() {
  local i out=""
  for ((i = 1; i <= $1; i++)); do out+="${out:+ }n$i"; done
  echo "$out"
}

# True if process $1 is running (zombies count as gone) and its command line
# contains $2 -- the cluster directory with a trailing '/', which every daemon we start
# names in its arguments. This guards against a stale pid reused by another process.
# (No pipes here: with pipefail, `tr | grep -q` can fail on SIGPIPE and lie.)
proc_alive() {
  local pid=$1 tag=$2 stat cmd
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"$tag"* ]]
}

# The pid in pid file $1, or nothing.
pidfile_pid() {
  local pid
  pid=$(cat -- "$1" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
  return 0
}

# True if pid file $1 names a live daemon of the cluster in directory $2.
pidfile_alive() {
  proc_alive "$(pidfile_pid "$1")" "$2/"
}

# Poll "$@" every 0.2 s until it succeeds or $1 seconds pass (bounded: never hangs).
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  while ! "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || return 1
    sleep 0.2
  done
}
