import Foundation
import Formats
import Testing

/// Conditional models from an experiment file: a conditional GAN (both discriminators) and a
/// conditional VAE train on sprites' shape labels with the same bytes for one worker and two,
/// their samples have a row per class, and unlabelled data are refused.
@Suite struct ConditionalRunTests {
    let text = """
    {
      "name": "conditional",
      "data": { "dataset": "sprites", "size": 16, "train_size": 128, "test_size": 32 },
      "model": { "type": "gan", "latent": 4, "conditioning": { "discriminator": "projection" },
                 "generator": [ { "dense": 32, "activation": "relu" }, { "dense": 256, "activation": "tanh" }, { "reshape": [1, 16, 16] } ],
                 "discriminator": [ { "dense": 32, "activation": "leaky_relu" } ] },
      "training": { "epochs": 2, "batch": 32 },
      "report": { "grids": ["samples"] },
      "seeds": [0],
      "variants": {
        "projection": {},
        "concat-maps": { "model": { "conditioning": { "discriminator": "concat" },
            "discriminator": [ { "conv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu" } ] } },
        "cvae": { "model": { "type": "vae", "latent": 3, "conditioning": true,
            "encoder": [ { "dense": 32, "activation": "relu" } ], "decoder": [ { "dense": 32, "activation": "relu" } ] } }
      }
    }
    """

    @Test func trainsToTheSameBytesWithARowPerClass() throws {
        let scratch = try SweepScratch(text)
        defer { scratch.clean() }
        let one = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", scratch.results("one")])
        #expect(one.status == 0, "stderr: \(one.stderr)")
        #expect(summaryCount(one.stdout, "completed") == 3, "\(one.stdout)")
        let two = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("two")])
        #expect(two.status == 0, "stderr: \(two.stderr)")
        try expectSameResults(scratch.results("one"), scratch.results("two"))

        // 3 classes (square, ellipse, heart) × 8 columns of 16×16 images drawn twice as large:
        // 3 rows of 32 pixels, 2 separators and the labelled grid's 4-pixel margins, no header.
        let samples = try resultFiles(scratch.results("one")).filter { $0.key.hasSuffix("samples.png") }
        #expect(samples.count == 3)
        for (name, bytes) in samples {
            let image = try PNGCodec.decode(bytes)
            #expect(image.height == 3 * 32 + 2 + 2 * 4, "\(name): \(image.width)×\(image.height)")
        }
    }

    /// The encoder metrics of a conditional VAE encode each test image with its own label: the
    /// per-dimension KL sums to the test KL of the training loop's evaluation (which uses the test
    /// labels), and the one-sample bound is near the test −ELBO. (They fed the
    /// unlabelled images to an encoder that expects [x | onehot(y)] rows.) The disentanglement
    /// scores run with each sprite's shape as its label.
    @Test func encoderMetricsOfAConditionalVAEUseTheTrueLabels() throws {
        let scratch = try SweepScratch("""
            { "name": "cvae-metrics", "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
              "model": { "type": "vae", "latent": 3, "conditioning": true,
                         "encoder": [ { "dense": 32, "activation": "relu" } ], "decoder": [ { "dense": 32, "activation": "relu" } ] },
              "training": { "epochs": 3, "batch": 32 },
              "report": { "grids": [], "metrics": [ { "name": "iwae", "k": 1 }, "kl_per_dimension", "active_units",
                                                    { "name": "mig", "points": 600 } ] } }
            """)
        defer { scratch.clean() }
        let result = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", scratch.results("r")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let files = try resultFiles(scratch.results("r"))
        func object(_ suffix: String) throws -> [String: Any] {
            let bytes = try #require(files.first { $0.key.hasSuffix(suffix) }?.value)
            return try #require(try JSONSerialization.jsonObject(with: Foundation.Data(bytes)) as? [String: Any])
        }
        let final = try #require(try object("final.json")["metrics"] as? [String: Any])
        let metrics = try #require(try object("evaluation.json")["metrics"] as? [String: Any])
        let testKL = try #require(final["test_kl"] as? Double), negELBO = try #require(final["test_neg_elbo"] as? Double)
        let klTotal = try #require((metrics["kl_per_dimension"] as? [String: Any])?["total"] as? Double)
        let iwae = try #require((metrics["iwae"] as? [String: Any])?["value"] as? Double)
        #expect(abs(klTotal - testKL) <= 1e-4 * max(1, testKL), "KL per dimension \(klTotal), test KL \(testKL)")
        // k = 1: the bound is a one-sample −ELBO, an estimate of what the evaluation measured.
        #expect(abs(iwae - negELBO) < 0.1 * negELBO, "IWAE (k = 1) \(iwae), test −ELBO \(negELBO)")
        let mig = try #require((metrics["mig"] as? [String: Any])?["value"] as? Double)
        #expect(mig.isFinite && mig >= 0 && mig <= 1)
    }

    @Test func unlabelledDataAreRefusedNamingThePath() throws {
        let scratch = try SweepScratch("{}")
        defer { scratch.clean() }
        let images = scratch.results("x.npy")
        try FileManager.default.createDirectory(atPath: scratch.results(""), withIntermediateDirectories: true)
        try Foundation.Data(NPYFile.encode((0..<40 * 64).map { Float($0 % 7) / 7 }, shape: [40, 1, 8, 8]))
            .write(to: URL(fileURLWithPath: images))
        let file = scratch.results("c.json")
        try """
        { "name": "c", "data": { "dataset": "array", "path": "\(images)" },
          "model": { "type": "vae", "latent": 2, "conditioning": { "classes": 2 } },
          "training": { "epochs": 1, "batch": 8 } }
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["run", file, "--results", scratch.results("r")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("model.conditioning"), "\(result.stderr)")
        #expect(result.stderr.contains("has no labels"), "\(result.stderr)")
    }
}
