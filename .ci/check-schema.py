#!/usr/bin/env python3
"""Validate every experiments/**/*.json against schema/experiment.schema.json.

Prints one line per file and exits non-zero if any file fails, if the schema itself is invalid,
or if the built-in self-test fails: a good document must be accepted and every deliberately bad
document below must be rejected, so this check can fail.

Stricter than plain JSON Schema, to match the Swift decoder (Sources/Spec): duplicate keys and
NaN/Infinity are parse errors, and "integer" means an integer literal (4.0 is not an integer).
Requires the pip package `jsonschema` (4.18 or later for draft 2020-12).
"""
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schema" / "experiment.schema.json"

GOOD = {
    "name": "quickstart",
    "data": {"dataset": "sprites", "size": 32, "train_size": 8000, "test_size": 1000},
    "model": {"type": "vae", "latent": 8, "beta": 1, "likelihood": "bernoulli",
              "encoder": [{"dense": 256, "activation": "relu"}], "decoder": [{"dense": 256, "activation": "relu"}]},
    "training": {"epochs": 3, "batch": 64, "optimizer": {"type": "adam", "lr": 0.001}},
    "seeds": [0, 1],
    "sweep": {"model.beta": [1, 4]},
}


def with_change(path, value, base=None):
    """GOOD (or `base`) with the member at dotted `path` replaced (value None deletes it)."""
    doc = json.loads(json.dumps(GOOD if base is None else base))
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return doc


# Every VAE layer kind, a Gaussian likelihood, an IDX-family data set, nesterov SGD, a sweep over an
# indexed path and a whole object. Tests/SpecTests (SchemaAgreementTests) decodes the same text.
FULL = json.loads("""
{"name":"full","description":"all kinds","data":{"dataset":"fashion-mnist","path":null,"train_size":1000,"test_size":null,"seed":2},
 "model":{"type":"vae","latent":4,"beta":0.5,"beta_warmup_steps":100,"likelihood":"gaussian","sigma":0.3,
  "encoder":[{"flatten":true},{"dense":32,"activation":"leaky_relu","slope":0.01,"batch_norm":true,"init":"glorot"},
             {"batch_norm":true,"momentum":0.05,"epsilon":1e-3},{"activation":"softplus"}],
  "decoder":[{"dense":16},{"activation":"leaky_relu","slope":0.1},{"reshape":[1,4,4]}]},
 "training":{"epochs":2,"batch":32,"optimizer":{"type":"sgd","lr":0.1,"momentum":0.9,"nesterov":true,"weight_decay":1e-4},
             "clip_norm":null,"threads":2,"checkpoint_steps":50},
 "seeds":[3,1],"sweep":{"model.encoder[1].dense":[8,16],"training.optimizer":[{"type":"adamw"}]},"report":{"grids":["samples"]}}
""")

# A DCGAN-style GAN with every schedule key, and a VAE-GAN; Tests/SpecTests (SchemaAgreementTests)
# decodes the same texts.
GAN = json.loads("""
{"name":"dcgan","data":{"dataset":"fashion-mnist"},
 "model":{"type":"gan","latent":64,"prior":"uniform",
  "generator":[{"dense":3136,"activation":"relu","batch_norm":true},{"reshape":[64,7,7]},
               {"deconv":32,"kernel":4,"stride":2,"padding":1,"activation":"relu","batch_norm":true},
               {"deconv":1,"kernel":4,"stride":2,"padding":1,"activation":"tanh"}],
  "discriminator":[{"conv":32,"kernel":4,"stride":2,"padding":1,"activation":"leaky_relu","slope":0.2,"init":"he"},
                   {"dropout":0.3},{"flatten":true},{"maxout":64,"pieces":2}],
  "loss":"wasserstein",
  "schedule":{"discriminator_steps":5,"warmup_steps":10,"label_smoothing":0.1,"instance_noise":0.1,
              "instance_noise_decay_steps":1000,"packing":2,"weight_clip":null,"ema":0.999,
              "generator_optimizer":{"type":"adam","lr":2e-4,"beta1":0.5},
              "discriminator_optimizer":{"type":"rmsprop","lr":5e-5}}},
 "training":{"epochs":1,"batch":64},
 "sweep":{"model.schedule.packing":[1,2],"model.loss":["hinge","wasserstein"]}}
""")

