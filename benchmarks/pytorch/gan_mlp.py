"""PyTorch speed reference for experiments/gan-mlp-fmnist.json (one thread). See common.py and README.md."""
from common import nn, parse_args, run

LATENT = 100


def generator():
    return nn.Sequential(
        nn.Linear(LATENT, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 1024), nn.LeakyReLU(0.2),
        nn.Linear(1024, 784), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 1))


if __name__ == "__main__":
    args = parse_args(__doc__, default_steps=100)
    run("gan-mlp-fmnist", generator(), discriminator(), LATENT, (784,), args)
