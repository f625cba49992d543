"""PacGAN's 2-D ring (Lin et al. 2018) in PyTorch, GenLab's setup: the reference for
experiments/pacgan-ring.json. z ~ N(0, I_2); G: 4 × (Linear 400, BatchNorm1d, ReLU), Linear 2;
D: 3 × maxout (200 units × 5 pieces), Linear 1, on m packed samples; non-saturating loss; Adam
lr 1e-4, β1 0.8; batch 100 discriminator inputs. Prints the mode metrics (2,500 samples, G in
eval mode) every --every generator steps.

    /tmp/torchenv/bin/python benchmarks/pytorch/pacgan_ring.py --packing 2 --steps 30000 --seed 0
"""
import argparse, math, time
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--packing", type=int, default=2)
p.add_argument("--steps", type=int, default=30000)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--every", type=int, default=5000)
p.add_argument("--init", choices=["pytorch", "genlab"], default="pytorch",
               help="genlab: He normal for the ReLU layers, Glorot uniform otherwise (maxout: fan_out = units), zero biases")
a = p.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)
modes = torch.tensor([[math.cos(2 * math.pi * k / 8), math.sin(2 * math.pi * k / 8)] for k in range(8)])
sigma, m, batch = 0.01, a.packing, 100

class Maxout(nn.Module):
    def __init__(self, i, units, pieces):
        super().__init__(); self.lin = nn.Linear(i, units * pieces); self.units, self.pieces = units, pieces
    def forward(self, x):
        return self.lin(x).view(-1, self.units, self.pieces).max(-1).values

G = nn.Sequential(*[l for i in range(4) for l in (nn.Linear(2 if i == 0 else 400, 400), nn.BatchNorm1d(400), nn.ReLU())],
                  nn.Linear(400, 2))
D = nn.Sequential(Maxout(2 * m, 200, 5), Maxout(200, 200, 5), Maxout(200, 200, 5), nn.Linear(200, 1))
if a.init == "genlab":
    with torch.no_grad():
        for i, layer in enumerate(G):
            if isinstance(layer, nn.Linear):
                if i < len(G) - 1: nn.init.normal_(layer.weight, 0, (2 / layer.in_features) ** 0.5)
                else: nn.init.xavier_uniform_(layer.weight)
                nn.init.zeros_(layer.bias)
        for layer in D:
            lin = layer.lin if isinstance(layer, Maxout) else layer
            fan_out = layer.units if isinstance(layer, Maxout) else lin.out_features
            bound = (6 / (lin.in_features + fan_out)) ** 0.5
            nn.init.uniform_(lin.weight, -bound, bound); nn.init.zeros_(lin.bias)
og = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.8, 0.999))
od = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.8, 0.999))

def real(n):
    return modes[torch.randint(0, 8, (n,))] + sigma * torch.randn(n, 2)

def metrics():
    G.eval()
    with torch.no_grad():
        x = G(torch.randn(2500, 2))
    G.train()
    d = torch.cdist(x, modes); dist, k = d.min(1); hq = dist <= 3 * sigma
    captured = len(set(k[hq].tolist()))
    counts = torch.bincount(k, minlength=8).double() / 2500
    rkl = sum(float(c * math.log(c / 0.125)) for c in counts if c > 0)
    return captured, float(hq.double().mean()), rkl

start = time.time()
for step in range(1, a.steps + 1):
    n = batch * m
    xr = real(n).view(batch, 2 * m)
    xf = G(torch.randn(n, 2)).view(batch, 2 * m)
    ld = F.binary_cross_entropy_with_logits(D(xr), torch.ones(batch, 1)) + \
         F.binary_cross_entropy_with_logits(D(xf.detach()), torch.zeros(batch, 1))
    od.zero_grad(); ld.backward(); od.step()
    xf = G(torch.randn(n, 2)).view(batch, 2 * m)
    lg = F.binary_cross_entropy_with_logits(D(xf), torch.ones(batch, 1))
    og.zero_grad(); lg.backward(); og.step()
    if step % a.every == 0:
        c, hq, rkl = metrics()
        print(f"step {step}: modes {c}/8  hq {hq:.3f}  reverse_kl {rkl:.4f}  ({time.time() - start:.0f} s)", flush=True)
