#!/usr/bin/env bash
# A throw-away one-node Slurm cluster on localhost, for CI tests of `genlab slurm`.
#
#   .ci/slurm-cluster.sh install              apt-get install slurm-wlm + munge (idempotent)
#   .ci/slurm-cluster.sh start DIR            private munged + slurmctld + slurmd, all under DIR;
#                                             prints `export SLURM_CONF=DIR/slurm.conf`
#   .ci/slurm-cluster.sh stop DIR             stops the daemons recorded in DIR/*.pid
#   .ci/slurm-cluster.sh wait-jobs DIR ID...  waits until the jobs have left the queue, prints
#                                             one line per job (array task): ID STATE EXITCODE
#
# Everything the cluster needs lives under DIR (config, munge key and socket, state, spool,
# logs, pid files); nothing in /etc is read or written apart from what the packages install.
# No systemd: the daemons are plain background processes whose pids are recorded in DIR.
# Must run as root (slurmd has to be root to start jobs). See .ci/slurm-cluster.md.
#
# Environment knobs:
#   SLURM_START_TIMEOUT  seconds `start` waits for the node to become idle      (default 60)
#   SLURM_WAIT_TIMEOUT   seconds `wait-jobs` waits for the jobs to finish       (default 600)
#   SLURM_STOP_TIMEOUT   seconds `stop` waits after TERM before it sends KILL   (default 10)
#   SLURM_NODE_NAME      the node's name                            (default: hostname -s)
#
# wait-jobs exits 0 when every job (every array task) COMPLETED, 3 when one ended in another
# state (FAILED, CANCELLED, TIMEOUT ...), 2 when the timeout came first, 1 on other errors.
set -euo pipefail

PROG=$(basename "$0")
DAEMONS="slurmd slurmctld munged" # stop order: the reverse of the start order

die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//p;}' "$0" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

