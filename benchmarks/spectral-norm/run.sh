#!/usr/bin/env bash
# The step time of spectral normalisation against the plain step: experiments/dcgan-fmnist.json
# (discriminator: two convolutions) with and without "spectral_norm" on both, one epoch of 12,800
# images each, alternating rounds so both see the same machine. Prints each round's
# train_images_per_s (timing.json) and the ratio. Usage: benchmarks/spectral-norm/run.sh [ROUNDS]
# (release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
swift build -c release --product genlab >/dev/null
genlab="$(swift build -c release --show-bin-path)/genlab"
scratch=$(mktemp -d /tmp/genlab-sn-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
speed() {
  local results="$scratch/r$2-$1"
  "$genlab" run "benchmarks/spectral-norm/$1.json" --results "$results" --jobs 1 --quiet >/dev/null
  python3 -c "import json,glob,sys; print(json.load(open(glob.glob(sys.argv[1]+'/*/runs/*/timing.json')[0]))['train_images_per_s'])" "$results"
}
for round in $(seq "$rounds"); do
  plain=$(speed plain "$round")
  normed=$(speed sn "$round")
  python3 -c "import sys; p, s = map(float, sys.argv[1:]); print(f'round {sys.argv[3]}: plain {p:.1f} images/s, spectral_norm {s:.1f} images/s, step time ×{p / s:.3f}')" "$plain" "$normed" "$round"
done
