#!/usr/bin/env bash
# Self-test of .ci/slurm-cluster.sh, in the shape `genlab slurm` will use it: a 4-task job array
# writing one file per task, and a report job depending on the array with afterany that checks
# the four files. Runs the whole cycle (start, jobs, stop) ROUNDS times (default 2), each on a
# fresh directory, and prints how long each step took.
#
#   .ci/slurm-cluster-test.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER=.ci/slurm-cluster.sh
ROUNDS=${1:-2}

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }
fail() { echo "slurm-cluster-test: FAIL: $*" >&2; exit 1; }

t=$(now)
$CLUSTER install
echo "install: $(took "$t")"

for round in $(seq "$ROUNDS"); do
  dir=$(mktemp -d /tmp/slurm.XXXXXX)
  echo "== round $round in $dir"

  t=$(now)
  eval "$($CLUSTER start "$dir")" # sets SLURM_CONF
  echo "start: $(took "$t")"
  [ "$SLURM_CONF" = "$dir/slurm.conf" ] || fail "start printed SLURM_CONF=$SLURM_CONF"
  pids=$(cat "$dir"/*.pid)

  work="$dir/work"
  mkdir "$work"
  cat >"$work/shard.sh" <<'EOF'
#!/bin/bash
echo "$SLURM_ARRAY_TASK_ID" >"out-$SLURM_ARRAY_TASK_ID.txt"
EOF
  cat >"$work/report.sh" <<'EOF'
#!/bin/bash
for i in 0 1 2 3; do
  [ "$(cat "out-$i.txt")" = "$i" ] || { echo "out-$i.txt missing or wrong" >&2; exit 1; }
done
echo ok >report.txt
EOF

  t=$(now)
  array=$(cd "$work" && sbatch --parsable --array=0-3 shard.sh)
  report=$(cd "$work" && sbatch --parsable --dependency=afterany:"$array" report.sh)
  states=$($CLUSTER wait-jobs "$dir" "$array" "$report") || fail "wait-jobs: $states"
  echo "jobs (submit to all finished): $(took "$t")"
  while read -r line; do echo "  $line"; done <<<"$states"
  expected=$(printf '%s\n' "${array}_0 COMPLETED 0:0" "${array}_1 COMPLETED 0:0" \
    "${array}_2 COMPLETED 0:0" "${array}_3 COMPLETED 0:0" "$report COMPLETED 0:0")
  [ "$states" = "$expected" ] || fail "unexpected states"
  for i in 0 1 2 3; do [ "$(cat "$work/out-$i.txt")" = "$i" ] || fail "out-$i.txt"; done
  [ "$(cat "$work/report.txt")" = ok ] || fail "report.txt"

  t=$(now)
  $CLUSTER stop "$dir"
  echo "stop: $(took "$t")"
  for pid in $pids; do
    # A zombie (state Z) is dead; reaping it is PID 1's business.
    if [ -r "/proc/$pid/stat" ] && ! grep -q ') [ZX] ' "/proc/$pid/stat"; then
      fail "daemon pid $pid still running after stop"
    fi
  done
  rm -rf "$dir"
done
echo "slurm-cluster-test: OK"