# abs_dir DIR: DIR as an absolute path (DIR need not exist yet).
abs_dir() {
  case "$1" in
    /*) printf '%s\n' "${1%/}" ;;
    *) printf '%s\n' "$PWD/${1%/}" ;;
  esac
}

# alive PID: true if PID is a running process (zombies count as gone).
alive() {
  local state
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] && [ "$state" != X ]
}

# read_pid DIR NAME: the pid recorded in DIR/NAME.pid, or nothing.
read_pid() {
  if [ -f "$1/$2.pid" ]; then tr -dc '0-9' <"$1/$2.pid"; fi
}

# listening_ports: every TCP port something listens on (IPv4 and IPv6), one per line, decimal.
# Read from /proc so that neither ss nor netstat is needed.
listening_ports() {
  local f
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    # field 2 is ADDRESS:PORT in hex, field 4 the state; 0A = LISTEN
    awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' "$f"
  done | while read -r hex; do printf '%d\n' "0x$hex"; done | sort -un
}

# free_port START USED...: the first port >= START that nothing listens on and not in USED.
free_port() {
  local port=$1 busy
  shift
  busy=" $(listening_ports | tr '\n' ' ') $* "
  while [ "$port" -lt 65535 ]; do
    case "$busy" in
      *" $port "*) port=$((port + 1)) ;;
      *) echo "$port"; return 0 ;;
    esac
  done
  die "no free TCP port above $1"
}

# show_logs DIR: the tail of each daemon's log, for error messages. slurmctld and slurmd write
# their log files and, running in the foreground, the same lines to stderr (NAME.out); the .out
# is shown only where the log file is empty (the daemon died before opening it). munged logs
# to stderr only.
show_logs() {
  local name f
  for name in munged slurmctld slurmd; do
    f="$1/log/$name.log"
    [ -s "$f" ] || f="$1/log/$name.out"
    [ -s "$f" ] || continue
    echo "----- $f (last 20 lines) -----" >&2
    tail -n 20 "$f" >&2
  done
}

# ---------------------------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------------------------
cmd_install() {
  [ "$(id -u)" = 0 ] || die "install must run as root"
  local need=""
  for cmd in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$cmd" >/dev/null 2>&1 || need=yes
  done
  if [ -z "$need" ]; then
    echo "$PROG: slurm and munge are already installed"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Keep package scripts from starting the distribution's munge/slurm services: they would use
  # /etc's (absent) configuration, and on machines with a real init they would hold the default
  # ports. The standard way is a policy-rc.d that answers 101 ("action forbidden"); install a
  # temporary one unless the machine already has one (Docker images usually do).
  local policy=/usr/sbin/policy-rc.d temp_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    temp_policy=yes
  fi
  # Refresh the package lists only when they are missing (a fresh image has none) or when the
  # install fails on stale lists.
  local lock=(-o DPkg::Lock::Timeout=300) pkgs=(slurm-wlm munge) status=0
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    apt-get update -qq "${lock[@]}"
  fi
  # --no-install-recommends: slurm-wlm recommends ~30 extra plugin and -dev packages (hdf5,
  # influxdb, ipmi, rocm ...); every plugin this cluster uses is in slurm-wlm-basic-plugins,
  # a hard dependency of slurmd/slurmctld/slurm-client.
  apt-get install -y -qq --no-install-recommends "${lock[@]}" "${pkgs[@]}" >/dev/null ||
    { apt-get update -qq "${lock[@]}" &&
        apt-get install -y -qq --no-install-recommends "${lock[@]}" "${pkgs[@]}" >/dev/null; } ||
    status=$?
  [ -z "$temp_policy" ] || rm -f "$policy"
  [ "$status" = 0 ] || die "apt-get install ${pkgs[*]} failed"
  echo "$PROG: installed ${pkgs[*]}"
}

# ---------------------------------------------------------------------------------------------
# start DIR
# ---------------------------------------------------------------------------------------------

# spawn DIR NAME COMMAND...: runs COMMAND in the background, detached from this shell's
# session, with stdin closed and stdout/stderr appended to DIR/log/NAME.out, and records its
# pid in DIR/NAME.pid. The daemons are started in their foreground modes so that $! is the
# daemon itself (setsid does not fork here: a background job of a non-interactive shell is not
# a process-group leader).
spawn() {
  local dir=$1 name=$2
  shift 2
  setsid "$@" </dev/null >>"$dir/log/$name.out" 2>&1 &
  echo $! >"$dir/$name.pid"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds; false on timeout.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# node_hardware: the NodeName line's hardware part, exactly as slurmd detects it (so the node is
# never drained for "Low socket*core*thread count" or "Low RealMemory"); falls back on nproc
# and /proc/meminfo.
node_hardware() {
  local line
  line=$(slurmd -C 2>/dev/null | head -n 1 | sed -n 's/^NodeName=[^ ]* //p')
  if [ -z "$line" ]; then
    line="CPUs=$(nproc) RealMemory=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
  fi
  echo "$line"
}

cmd_start() {
  [ $# = 1 ] || usage
  [ "$(id -u)" = 0 ] || die "start must run as root (slurmd launches jobs with setuid)"
  for cmd in munged mungekey slurmctld slurmd sinfo; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found; run '$PROG install' first"
  done
  local dir
  dir=$(abs_dir "$1")

  # Unix socket paths are limited to 107 bytes; munged's socket and the per-step sockets slurmd
  # creates in its spool directory (e.g. spool/<node>_<jobid>.4294967292) live under DIR.
  [ "${#dir}" -le 60 ] || die "DIR path is ${#dir} characters; keep it under 61 (unix socket paths are limited), e.g. mktemp -d /tmp/slurm.XXXXXX"

  # DIR must be new, empty, or a stopped cluster from an earlier start (which is wiped).
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    [ -f "$dir/.genlab-slurm-cluster" ] || die "$dir exists, is not empty and is not a cluster directory"
    for name in $DAEMONS; do
      ! alive "$(read_pid "$dir" "$name")" || die "a cluster is still running in $dir; run '$PROG stop $dir' first"
    done
    rm -rf "${dir:?}/log" "$dir/state" "$dir/spool" "$dir/munge" "$dir"/*.pid "$dir/slurm.conf"
  fi
  mkdir -p "$dir"
  # mktemp -d makes 0700 directories; open DIR up so that jobs of other users (not root) could
  # still reach munged's socket and slurm.conf.
  chmod 755 "$dir"
  touch "$dir/.genlab-slurm-cluster"
  mkdir -p "$dir/log" "$dir/state" "$dir/spool" "$dir/munge"

  # --- munge: a private key, socket, pid file and seed, so /etc/munge and /run/munge are not
  # needed and a system munged (if any) is left alone. In the foreground munged logs to
  # stderr, i.e. to log/munged.out.
  local sock="$dir/munge/munge.socket"
  mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null ||
    { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null &&
        chmod 600 "$dir/munge/munge.key"; }
  # --force: munged refuses to start when any ancestor of its key, socket, pid or seed file is
  # group/other-writable without the sticky bit (a CI workspace often is); --force turns those
  # errors into warnings.
  spawn "$dir" munged munged --foreground --force \
    --key-file="$dir/munge/munge.key" --socket="$sock" \
    --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed"
  if ! wait_for 15 test -S "$sock"; then
    show_logs "$dir"
    die "munged did not create its socket $sock"
  fi

  # --- slurm.conf
  local node ctld_port slurmd_port hardware
  node=${SLURM_NODE_NAME:-$(hostname -s 2>/dev/null || true)}
  # A node name must be a plain host name; anything odd becomes "localhost".
  case "$node" in '' | *[!A-Za-z0-9-]*) node=localhost ;; esac
  ctld_port=$(free_port 6817)
  slurmd_port=$(free_port $((ctld_port + 1)) "$ctld_port")
  hardware=$(node_hardware)
  cat >"$dir/slurm.conf" <<EOF
# Generated by $PROG start $dir: a one-node cluster on localhost for CI.
ClusterName=genlab-ci
# The (addr) makes clients and daemons connect to 127.0.0.1 without resolving the host name.
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (CI containers rarely allow them): track processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# Cores are the consumable; memory is not, so jobs without --mem run side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# batch_sched_delay=0: start batch jobs at the next scheduling pass (default: up to 3 s later).
SchedulerParameters=batch_sched_delay=0
# kill_invalid_depend: a job whose dependency can never be satisfied (afterok on a failed job)
# is cancelled instead of pending forever, so wait-jobs terminates. (Since Slurm 20.11 it is a
# DependencyParameters option; under SchedulerParameters it is silently ignored.)
DependencyParameters=kill_invalid_depend
# No slurmdbd, so no sacct: finished jobs stay in slurmctld's memory for MinJobAge seconds,
# which is how wait-jobs reads their final state and exit code with scontrol.
MinJobAge=86400
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
# Don't push the submitting shell's rlimits onto jobs (containers often forbid raising them).
PropagateResourceLimits=NONE
ReturnToService=2
InactiveLimit=0
KillWait=5
Waittime=0
# config_overrides: trust this file's hardware description rather than draining the node.
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node $hardware State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"

  # --- slurmctld, then slurmd (foreground mode, see spawn).
  spawn "$dir" slurmctld slurmctld -D -i
  spawn "$dir" slurmd slurmd -D -N "$node"

  # --- wait until the node is idle.
  local timeout=${SLURM_START_TIMEOUT:-60} deadline state=""
  deadline=$((SECONDS + timeout))
  while :; do
    for name in munged slurmctld slurmd; do
      if ! alive "$(read_pid "$dir" "$name")"; then
        show_logs "$dir"
        cmd_stop "$dir" >/dev/null 2>&1 || true
        die "$name exited during start-up (logs above)"
      fi
    done
    state=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n 1 || true)
    [ "$state" = idle ] && break
    case "$state" in
      drain* | fail*)
        sinfo -R >&2 || true
        show_logs "$dir"
        cmd_stop "$dir" >/dev/null 2>&1 || true
        die "node $node is $state (reason above)"
        ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_logs "$dir"
      cmd_stop "$dir" >/dev/null 2>&1 || true
      die "node $node not idle after ${timeout}s (last state: '${state:-no answer from slurmctld}'; 'unknown' means slurmd never registered)"
    fi
    sleep 0.2
  done
  echo "$PROG: node $node is idle ($hardware; slurmctld port $ctld_port, slurmd port $slurmd_port)" >&2
  echo "export SLURM_CONF=$dir/slurm.conf"
}

# ---------------------------------------------------------------------------------------------
# stop DIR
# ---------------------------------------------------------------------------------------------
cmd_stop() {
  [ $# = 1 ] || usage
  local dir pid name pids="" deadline jobs
  dir=$(abs_dir "$1")
  [ -d "$dir" ] || die "no such directory: $dir"
  export SLURM_CONF="$dir/slurm.conf"

  # slurmd leaves running jobs alone when it stops (by design, so it can be restarted), so
  # cancel whatever is still queued or running first, while slurmctld can still do it.
  if alive "$(read_pid "$dir" slurmctld)"; then
    jobs=$(squeue -h -o '%A' 2>/dev/null | tr '\n' ' ' || true)
    if [ -n "${jobs// /}" ]; then
      echo "$PROG: cancelling jobs still in the queue: $jobs" >&2
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      deadline=$((SECONDS + ${SLURM_STOP_TIMEOUT:-10}))
      while [ -n "$(squeue -h -o '%A' 2>/dev/null || true)" ] && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.2
      done
    fi
  fi

  # TERM every daemon, then KILL the ones still there after SLURM_STOP_TIMEOUT seconds.
  for name in $DAEMONS; do
    pid=$(read_pid "$dir" "$name")
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids="$pids $pid"
    fi
  done
  deadline=$((SECONDS + ${SLURM_STOP_TIMEOUT:-10}))
  for pid in $pids; do
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then
      echo "$PROG: pid $pid ignored TERM; sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
  done

  # Last resort: a slurmstepd that outlived the cancel (slurmctld already dead, say). Ours are
  # recognised by this cluster's SLURM_CONF in their environment, inherited from slurmd.
  for pid in $(stepd_pids "$dir"); do
    echo "$PROG: killing leftover slurmstepd $pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  for name in $DAEMONS; do rm -f "$dir/$name.pid"; done
  echo "$PROG: stopped the cluster in $dir"
}

# stepd_pids DIR: the slurmstepd processes started by this cluster's slurmd.
stepd_pids() {
  local f pid
  for f in /proc/[0-9]*/comm; do
    pid=${f#/proc/}
    pid=${pid%/comm}
    [ "$(cat "$f" 2>/dev/null)" = slurmstepd ] || continue
    alive "$pid" || continue
    { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$1/slurm.conf" &&
      echo "$pid"
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# wait-jobs DIR JOBID...
# ---------------------------------------------------------------------------------------------

# job_records ID: one line per job record of ID (an array gives one per task, or one for a
# range of tasks not started yet), from `scontrol -o show job`, as "NAME STATE EXITCODE" where
# NAME is ArrayJobId_ArrayTaskId for array tasks and JobId otherwise.
job_records() {
  scontrol -o show job "$1" 2>/dev/null | awk '{
    id = ""; arr = ""; task = ""; st = ""; ec = ""
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "JobId") id = kv[2]
      else if (kv[1] == "ArrayJobId") arr = kv[2]
      else if (kv[1] == "ArrayTaskId") task = kv[2]
      else if (kv[1] == "JobState") st = kv[2]
      else if (kv[1] == "ExitCode") ec = substr($i, 10)
    }
    name = (arr != "" && task != "") ? arr "_" task : id
    print name, st, ec
  }'
}