VAE_GAN = json.loads("""
{"name":"vaegan","data":{"dataset":"ring"},
 "model":{"type":"vae-gan","latent":2,"beta":0.5,"gamma":0.01,"feature_layer":1,
  "encoder":[{"dense":32,"activation":"relu"}],"decoder":[{"dense":32,"activation":"relu"},{"dense":2}],
  "discriminator":[{"dense":32,"activation":"leaky_relu"},{"dense":16,"activation":"leaky_relu"}],
  "schedule":{"encoder_optimizer":{"type":"adam","lr":1e-4}}},
 "training":{"epochs":1,"optimizer":{"type":"adam","lr":3e-4,"beta1":0.5}}}
""")

BAD = {
    "gan with equilibrium": with_change("model.schedule.equilibrium", True, GAN),
    "vae-gan equilibrium with hinge": with_change("model.schedule", {"equilibrium": True}, with_change("model.loss", "hinge", VAE_GAN)),
    "vae-gan equilibrium with an unknown key": with_change("model.schedule", {"equilibrium": {"target": 0.7, "width": 0.3}}, VAE_GAN),
    "vae-gan with a negative decoder weight": with_change("model.decoder_weights", {"prior": -1}, VAE_GAN),
    "vae-gan with a real weight of 0": with_change("model.discriminator_weights", {"real": 0}, VAE_GAN),
    "gan with an unknown schedule key": with_change("model.schedule.packs", 2, GAN),
    "gan with encoder_optimizer": with_change("model.schedule.encoder_optimizer", {"type": "adam"}, GAN),
    "gan with packing 0": with_change("model.schedule.packing", 0, GAN),
    "gan with an unknown loss": with_change("model.loss", "hinged", GAN),
    "gan with a vae key": with_change("model.beta", 1, GAN),
    "gan with an empty generator": with_change("model.generator", [], GAN),
    "gan without discriminator": with_change("model.discriminator", None, GAN),
    "gan with ema 1": with_change("model.schedule.ema", 1, GAN),
    "conv without kernel": with_change("model.discriminator", [{"conv": 8, "stride": 2}], GAN),
    "conv with an unknown key": with_change("model.discriminator", [{"conv": 8, "kernel": 3, "pieces": 2}], GAN),
    "deconv with padding -1": with_change("model.generator", [{"deconv": 1, "kernel": 3, "padding": -1}], GAN),
    "conv slope without leaky_relu": with_change("model.discriminator", [{"conv": 8, "kernel": 3, "slope": 0.1}], GAN),
    "maxout with 1 piece": with_change("model.discriminator", [{"maxout": 8, "pieces": 1}], GAN),
    "maxout without pieces": with_change("model.discriminator", [{"maxout": 8}], GAN),
    "dropout 1.0": with_change("model.discriminator", [{"dropout": 1.0}], GAN),
    "vae-gan without feature_layer": with_change("model.feature_layer", None, VAE_GAN),
    "vae-gan with prior": with_change("model.prior", "normal", VAE_GAN),
    "vae-gan with an empty discriminator": with_change("model.discriminator", [], VAE_GAN),
    "vae with a schedule": with_change("model.schedule", {}),

    "unknown key": with_change("model.latnet", 8),
    "latent 0": with_change("model.latent", 0),
    "latent 4.0 (not an integer literal)": with_change("model.latent", 4.0),
    "missing training": with_change("training", None),
    "unknown activation": with_change("model.encoder", [{"dense": 8, "activation": "relux"}]),
    "layer without kind": with_change("model.encoder", [{"slope": 0.1}]),
    "slope without leaky_relu": with_change("model.encoder", [{"dense": 8, "activation": "relu", "slope": 0.1}]),
    "sgd with beta1": with_change("training.optimizer", {"type": "sgd", "beta1": 0.9}),
    "nesterov without momentum": with_change("training.optimizer", {"type": "sgd", "nesterov": True}),
    "unknown optimizer": with_change("training.optimizer", {"type": "adamm"}),
    "checkpoint_steps -1": with_change("training.checkpoint_steps", -1),
    "checkpoint_steps as a string": with_change("training.checkpoint_steps", "5"),
    "path for sprites": with_change("data.path", "/tmp"),
    "idx without path": with_change("data", {"dataset": "idx"}),
    "sigma with bernoulli": with_change("model.sigma", 0.5),
    # Issue 17: spectral normalisation on dense, conv and deconv only.
    "spectral_norm on maxout": with_change("model.discriminator", [{"maxout": 8, "pieces": 2, "spectral_norm": True}], GAN),
    "spectral_norm not a boolean": with_change("model.discriminator", [{"conv": 8, "kernel": 3, "spectral_norm": 1}], GAN),
    # Issue 17: gradient penalties.
    "gradient_penalty wgan (unknown)": with_change("model.schedule", {"gradient_penalty": "wgan"}, GAN),
    "wgan-gp with gamma": with_change("model.schedule", {"gradient_penalty": {"type": "wgan-gp", "gamma": 10}}, GAN),
    "r1 gamma 0": with_change("model.schedule", {"gradient_penalty": {"type": "r1", "gamma": 0}}, GAN),
    "dragan c -1": with_change("model.schedule", {"gradient_penalty": {"type": "dragan", "c": -1}}, GAN),
    "gradient_penalty without type": with_change("model.schedule", {"gradient_penalty": {"lambda": 10}}, GAN),
    # Issue 17: conditional models.
    "conditioning on a vae-gan": with_change("model.conditioning", True, with_change("model", {
        "type": "vae-gan", "latent": 2, "feature_layer": 0, "encoder": [{"dense": 8}], "decoder": [{"dense": 784}],
        "discriminator": [{"dense": 8}]})),
    "conditioning discriminator unknown": with_change("model.conditioning", {"discriminator": "dot"}, GAN),
    "conditioning with 1 class": with_change("model.conditioning", {"classes": 1}, GAN),
    "conditioning with packing": with_change("model.schedule", {"packing": 2}, with_change("model.conditioning", True, GAN)),
    "vae conditioning with a discriminator": with_change("model.conditioning", {"discriminator": "concat"}),
    # Issue 16: the VAE objectives.
    "objective tcvae (unknown)": with_change("model.objective", "tcvae"),
    "beta-tcvae without beta": with_change("model.objective", {"type": "beta-tcvae"}),
    "beta-tcvae with model.beta": with_change("model.objective", {"type": "beta-tcvae", "beta": 6}),
    "iwae with model.beta": with_change("model.objective", "iwae"),
    "factor-vae without gamma": with_change("model.objective", {"type": "factor-vae"}),
    "dip-vae variant iii": with_change("model.objective", {"type": "dip-vae", "variant": "iii", "lambda_od": 1}),
    "dip-vae with alpha": with_change("model.objective", {"type": "dip-vae", "variant": "i", "lambda_od": 1, "alpha": 1}),
    "iwae samples 0": with_change("model.objective", {"type": "iwae", "samples": 0}),
    "capacity steps -1": with_change("model.objective", {"type": "capacity", "capacity_steps": -1}),
    "duplicate seeds": with_change("seeds", [0, 0]),
    "sweep outside sections": with_change("sweep", {"seeds": [1, 2]}),
    "empty sweep values": with_change("sweep", {"model.beta": []}),
    "bad name": with_change("name", "a b"),
    # Issue 13: names that leave or take over folders under --results, and values past the bounds
    # of Sources/Spec/SpecLimits.swift.
    "name ..": with_change("name", ".."),
    "name .": with_change("name", "."),
    "name .classifiers": with_change("name", ".classifiers"),
    "name of 101 characters": with_change("name", "n" * 101),
    "10,001 seeds": with_change("seeds", list(range(10001))),
    "batch 2^32": with_change("training.batch", 2**32),
    "epochs 2^63-1": with_change("training.epochs", 2**63 - 1),
    "checkpoint_steps 10^9+1": with_change("training.checkpoint_steps", 10**9 + 1),
    "train_size 10^7+1": with_change("data.train_size", 10**7 + 1),
    "latent 65537": with_change("model.latent", 65537),
    "dense 2^24+1": with_change("model.encoder", [{"dense": 2**24 + 1}]),
    "reshape of rank 9": with_change("model.decoder", [{"reshape": [1] * 9}]),
    "conv padding 2^63-1": with_change("model.discriminator", [{"conv": 8, "kernel": 3, "padding": 2**63 - 1}], GAN),
    "conv kernel 257": with_change("model.discriminator", [{"conv": 8, "kernel": 257}], GAN),
    "maxout with 65 pieces": with_change("model.discriminator", [{"maxout": 8, "pieces": 65}], GAN),
    "discriminator_steps 1001": with_change("model.schedule.discriminator_steps", 1001, GAN),
    "warmup_steps 10^9+1": with_change("model.schedule.warmup_steps", 10**9 + 1, GAN),
    "unknown grid": with_change("report", {"grids": ["samples", "traversal"]}),
    "unknown report key": with_change("report", {"interpolations": "linear"}),
    "interpolation slerp": with_change("report", {"interpolation": "slerp"}),
    "interpolation_steps 1": with_change("report", {"interpolation_steps": 1}),
    "unknown metric": with_change("report", {"metrics": ["fid", "inception_score"]}),
    "metric object without name": with_change("report", {"metrics": [{"k": 10}]}),
    "metric with another's parameter": with_change("report", {"metrics": [{"name": "fid", "k": 3}]}),
    "iwae k 0": with_change("report", {"metrics": [{"name": "iwae", "k": 0}]}),
    "kid subset_size 1": with_change("report", {"metrics": [{"name": "kid", "subset_size": 1}]}),
    "mig bins 1": with_change("report", {"metrics": [{"name": "mig", "bins": 1}]}),
    "beta_vae_score batch 0": with_change("report", {"metrics": [{"name": "beta_vae_score", "batch": 0}]}),
    "beta_vae_score batch 10001": with_change("report", {"metrics": [{"name": "beta_vae_score", "batch": 10001}]}),
    "factor_vae_score batch 1": with_change("report", {"metrics": [{"name": "factor_vae_score", "batch": 1}]}),
    "factor_vae_score variance_points 1": with_change("report", {"metrics": [{"name": "factor_vae_score", "variance_points": 1}]}),
    "sap with eval_points": with_change("report", {"metrics": [{"name": "sap", "eval_points": 100}]}),
    "dci train_points 0": with_change("report", {"metrics": [{"name": "dci", "train_points": 0}]}),
    "beta_vae_score with test_points": with_change("report", {"metrics": [{"name": "beta_vae_score", "test_points": 100}]}),
    "active_units threshold -1": with_change("report", {"metrics": [{"name": "active_units", "threshold": -1}]}),
    "metric listed twice": with_change("report", {"metrics": ["mig", "mig"]}),
    "metrics not an array": with_change("report", {"metrics": "fid"}),
    # Issue 15: users' own data.
    "images without path": with_change("data", {"dataset": "images", "size": 32}),
    "images with channels 2": with_change("data", {"dataset": "images", "path": "x", "channels": 2}),
    "images with resize stretch": with_change("data", {"dataset": "images", "path": "x", "resize": "stretch"}),
    "images with labels": with_change("data", {"dataset": "images", "path": "x", "labels": "y.npy"}),
    "channels for sprites": with_change("data.channels", 3),
    "array without path": with_change("data", {"dataset": "array"}),
    "array with size": with_change("data", {"dataset": "array", "path": "x.npy", "size": 32}),
    "array test_labels without test_path": with_change("data", {"dataset": "array", "path": "x.npy", "test_labels": "y.npy"}),
    "array labels and test_path without test_labels": with_change(
        "data", {"dataset": "array", "path": "x.npy", "labels": "l.npy", "test_path": "t.npy"}),
}


