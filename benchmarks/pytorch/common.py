"""Shared pieces of the PyTorch GAN speed benchmarks (gan_mlp.py, dcgan.py).

One "step" is what GenLab calls a generator step with the default schedule (docs/models.md):
  1. discriminator update: D(real batch) and D(G(z).no_grad) as two separate forward/backward
     passes (so batch-norm statistics are per batch, as in GenLab), one Adam step on D;
  2. generator update on a FRESH z: G forward again, D forward in train mode with its parameters'
     gradients switched off and its batch-norm running statistics left untouched (GenLab's
     `trainingFrozen`), backward to G, one Adam step on G.
Non-saturating loss with BCEWithLogits. Batch 128.

`--variant tutorial` instead times the usual PyTorch-tutorial step (fake = G(z) once, D on
fake.detach(), the G step reuses that fake and computes D weight gradients it then throws away),
for comparison only.
"""
import os

# One thread, set before torch (and its OpenMP/MKL runtimes) is imported.
for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import gzip
import platform
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FMNIST_DIR = "/usr/share/datasets/fashion-mnist"


def parse_args(description, default_steps):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=default_steps, help="timed steps per repeat")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps before the repeats")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--data", choices=["fmnist", "random"], default="fmnist",
                   help="Fashion-MNIST train images scaled to [-1,1] (default) or uniform random in [-1,1]")
    p.add_argument("--variant", choices=["genlab", "tutorial"], default="genlab")
    p.add_argument("--adam", choices=["default", "foreach", "fused"], default="default",
                   help="torch.optim.Adam implementation (default = PyTorch's choice, the for-loop one on CPU)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def describe():
    cap = torch.backends.cpu.get_cpu_capability()
    print(f"torch {torch.__version__}  python {platform.python_version()}  numpy {np.__version__}")
    print(f"cpu capability {cap}  mkldnn available {torch.backends.mkldnn.is_available()}  "
          f"mkl available {torch.backends.mkl.is_available()}  threads {torch.get_num_threads()}  "
          f"interop {torch.get_num_interop_threads()}")
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        model = "?"
    print(f"cpu {model}  os.cpu_count {os.cpu_count()}  loadavg {os.getloadavg()}")


def load_fmnist_train():
    """(60000, 784) float32 in [-1, 1] from the IDX files."""
    with gzip.open(os.path.join(FMNIST_DIR, "train-images-idx3-ubyte.gz"), "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, magic
        x = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
    return torch.from_numpy(x.astype(np.float32) / 127.5 - 1.0)


class Batches:
    """Endless batches of `shape` (batch first): shuffled Fashion-MNIST epochs or random tensors."""

    def __init__(self, kind, batch, shape, generator):
        self.batch, self.shape, self.g = batch, shape, generator
        if kind == "fmnist":
            self.data = load_fmnist_train()
        else:
            size = 1
            for d in shape:
                size *= d
            count = max(4 * batch, min(60000, (60000 * 784) // size))  # about 188 MB of floats at most
            self.data = torch.rand(count, size, generator=generator) * 2 - 1
        self.order, self.pos = None, len(self.data)

    def next(self):
        if self.pos + self.batch > len(self.data):
            self.order = self.data[torch.randperm(len(self.data), generator=self.g)]  # contiguous copy
            self.pos = 0
        x = self.order[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return x.view(self.batch, *self.shape)


def make_adam(params, kind):
    kw = dict(lr=2e-4, betas=(0.5, 0.999))
    if kind == "foreach":
        kw["foreach"] = True
    elif kind == "fused":
        kw["fused"] = True
    return torch.optim.Adam(params, **kw)


def bce_logits(logits, target_value):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target_value))


class Trainer:
    def __init__(self, G, D, latent, args):
        self.G, self.D, self.latent, self.args = G, D, latent, args
        self.optG = make_adam(G.parameters(), args.adam)
        self.optD = make_adam(D.parameters(), args.adam)
        self.d_params = list(D.parameters())
        self.d_bns = [m for m in D.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        G.train()
        D.train()

    def _d_frozen(self, frozen):
        for p in self.d_params:
            p.requires_grad_(not frozen)
        for m in self.d_bns:
            m.momentum = 0.0 if frozen else 0.1  # 0 = running statistics unchanged

    def step_genlab(self, real):
        G, D, b = self.G, self.D, real.shape[0]
        # (1) discriminator: real and generated batches, separate passes, one update.
        self.optD.zero_grad(set_to_none=True)
        loss_real = bce_logits(D(real), 1.0)
        loss_real.backward()
        with torch.no_grad():
            fake = G(torch.randn(b, self.latent))
        loss_fake = bce_logits(D(fake), 0.0)
        loss_fake.backward()
        self.optD.step()
        # (2) generator on a fresh z, through D in "trainingFrozen" mode.
        self._d_frozen(True)
        self.optG.zero_grad(set_to_none=True)
        loss_g = bce_logits(D(G(torch.randn(b, self.latent))), 1.0)  # non-saturating
        loss_g.backward()
        self.optG.step()
        self._d_frozen(False)
        return loss_real.item() + loss_fake.item(), loss_g.item()

    def step_tutorial(self, real):
        G, D, b = self.G, self.D, real.shape[0]
        fake = G(torch.randn(b, self.latent))
        self.optD.zero_grad(set_to_none=True)
        loss_real = bce_logits(D(real), 1.0)
        loss_real.backward()
        loss_fake = bce_logits(D(fake.detach()), 0.0)
        loss_fake.backward()
        self.optD.step()
        self.optG.zero_grad(set_to_none=True)
        loss_g = bce_logits(D(fake), 1.0)
        loss_g.backward()
        self.optG.step()
        return loss_real.item() + loss_fake.item(), loss_g.item()


def run(name, G, D, latent, image_shape, args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    describe()
    print(f"model {name}  variant {args.variant}  data {args.data}  batch {args.batch}  adam {args.adam}")
    print(f"params G {sum(p.numel() for p in G.parameters())}  D {sum(p.numel() for p in D.parameters())}")
    trainer = Trainer(G, D, latent, args)
    step = trainer.step_genlab if args.variant == "genlab" else trainer.step_tutorial
    data = Batches(args.data, args.batch, image_shape, torch.Generator().manual_seed(args.seed))

    for _ in range(args.warmup):
        step(data.next())
    rates, cpu_rates = [], []
    for r in range(args.repeats):
        batches = [data.next() for _ in range(args.steps)]  # data time kept out of the clock
        t0, c0 = time.perf_counter(), time.process_time()
        for x in batches:
            d_loss, g_loss = step(x)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        rate, cpu_rate = args.batch * args.steps / dt, args.batch * args.steps / dc
        rates.append(rate)
        cpu_rates.append(cpu_rate)
        # cpu/wall < 1 means the thread was waiting for a core (other load on the machine).
        print(f"repeat {r + 1}: {args.steps} steps in {dt:.3f} s = {dt / args.steps * 1e3:.2f} ms/step = "
              f"{rate:.0f} images/s  (cpu/wall {dc / dt:.2f}, {cpu_rate:.0f} images per CPU-second)  "
              f"d_loss {d_loss:.3f} g_loss {g_loss:.3f}  loadavg {os.getloadavg()[0]:.2f}", flush=True)
    print(f"RESULT {name} {args.variant}: median {statistics.median(rates):.0f} images/s  "
          f"range {min(rates):.0f}-{max(rates):.0f}  | per CPU-second median {statistics.median(cpu_rates):.0f} "
          f"range {min(cpu_rates):.0f}-{max(cpu_rates):.0f}  (torch {torch.__version__}, "
          f"{torch.backends.cpu.get_cpu_capability()}, {args.threads} thread, adam {args.adam})")
    return rates
