# shellcheck shell=bash
# The hosts of a multi-host test cluster (up DIR --hosts N): each host is one "holder" process
# (sleep) that owns a network, UTS and mount namespace of its own, so the host has its own name
# (head, n1..nN), its own /dev/shm (a private tmpfs), its own /etc/hosts (a bind mount of
# DIR/hosts) and its own address. Daemons are started inside a host with in_host, and inherit all
# three. Sourced by up/down/the node commands, never run; needs common.sh first.
#
# The network: a bridge inside the head's namespace, one veth pair per node created directly
# between head's namespace and the node's, so no link and no address ever appears in the root
# namespace, and nothing can leave the machine. Addresses (10.254.77.0/24: head .1, nK .(10+K))
# exist only inside these namespaces, so two clusters on one machine do not see each other.
# Names: every namespace is "<tag>-<host>", tag derived from DIR, and down removes exactly those.
# The facts behind this recipe (and its pitfalls) are in ../shared/research/multi-host-cluster.md
# of the project's notes and in slurm/README.md.

HOSTS_SUBNET=10.254.77
HOSTS_PREFIX=24

# Namespace tag of the cluster in DIR: "pk" + 8 hex digits of the path's hash (short, because
# interface and namespace names are limited, and unique per directory).
hosts_tag() {
  local sum
  sum=$(printf '%s' "$1" | sha1sum)
  echo "pk${sum:0:8}"
}
hosts_ns() { echo "$(hosts_tag "$1")-$2"; }

# Address of host $1 (head, n1, n2, ...).
host_addr() {
  if [[ $1 == head ]]; then echo "$HOSTS_SUBNET.1"; else echo "$HOSTS_SUBNET.$((10 + ${1#n}))"; fi
}

# The holder pid of host $2 in cluster $1, if it is alive and really in that host's network
# namespace (a pid file alone could name a reused pid).
holder_pid() {
  local dir=$1 host=$2 pid ns
  pid=$(pidfile_pid "$dir/run/hold-$host.pid")
  [[ -n $pid ]] || return 1
  ns=/run/netns/$(hosts_ns "$dir" "$host")
  [[ -e $ns && -e /proc/$pid/ns/net ]] || return 1
  [[ $(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) == $(stat -L -c %i "$ns" 2>/dev/null) ]] || return 1
  proc_alive "$pid" "sleep" || return 1
  echo "$pid"
}

# in_host DIR HOST CMD...: run CMD in that host's network, UTS and mount namespaces.
# (Not `ip netns exec`: it makes a fresh mount namespace with a new /sys, and would give the
# command neither the host's name nor its /dev/shm.)
in_host() {
  local dir=$1 host=$2 pid
  shift 2
  pid=$(holder_pid "$dir" "$host") || { echo "error: host $host of $dir is not running" >&2; return 1; }
  # --wd: else the cwd becomes /; taskset: the host's CPUs, which nsenter alone would not give
  taskset -c "$(host_cpus "$host")" nsenter -t "$pid" --net --uts --mount --wd="$PWD" -- "$@"
}

# The CPUs of host $1: node nK gets CPU (K-1) mod (CPUs of this machine), as real nodes have cores
# of their own, so that a launcher binding "local rank 0 to core 0" on every node does not stack
# all nodes' ranks on one core. With more nodes than CPUs, nodes share. head: every CPU.
host_cpus() {
  local all
  all=$(nproc --all)
  if [[ $1 == head ]]; then echo "0-$((all - 1))"; else echo "$(((${1#n} - 1) % all))"; fi
}

