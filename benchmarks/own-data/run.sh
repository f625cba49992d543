#!/usr/bin/env bash
# Measures GenLab on images of one's own (64×64 RGB, 3,300 generated PNGs of 80×72 pixels, centre-
# cropped and resized) and PyTorch's DCGAN step on the same model, alternating rounds so both see
# the same machine. Prints GenLab's train_images_per_s (timing.json), wall time and peak memory
# (GNU time's maximum resident set size, the largest of the coordinator and its worker), then
# PyTorch's images/s. Usage: benchmarks/own-data/run.sh [ROUNDS]  (release build; PYTHON as in
# benchmarks/pytorch/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
data=/tmp/genlab-own64
[ -d "$data" ] || python3 tools/make-shapes.py "$data" 80 72 1000 100
swift build -c release --product genlab >/dev/null
genlab="$(swift build -c release --show-bin-path)/genlab"
PYTHON=${PYTHON:-/tmp/torchenv/bin/python}
scratch=$(mktemp -d /tmp/genlab-own-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# Fill the decode cache first (results/.data), so the rounds time training only.
"$genlab" validate benchmarks/own-data/vae64.json >/dev/null
"$genlab" run benchmarks/own-data/vae64.json --results "$scratch/warm" --jobs 1 --quiet >/dev/null
genlab_round() {
  local name=$1 results="$scratch/r$2-$1"
  mkdir -p "$results"; cp -r "$scratch/warm/.data" "$results/.data"
  /usr/bin/time -f "%e %M" -o "$scratch/time" "$genlab" run "benchmarks/own-data/$name.json" --results "$results" --jobs 1 --quiet >/dev/null
  read -r wall rss < "$scratch/time"
  python3 -c "import json,glob,sys; t=json.load(open(glob.glob(sys.argv[1]+'/*/runs/*/timing.json')[0])); print(f'genlab $name: {t[\"train_images_per_s\"]:.1f} images/s, wall {sys.argv[2]} s, peak RSS {int(sys.argv[3])/1024:.0f} MiB')" "$results" "$wall" "$rss"
}
for round in $(seq "$rounds"); do
  genlab_round vae64 "$round"
  genlab_round dcgan64 "$round"
  (cd benchmarks/pytorch && OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$PYTHON" dcgan64.py --data random --batch 64 --steps 10 --repeats 2 | grep -E "^RESULT")
done
