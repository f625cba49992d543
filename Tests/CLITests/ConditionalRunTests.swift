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