# Start the holder of host $2: name, /dev/shm, /etc/hosts and CPUs of its own. Returns when its
# pid file exists (bounded).
start_holder() {
  local dir=$1 host=$2 ns
  ns=$(hosts_ns "$dir" "$host")
  rm -f -- "$dir/run/hold-$host.pid"
  # --propagation private: the mounts below stay inside this host. setsid: the holder outlives
  # the shell that started it and ignores its terminal's signals. taskset: every process of the
  # host inherits its CPUs.
  setsid taskset -c "$(host_cpus "$host")" nsenter --net="/run/netns/$ns" unshare --uts --mount --propagation private sh -c '
    set -e
    hostname "$1"
    mount -t tmpfs -o size=256m,mode=1777 "shm-$1" /dev/shm
    mount --bind "$2/hosts" /etc/hosts
    echo $$ >"$2/run/hold-$1.pid.new"
    mv "$2/run/hold-$1.pid.new" "$2/run/hold-$1.pid"
    exec sleep infinity' holder "$host" "$dir" </dev/null >>"$dir/log/holder-$host.log" 2>&1 &
  holder_up() { holder_pid "$dir" "$host" >/dev/null; }
  wait_for 10 holder_up
}

# Create the namespaces and links of hosts head, n1..nN; start their holders.
hosts_create() {
  local dir=$1 count=$2 head host k
  head=$(hosts_ns "$dir" head)
  {
    echo "127.0.0.1 localhost"
    echo "$(host_addr head) head"
    for ((k = 1; k <= count; k++)); do echo "$(host_addr "n$k") n$k"; done
  } >"$dir/hosts"
  for host in head $(layout_nodes "$count"); do
    ip netns add "$(hosts_ns "$dir" "$host")" || return 1
    ip -n "$(hosts_ns "$dir" "$host")" link set lo up || return 1
  done
  ip -n "$head" link add br0 type bridge || return 1
  ip -n "$head" link set br0 up || return 1
  ip -n "$head" addr add "$(host_addr head)/$HOSTS_PREFIX" dev br0 || return 1
  for host in $(layout_nodes "$count"); do
    # created across the two namespaces at once: the pair never exists in the root namespace
    ip -n "$head" link add "v-$host" type veth peer name eth0 netns "$(hosts_ns "$dir" "$host")" || return 1
    ip -n "$head" link set "v-$host" master br0 up || return 1
    ip -n "$(hosts_ns "$dir" "$host")" addr add "$(host_addr "$host")/$HOSTS_PREFIX" dev eth0 || return 1
    ip -n "$(hosts_ns "$dir" "$host")" link set eth0 up || return 1
  done
  for host in head $(layout_nodes "$count"); do
    start_holder "$dir" "$host" || return 1
  done
}

# The namespaces of this cluster that exist now (head and nodes).
hosts_existing() {
  local tag line
  tag=$(hosts_tag "$1")
  while read -r line _; do
    [[ $line == "$tag"-* ]] && echo "$line"
  done < <(ip netns list 2>/dev/null)
  return 0
}

# Every process in namespace $1: KILL (power loss) or TERM then KILL. Zombies count as gone.
kill_ns_processes() {
  local ns=$1 sig=$2 pid
  local -a pids
  mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
  ((${#pids[@]})) || return 0
  kill "-$sig" "${pids[@]}" 2>/dev/null || true
  ns_empty() {
    local p
    for p in $(ip netns pids "$ns" 2>/dev/null); do
      proc_alive "$p" "" && return 1
    done
    return 0
  }
  if ! wait_for 10 ns_empty && [[ $sig != KILL ]]; then
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
    ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
    wait_for 5 ns_empty
  fi
}

# Remove every namespace of the cluster in DIR (and with them the bridge and the veth pairs),
# after stopping whatever still runs inside. Leaves /run/netns itself alone.
hosts_remove() {
  local dir=$1 ns status=0
  for ns in $(hosts_existing "$dir"); do
    kill_ns_processes "$ns" TERM || status=1
    ip netns del "$ns" || status=1
  done
  rm -f -- "$dir"/run/hold-*.pid
  return "$status"
}

# The bridge side of node $2's cable: down = unplugged (packets vanish, no RST reaches anyone).
node_link() {
  ip -n "$(hosts_ns "$1" head)" link set "v-$2" "$3"
}
