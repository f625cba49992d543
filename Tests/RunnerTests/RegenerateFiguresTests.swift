import Foundation
import Report
import Runner
import Spec
import Testing

/// `RunFigures.regenerate`: a finished run folder's figures redrawn from its checkpoint, byte for
/// byte; nothing touched when the checkpoint is missing or unusable.
@Suite(.serialized) struct RegenerateFiguresTests {
    static let experiment = """
        {
          "name": "regen",
          "data": { "dataset": "sprites", "size": 16, "train_size": 128, "test_size": 40 },
          "model": { "type": "vae", "latent": 2, "encoder": [ { "dense": 16, "activation": "relu", "batch_norm": true } ],
                     "decoder": [ { "dense": 16, "activation": "relu" }, { "dropout": 0.2 } ] },
          "training": { "epochs": 2, "batch": 32 },
          "seeds": [0],
          "sweep": { "model": [
            { "type": "vae", "latent": 2, "encoder": [ { "dense": 16, "activation": "relu", "batch_norm": true } ],
              "decoder": [ { "dense": 16, "activation": "relu" }, { "dropout": 0.2 } ] },
            { "type": "gan", "latent": 2, "schedule": { "ema": 0.9 },
              "generator": [ { "dense": 16, "activation": "relu", "batch_norm": true }, { "dense": 256, "activation": "tanh" },
                             { "reshape": [1, 16, 16] } ],
              "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] } ] },
          "report": { "interpolation": "spherical", "interpolation_steps": 5 }
        }
        """

    /// Trains both runs (a VAE with batch norm and dropout, a GAN with EMA weights).
    static func train(into root: String) throws -> [(run: RunSpec, folder: RunFolder)] {
        let experiment = try ExperimentLoader.parse(text: experiment, file: "regen.json")
        let outcomes = try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet)).run(experiment)
        try #require(outcomes.map(\.outcome) == [.completed, .completed])
        return outcomes.map { ($0.run, RunFolder(experimentFolder: root + "/regen", runID: $0.run.id)) }
    }

    static func pngs(_ folder: RunFolder) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".png") {
            files[name] = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name)))
        }
        return files
    }

    /// The run as `genlab report` gets it: from the folder's spec.json.
    static func spec(of folder: RunFolder) throws -> RunSpec {
        try ExperimentLoader.parseRun(text: String(contentsOfFile: folder.spec, encoding: .utf8), file: folder.spec, experiment: "regen")
    }

    @Test func redrawnFiguresAreByteIdenticalToTheRunsOwn() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (run, folder) in try Self.train(into: root) {
            let written = try Self.pngs(folder)
            #expect(written.count == (run.model.isGAN ? 4 : 6))
            for name in written.keys { try FileManager.default.removeItem(atPath: folder.path + "/" + name) }
            let spec = try Self.spec(of: folder)
            #expect(spec.id == run.id)
            let kinds = try RunFigures.regenerate(run: spec, folder: folder, catalog: DataCatalog())
            #expect(Set(kinds.map { $0.rawValue + ".png" }) == Set(written.keys))
            let redrawn = try Self.pngs(folder)
            #expect(Set(redrawn.keys) == Set(written.keys))
            for (name, bytes) in written { #expect(redrawn[name] == bytes, "\(run.model.isGAN ? "GAN" : "VAE") \(name) differs") }
        }
    }

    @Test func aMissingOrForeignCheckpointLeavesThePNGsAlone() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runs = try Self.train(into: root)
        let (vae, gan) = (runs[0].folder, runs[1].folder)
        // No checkpoint: an error that says so; the PNGs there stay, a removed one stays removed.
        try FileManager.default.removeItem(atPath: vae.checkpoint)
        try FileManager.default.removeItem(atPath: vae.figure("manifold"))
        let before = try Self.pngs(vae)
        #expect(throws: FigureRegenerationError.noCheckpoint(path: vae.checkpoint)) {
            try RunFigures.regenerate(run: Self.spec(of: vae), folder: vae, catalog: DataCatalog())
        }
        #expect(try Self.pngs(vae) == before)
        // Another run's checkpoint: not usable (its run id differs), nothing written either.
        try FileManager.default.copyItem(atPath: gan.checkpoint, toPath: vae.checkpoint)
        do {
            try RunFigures.regenerate(run: Self.spec(of: vae), folder: vae, catalog: DataCatalog())
            Issue.record("a foreign checkpoint was accepted")
        } catch FigureRegenerationError.unusableCheckpoint(let path, let reason) {
            #expect(path == vae.checkpoint && reason.contains("run_id"))
        }
        #expect(try Self.pngs(vae) == before)
    }
}

extension ModelSpec {
    var isGAN: Bool { if case .gan = self { true } else { false } }
}
