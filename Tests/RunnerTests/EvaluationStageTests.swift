@testable import Evaluation
import Foundation
import Report
@testable import RunStore
import Runner
import Spec
import Testing

/// The evaluation stage (`RunEvaluator`): a finished run folder's figures redrawn from its
/// checkpoint byte for byte; a changed report section evaluated without training, to the bytes a
/// fresh run writes; nothing touched when the checkpoint is missing or unusable.
@Suite(.serialized) struct EvaluationStageTests {
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
    static func train(into root: String, text: String = experiment) throws -> [(run: RunSpec, folder: RunFolder)] {
        let experiment = try ExperimentLoader.parse(text: text, file: "regen.json")
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

    /// The run as a later command gets it: training from the folder's spec.json (which holds no
    /// report), the report section and the swept values (in figure titles) from the experiment.
    static func spec(of folder: RunFolder, report: ReportSpec, swept: [SweptValue] = []) throws -> RunSpec {
        var run = try ExperimentLoader.parseRun(text: String(contentsOfFile: folder.spec, encoding: .utf8), file: folder.spec,
                                                experiment: "regen")
        run.report = report
        run.swept = swept
        return run
    }

    @Test func redrawnFiguresAreByteIdenticalToTheRunsOwn() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (run, folder) in try Self.train(into: root) {
            let written = try Self.pngs(folder)
            #expect(written.count == (run.model.isGAN ? 4 : 6))
            for name in written.keys { try FileManager.default.removeItem(atPath: folder.path + "/" + name) }
            let spec = try Self.spec(of: folder, report: run.report, swept: run.swept)
            #expect(spec.id == run.id)
            let outcome = try RunEvaluator(catalog: DataCatalog()).evaluate(spec, folder: folder, redraw: true)
            #expect(Set(outcome.computed.map { $0 + ".png" }) == Set(written.keys))
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
        let report = runs[0].run.report
        // No checkpoint: an error that says so; the PNGs there stay, a removed one stays removed.
        try FileManager.default.removeItem(atPath: vae.checkpoint)
        try FileManager.default.removeItem(atPath: vae.figure("manifold"))
        let before = try Self.pngs(vae)
        #expect(throws: FinishedModelError.noCheckpoint(path: vae.checkpoint)) {
            try RunEvaluator(catalog: DataCatalog()).evaluate(Self.spec(of: vae, report: report), folder: vae, redraw: true)
        }
        #expect(try Self.pngs(vae) == before)
        // Another run's checkpoint: not usable (its run id differs), nothing written either.
        try FileManager.default.copyItem(atPath: gan.checkpoint, toPath: vae.checkpoint)
        do {
            try RunEvaluator(catalog: DataCatalog()).evaluate(Self.spec(of: vae, report: report), folder: vae, redraw: true)
            Issue.record("a foreign checkpoint was accepted")
        } catch FinishedModelError.unusableCheckpoint(let path, let reason) {
            #expect(path == vae.checkpoint && reason.contains("run_id"))
        }
        #expect(try Self.pngs(vae) == before)
    }
}

extension EvaluationStageTests {
    /// The same experiment with another report section: a metric more, linear interpolations of
    /// 7 steps, no traversals.
    static let changedReport = experiment.replacingOccurrences(
        of: #""report": { "interpolation": "spherical", "interpolation_steps": 5 }"#,
        with: #""report": { "grids": ["samples", "reconstructions", "interpolations", "manifold", "latent"], "interpolation_steps": 7, "metrics": [{ "name": "fid", "samples": 64 }] }"#)

    @Test func aChangedReportIsEvaluatedWithoutTrainingToTheBytesOfAFreshRun() throws {
        #expect(Self.changedReport != Self.experiment)
        let root = try temporaryFolder(), fresh = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: fresh) }
        let trained = try Self.train(into: root)
        let training = try trained.map { try (snapshotFile($0.folder.checkpoint), snapshotFile($0.folder.metrics)) }

