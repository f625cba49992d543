"""FLOPs of one GenLab-structured GAN step (torch.utils.flop_counter) for both models, the
images/s that a given sustained GFLOP/s would allow, and this machine's one-thread sgemm GFLOP/s
(wall and per CPU-second). Usage: python flops.py"""
import sys
import time

sys.argv = sys.argv[:1]
import common  # sets the one-thread environment before torch loads
from common import torch
from torch.utils.flop_counter import FlopCounterMode
import dcgan
import gan_mlp

torch.set_num_threads(1)
args = common.parse_args("", 1)
for name, mod, shape in [("gan-mlp-fmnist", gan_mlp, (784,)), ("dcgan-fmnist", dcgan, (1, 28, 28))]:
    trainer = common.Trainer(mod.generator(), mod.discriminator(), mod.LATENT, args)
    x = torch.rand(128, *shape) * 2 - 1
    with FlopCounterMode(display=False) as fc:
        trainer.step_genlab(x)
    per_image = fc.get_total_flops() / 128
    print(f"{name}: {per_image / 1e6:.1f} MFLOP per image per step; "
          + ", ".join(f"{g} GFLOP/s -> {g * 1e9 / per_image:.0f} images/s" for g in (40, 60, 80)))

for n, k, m in [(128, 1024, 784), (512, 512, 512), (1024, 1024, 1024)]:
    a, b = torch.randn(n, k), torch.randn(k, m)
    for _ in range(3):
        a @ b
    it = 20
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(it):
        a @ b
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(f"sgemm {n}x{k}x{m}: {2 * n * k * m * it / dt / 1e9:.1f} GFLOP/s wall, "
          f"{2 * n * k * m * it / dc / 1e9:.1f} per CPU-second")
