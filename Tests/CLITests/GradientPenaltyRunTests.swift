import Foundation
import Testing

/// Every gradient penalty from an experiment file, on a GAN (conv, maxout, spectral norm, packing)
/// and a VAE-GAN: each trains and logs its penalty and gradient norm, and the sweep gives the same
/// bytes with one worker and with two.
@Test func everyGradientPenaltyRunsFromJSONToTheSameBytes() throws {
    let text = """
    {
      "name": "penalties",
      "data": { "dataset": "sprites", "size": 8, "train_size": 64, "test_size": 16 },
      "model": { "type": "gan", "latent": 4, "loss": "wasserstein",
                 "generator": [ { "dense": 32, "activation": "relu" }, { "dense": 64, "activation": "tanh" }, { "reshape": [1, 8, 8] } ],
                 "discriminator": [ { "conv": 4, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu" },
                                    { "maxout": 8, "pieces": 2 } ],
                 "schedule": { "gradient_penalty": "wgan-gp", "discriminator_steps": 2 } },
      "training": { "epochs": 2, "batch": 16 },
      "seeds": [0],
      "variants": {
        "wgan-gp": { },
        "dragan": { "model": { "loss": "non-saturating", "schedule": { "gradient_penalty": { "type": "dragan", "lambda": 5 } } } },
        "r1-sn": { "model": { "loss": "hinge", "schedule": { "gradient_penalty": { "type": "r1", "gamma": 1 }, "packing": 2 },
                              "discriminator": [ { "conv": 4, "kernel": 4, "stride": 2, "padding": 1, "activation": "tanh",
                                                   "spectral_norm": true } ] } },
        "none": { "model": { "schedule": { "gradient_penalty": null } } },
        "vae-gan": { "model": { "type": "vae-gan", "latent": 4, "feature_layer": 0,
                                "encoder": [ { "dense": 16, "activation": "relu" } ],
                                "decoder": [ { "dense": 64, "activation": "sigmoid" }, { "reshape": [1, 8, 8] } ],
                                "discriminator": [ { "dense": 16, "activation": "softplus" }, { "dropout": 0.2 } ],
                                "schedule": { "gradient_penalty": "r1" } } }
      }
    }
    """
    let scratch = try SweepScratch(text)
    defer { scratch.clean() }
    let one = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", scratch.results("one")])
    #expect(one.status == 0, "stderr: \(one.stderr)")
    #expect(summaryCount(one.stdout, "completed") == 5, "\(one.stdout)")
    let two = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("two")])
    #expect(two.status == 0, "stderr: \(two.stderr)")
    try expectSameResults(scratch.results("one"), scratch.results("two"))

    let files = try resultFiles(scratch.results("one"))
    let metrics = files.filter { $0.key.hasSuffix("metrics.jsonl") }.map { String(decoding: $0.value, as: UTF8.self) }
    #expect(metrics.count == 5)
    #expect(metrics.filter { $0.contains("\"train_d_penalty\"") && $0.contains("\"train_d_grad_norm\"") }.count == 4)
    let specs = files.filter { $0.key.hasSuffix("spec.json") }.map { String(decoding: $0.value, as: UTF8.self) }
    #expect(specs.filter { $0.contains("\"gradient_penalty\"") }.count == 4)
}

/// A penalised critic with batch norm is refused before anything trains, naming the layer.
@Test func aPenalisedBatchNormCriticIsRefusedWithItsPath() throws {
    let scratch = try SweepScratch("""
        { "name": "bn", "data": { "dataset": "ring", "train_size": 100, "test_size": 20 },
          "model": { "type": "gan", "latent": 2, "generator": [ { "dense": 2 } ],
                     "discriminator": [ { "dense": 8, "activation": "relu" }, { "dense": 8, "activation": "relu", "batch_norm": true } ],
                     "schedule": { "gradient_penalty": "wgan-gp" } },
          "training": { "epochs": 1, "batch": 10 } }
        """)
    defer { scratch.clean() }
    try expectRejected(["run", scratch.file, "--results", scratch.results("out")], file: scratch.file, path: "model.discriminator[1]",
                       says: ["no batch norm in a discriminator with a gradient penalty", "found a layer with batch norm"])
    #expect(!FileManager.default.fileExists(atPath: scratch.results("out") + "/bn/runs"))
}
