#!/bin/bash
# Sweep scaling: wall time of benchmarks/sweep-8.json (8 runs) with --jobs 1 and --jobs 2, and
# the coordinator's overhead per run (wall time of --jobs 1 minus the runs' own total_seconds,
# over 8). Release build; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product genlab >/dev/null
genlab=.build/release/genlab
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for jobs in 1 2; do
    start=$(date +%s.%N)
    "$genlab" run benchmarks/sweep-8.json --jobs "$jobs" --quiet --results "$scratch/jobs$jobs" >/dev/null
    end=$(date +%s.%N)
    wall=$(python3 -c "print(f'{$end - $start:.2f}')")
    runs=$(python3 - "$scratch/jobs$jobs" <<'PY'
import glob, json, sys
print(f"{sum(json.load(open(p))['total_seconds'] for p in glob.glob(sys.argv[1] + '/*/runs/*/timing.json')):.2f}")
PY
)
    echo "jobs $jobs: wall $wall s, sum of run times $runs s"
    eval "wall$jobs=$wall; runs$jobs=$runs"
done
diff -r -x timing.json "$scratch/jobs1" "$scratch/jobs2" >/dev/null && echo "results identical (except timing.json)"
python3 -c "print(f'ratio jobs2/jobs1: {$wall2 / $wall1:.3f}; coordinator overhead per run (jobs 1): {($wall1 - $runs1) / 8 * 1000:.0f} ms')"