def reject_duplicates(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate key {duplicates[0]!r}")
    return dict(pairs)


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle, object_pairs_hook=reject_duplicates, parse_constant=reject_constant)


def make_validator(schema):
    base = jsonschema.Draft202012Validator
    base.check_schema(schema)
    is_int = lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    checker = base.TYPE_CHECKER.redefine("integer", is_int)
    return jsonschema.validators.extend(base, type_checker=checker)(schema)


def first_error(validator, document):
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(document)"
    return f"{where}: {error.message}"


def added_documents():
    """Documents for issues 16–17: the quickstart with each VAE objective (model.beta only where it
    applies), a GAN with spectral normalisation, conditional VAEs and GANs."""
    without_beta = with_change("model.beta", None)
    return {
        "beta-tcvae": with_change("model.objective", {"type": "beta-tcvae", "alpha": 1, "beta": 6, "gamma": 1}, without_beta),
        "factor-vae": with_change("model.objective", {"type": "factor-vae", "gamma": 35,
                                                      "discriminator": [{"dense": 1000, "activation": "leaky_relu"}],
                                                      "optimizer": {"type": "adam", "lr": 1e-4, "beta1": 0.5, "beta2": 0.9}}),
        "dip-vae": with_change("model.objective", {"type": "dip-vae", "variant": "ii", "lambda_od": 10, "lambda_d": 10}),
        "capacity": with_change("model.objective", {"type": "capacity", "gamma": 1000, "max_capacity": 25,
                                                    "capacity_steps": 100000}, without_beta),
        "iwae": with_change("model.objective", "iwae", without_beta),
        "elbo": with_change("model.objective", {"type": "elbo"}),
        "wgan-gp": with_change("model.schedule", {"gradient_penalty": "wgan-gp", "weight_clip": None},
                               with_change("model.loss", "wasserstein", GAN)),
        "dragan": with_change("model.schedule", {"gradient_penalty": {"type": "dragan", "lambda": 10, "c": 0.5}}, GAN),
        "r1": with_change("model.schedule", {"gradient_penalty": {"type": "r1", "gamma": 1}}, GAN),
        "no penalty": with_change("model.schedule", {"gradient_penalty": None}, GAN),
        "vae-gan r1": with_change("model.schedule", {"gradient_penalty": "r1"}, VAE_GAN),
        "vae-gan equilibrium": with_change("model.schedule", {"equilibrium": True}, VAE_GAN),
        "vae-gan as pythae": with_change("model.decoder_weights", {"reconstructed": 0},
                                         with_change("model.discriminator_weights", {"real": 1, "reconstructed": 0, "prior": 1},
                                                     with_change("model.schedule", {"equilibrium": {"target": 0.68, "margin": 0.4}},
                                                                 with_change("model.loss", "minimax", VAE_GAN)))),
        "vae-gan hinge without equilibrium": with_change("model.schedule", {"equilibrium": None},
                                                         with_change("model.loss", "hinge", VAE_GAN)),
        "conditional vae": with_change("model.conditioning", True),
        "conditional vae with classes": with_change("model.conditioning", {"classes": 3}),
        "conditional gan": with_change("model.conditioning", {"discriminator": "projection"}, with_change("model.schedule.packing", 1, GAN)),
        "conditional gan off": with_change("model.conditioning", False, GAN),
        "spectral_norm": with_change("model.discriminator", [
            {"conv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "spectral_norm": True},
            {"dense": 16, "spectral_norm": False}], GAN),
    }


def main():
    validator = make_validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    failures = 0

    report = with_change("report", {"grids": ["latent", "samples", "manifold", "traversals", "interpolations", "reconstructions"],
                                    "interpolation": "spherical", "interpolation_steps": 32})
    metrics = with_change("report", {"metrics": [
        "iwae", {"name": "active_units", "threshold": 0.05, "examples": None}, {"name": "kl_per_dimension", "examples": 500},
        {"name": "fid", "samples": 5000}, {"name": "kid", "samples": 5000, "subsets": 10, "subset_size": 500},
        {"name": "precision_recall", "k": 5}, {"name": "mig", "points": 2000, "bins": 10},
        {"name": "beta_vae_score", "batch": 32}, {"name": "factor_vae_score", "variance_points": 5000},
        {"name": "sap", "train_points": 2000, "test_points": 1000}, {"name": "dci", "train_points": 2000}]})
    images = with_change("data", {"dataset": "images", "path": "faces", "size": 64, "channels": 1, "resize": "none",
                                  "train_size": None, "test_size": 100, "seed": 2})
    arrays = with_change("data", {"dataset": "array", "path": "x.npy", "labels": "y.npy", "test_path": "tx.npy",
                                  "test_labels": "ty.npy", "train_size": 500})
    good = {"quickstart": GOOD, "full": FULL, "gan": GAN, "vae-gan": VAE_GAN, "report": report, "metrics": metrics,
            "images": images, "array": arrays}
    good.update(added_documents())
    for name, document in good.items():
        problem = first_error(validator, document)
        if problem:
            print(f"FAIL self-test: good document {name} rejected: {problem}")
            failures += 1
    for name, document in BAD.items():
        if first_error(validator, document) is None:
            print(f"FAIL self-test: bad document accepted: {name}")
            failures += 1
    if failures == 0:
        print(f"ok   self-test: {len(good)} good documents accepted, {len(BAD)} bad documents rejected")

    files = sorted(set((ROOT / "experiments").glob("**/*.json")))
    if not files:
        print("note no experiments/**/*.json files found")
    for path in files:
        name = path.relative_to(ROOT)
        try:
            document = load(path)
        except (ValueError, OSError) as error:
            print(f"FAIL {name}: {error}")
            failures += 1
            continue
        problem = first_error(validator, document)
        if problem:
            print(f"FAIL {name}: {problem}")
            failures += 1
        else:
            print(f"ok   {name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