cmd_wait_jobs() {
  [ $# -ge 2 ] || usage
  local dir timeout deadline id queued left rc=0 records
  dir=$(abs_dir "$1")
  shift
  [ -f "$dir/slurm.conf" ] || die "no cluster in $dir"
  export SLURM_CONF="$dir/slurm.conf"
  timeout=${SLURM_WAIT_TIMEOUT:-600}
  deadline=$((SECONDS + timeout))

  # A job has left the queue when squeue no longer lists it. Without --states squeue shows
  # only pending/running/completing/... jobs, never finished ones; -r lists array tasks one
  # by one, with %A the task's own job id, %F its array's id and %i the ARRAY_TASK form, so
  # an array id (or ARRAY_TASK) matches while any of its tasks is queued.
  while :; do
    queued=" $(squeue -h -r -o '%A %F %i' | tr '\n' ' ') " ||
      die "squeue failed (is the cluster in $dir running?)"
    left=""
    for id in "$@"; do
      case "$queued" in *" $id "*) left="$left $id" ;; esac
    done
    [ -z "$left" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      squeue >&2 || true
      echo "$PROG: jobs still queued after ${timeout}s:$left" >&2
      rc=2
      break
    fi
    sleep 0.5
  done

  # Final states. There is no slurmdbd, hence no sacct; but slurmctld keeps finished jobs
  # for MinJobAge seconds (a day, see slurm.conf), so scontrol still reports them.
  for id in "$@"; do
    records=$(job_records "$id" | sort -V) || true
    if [ -z "$records" ]; then
      records="$id UNKNOWN -"
    fi
    echo "$records"
    if [ "$rc" = 0 ] && echo "$records" | awk '$2 != "COMPLETED" { bad = 1 } END { exit !bad }'; then
      rc=3
    fi
  done
  return "$rc"
}

# ---------------------------------------------------------------------------------------------
case "${1:-}" in
  install) shift; cmd_install "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  wait-jobs) shift; cmd_wait_jobs "$@" ;;
  *) usage ;;
esac
