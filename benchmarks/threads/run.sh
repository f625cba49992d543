#!/bin/sh
# The data-parallel training step (training.threads, issue 20): the step of the MLP VAE, DCGAN and
# VAE-GAN at each thread count in turn within every round (alternating, so the machine's drift hits
# all counts alike), medians of the per-round ratios to one thread. Release build; run on a quiet
# machine. Usage: benchmarks/threads/run.sh [THREADS, default 1,2] [ROUNDS, default 7]
set -eu
cd "$(dirname "$0")/../.."
threads=${1:-1,2}
rounds=${2:-7}
swift build -c release --product genlab-bench >/dev/null
bench=.build/release/genlab-bench
nproc
$bench --experiment experiments/vae-mlp-fmnist.json --threads "$threads" --rounds "$rounds" --steps 80
$bench --experiment experiments/dcgan-fmnist.json --threads "$threads" --rounds "$rounds" --steps 10
$bench --experiment experiments/vaegan-fmnist.json --threads "$threads" --rounds "$rounds" --steps 10
$bench --experiment experiments/gan-mlp-fmnist.json --threads "$threads" --rounds "$rounds" --steps 40
