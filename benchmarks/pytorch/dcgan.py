"""PyTorch speed reference for experiments/dcgan-fmnist.json (one thread). See common.py and README.md."""
from common import nn, parse_args, run

LATENT = 100


def generator():
    return nn.Sequential(
        nn.Linear(LATENT, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),   # 14×14
        nn.ConvTranspose2d(64, 1, 4, stride=2, padding=1), nn.Tanh())                          # 28×28


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, stride=2, padding=1), nn.LeakyReLU(0.2),                           # 14×14
        nn.Conv2d(64, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),    # 7×7
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1))


if __name__ == "__main__":
    args = parse_args(__doc__, default_steps=30)
    run("dcgan-fmnist", generator(), discriminator(), LATENT, (1, 28, 28), args)