        let changed = try ExperimentLoader.parse(text: Self.changedReport, file: "regen.json")
        #expect(changed.runs.map(\.id) == trained.map(\.run.id), "the report section is not in the run id")
        let outcomes = try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet)).run(changed)
        // Both compute their interpolations again (new steps) and the metric; neither trains.
        #expect(outcomes.map(\.outcome) == [.evaluated(computed: ["interpolations", "fid"]), .evaluated(computed: ["interpolations", "fid"])])
        for ((_, folder), (checkpoint, metrics)) in zip(trained, training) {
            #expect(try snapshotFile(folder.checkpoint) == checkpoint && snapshotFile(folder.metrics) == metrics)
            #expect(!FileManager.default.fileExists(atPath: folder.figure("traversals")))
        }
        // A fresh run of the changed file writes the same bytes, evaluation.json included.
        _ = try SweepRunner(resultsRoot: fresh, progress: ProgressPrinter(style: .quiet)).run(changed)
        let incremental = try snapshot(root + "/regen/runs"), direct = try snapshot(fresh + "/regen/runs")
        #expect(Set(incremental.keys) == Set(direct.keys))
        let differing = incremental.keys.filter { incremental[$0] != direct[$0] }.sorted()
        #expect(differing.isEmpty, "differ: \(differing)")
        #expect(incremental.keys.contains { $0.hasSuffix("evaluation.json") })

        // Evaluated again, with nothing changed: skipped.
        let again = try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet)).run(changed)
        #expect(again.map(\.outcome) == [.skipped, .skipped])
    }

    @Test func migrationMovesAnOldResultsFolderToTheBytesOfAFreshRun() throws {
        let root = try temporaryFolder(), old = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: old) }
        // GenLab 0.1 logged at epoch ends only: runs whose file says so migrate.
        let text = Self.changedReport.replacingOccurrences(of: #""training": { "epochs": 2, "batch": 32 }"#,
                                                           with: #""training": { "epochs": 2, "batch": 32, "log_every_steps": 0 }"#)
        #expect(text != Self.changedReport)
        let trained = try Self.train(into: root, text: text)
        // The same results as GenLab 0.1 wrote them.
        try FileManager.default.copyItem(atPath: root + "/regen", toPath: old + "/regen")
        for (run, _) in trained { try LegacyLayout.write(run, experimentFolder: old + "/regen") }
        #expect(!FileManager.default.fileExists(atPath: old + "/regen/runs/" + trained[0].run.id))

        // With automatic logging the file asks for lines the old metrics.jsonl lacks: left alone.
        let automatic = try ExperimentLoader.parse(text: Self.changedReport, file: "regen.json")
        let refused = try ResultsMigration.migrate(folder: old + "/regen", experiment: automatic)
        #expect(refused.migrated.isEmpty && refused.loggedOtherwise == automatic.runs.map(\.id))
        let experiment = try ExperimentLoader.parse(text: text, file: "regen.json")
        let outcome = try ResultsMigration.migrate(folder: old + "/regen", experiment: experiment)
        #expect(outcome.migrated == trained.map(\.run.id))
        let migrated = try snapshot(old + "/regen/runs"), direct = try snapshot(root + "/regen/runs")
        #expect(Set(migrated.keys) == Set(direct.keys))
        let differing = migrated.keys.filter { migrated[$0] != direct[$0] }.sorted()
        #expect(differing.isEmpty, "differ: \(differing)")
        // Migrating again changes nothing.
        let second = try ResultsMigration.migrate(folder: old + "/regen", experiment: experiment)
        #expect(second.migrated.isEmpty && second.current == trained.map(\.run.id))
    }
}

/// The bytes of one file.
func snapshotFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: path)))
}

extension ModelSpec {
    var isGAN: Bool { if case .gan = self { true } else { false } }
}
