#!/usr/bin/env bash
# The step time of spectral normalisation and of each gradient penalty against the plain step:
# experiments/dcgan-fmnist.json as the variants of dcgan.json (plain, sn, plain-no-bn, wgan-gp,
# dragan, r1), one epoch of 6,400 images each. A round runs every variant once, in that order, with
# one worker, so all see the same machine; rounds repeat that. Prints each variant's
# train_images_per_s (timing.json) per round and the median step-time ratios:
# sn against plain, each penalty against plain-no-bn (the penalties refuse batch norm).
# Usage: benchmarks/discriminator-regularisers/run.sh [ROUNDS]   (release build; a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
swift build -c release --product genlab >/dev/null
genlab="$(swift build -c release --show-bin-path)/genlab"
scratch=$(mktemp -d /tmp/genlab-regularisers-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
for round in $(seq "$rounds"); do
  "$genlab" run benchmarks/discriminator-regularisers/dcgan.json --results "$scratch/r$round" --jobs 1 --quiet >/dev/null
done
python3 - "$scratch" "$rounds" <<'PY'
import csv, glob, json, statistics, sys
scratch, rounds = sys.argv[1], int(sys.argv[2])
speeds = {}
for r in range(1, rounds + 1):
    for row in csv.DictReader(open(glob.glob(f"{scratch}/r{r}/*/runs.csv")[0])):
        folder = glob.glob(f"{scratch}/r{r}/*/runs/{row['run']}")[0]
        timing = json.load(open(f"{folder}/timing.json"))
        speeds.setdefault(row["variant"], []).append(timing["train_images_per_s"])
order = ["plain", "sn", "plain-no-bn", "wgan-gp", "dragan", "r1"]
for v in order:
    print(f"{v:12s} images/s per round: " + ", ".join(f"{s:.1f}" for s in speeds[v]))
def ratio(a, b):   # step time of a against b, median over rounds of the per-round ratio
    return statistics.median(speeds[b][i] / speeds[a][i] for i in range(rounds))
print(f"sn       step time ×{ratio('sn', 'plain'):.3f} of plain")
for v in ["plain-no-bn", "wgan-gp", "dragan", "r1"]:
    print(f"{v:8s} step time ×{ratio(v, 'plain-no-bn'):.3f} of plain-no-bn (×{ratio(v, 'plain'):.3f} of plain)")
PY
