"""PyTorch speed reference for benchmarks/own-data/dcgan64.json (one thread): DCGAN at 64×64 RGB,
half the paper's widths. See common.py and README.md; run with --data random (images of one's own
are not loaded here; speed does not depend on the pixel values)."""
from common import nn, parse_args, run

LATENT = 100


def generator():
    return nn.Sequential(
        nn.Linear(LATENT, 256 * 4 * 4), nn.BatchNorm1d(256 * 4 * 4), nn.ReLU(),
        nn.Unflatten(1, (256, 4, 4)),
        nn.ConvTranspose2d(256, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.ReLU(),   # 8×8
        nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),     # 16×16
        nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),      # 32×32
        nn.ConvTranspose2d(32, 3, 4, stride=2, padding=1), nn.Tanh())                           # 64×64


def discriminator():
    return nn.Sequential(
        nn.Conv2d(3, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),                            # 32×32
        nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),       # 16×16
        nn.Conv2d(64, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),     # 8×8
        nn.Conv2d(128, 256, 4, stride=2, padding=1), nn.BatchNorm2d(256), nn.LeakyReLU(0.2),    # 4×4
        nn.Flatten(), nn.Linear(256 * 4 * 4, 1))


if __name__ == "__main__":
    args = parse_args(__doc__, default_steps=10)
    run("dcgan64-own", generator(), discriminator(), LATENT, (3, 64, 64), args)
