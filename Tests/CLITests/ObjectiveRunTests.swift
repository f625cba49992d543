import Foundation
import Testing

/// Every VAE objective from an experiment file, as variants: each trains, logs its own terms, and
/// the sweep gives the same bytes with one worker and with two.
@Test func everyObjectiveRunsFromJSONToTheSameBytes() throws {
    let text = """
    {
      "name": "objectives",
      "data": { "dataset": "sprites", "size": 16, "train_size": 128, "test_size": 32 },
      "model": { "type": "vae", "latent": 3,
                 "encoder": [ { "dense": 32, "activation": "relu" } ],
                 "decoder": [ { "dense": 32, "activation": "relu" } ] },
      "training": { "epochs": 2, "batch": 32 },
      "seeds": [0],
      "variants": {
        "beta-vae": { "model": { "beta": 4 } },
        "tcvae": { "model": { "objective": { "type": "beta-tcvae", "beta": 6 } } },
        "factor": { "model": { "objective": { "type": "factor-vae", "gamma": 10,
                                              "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] } } },
        "dip-i": { "model": { "objective": { "type": "dip-vae", "variant": "i", "lambda_od": 5 } } },
        "dip-ii": { "model": { "objective": { "type": "dip-vae", "variant": "ii", "lambda_od": 5 } } },
        "capacity": { "model": { "objective": { "type": "capacity", "gamma": 10, "max_capacity": 5, "capacity_steps": 4 } } },
        "iwae": { "model": { "objective": { "type": "iwae", "samples": 3 } } }
      }
    }
    """
    let scratch = try SweepScratch(text)
    defer { scratch.clean() }
    let one = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", scratch.results("one")])
    #expect(one.status == 0, "stderr: \(one.stderr)")
    #expect(summaryCount(one.stdout, "completed") == 7, "\(one.stdout)")
    let two = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("two")])
    #expect(two.status == 0, "stderr: \(two.stderr)")
    try expectSameResults(scratch.results("one"), scratch.results("two"))

    // Each run's metrics carry its objective's terms.
    let files = try resultFiles(scratch.results("one"))
    let metrics = files.filter { $0.key.hasSuffix("metrics.jsonl") }.map { String(decoding: $0.value, as: UTF8.self) }
    #expect(metrics.count == 7)
    for term in ["train_mi", "train_dim_kl", "train_d_loss", "train_dip", "train_capacity"] {
        #expect(metrics.filter { $0.contains("\"\(term)\"") }.count == (term == "train_dip" ? 2 : 1), "\(term)")
    }
    #expect(metrics.filter { $0.contains("\"train_tc\"") }.count == 2)
    #expect(metrics.allSatisfy { $0.contains("\"test_neg_elbo\"") })
}
