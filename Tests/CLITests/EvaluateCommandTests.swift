import Formats
import Foundation
import Report
import Spec
import Testing

/// The evaluation stage through the binary: a changed report section or `genlab evaluate
/// --metric` computes figures and metrics of finished runs — VAE, GAN, VAE-GAN and a GAN on 2-D
/// data — from their checkpoints without training, and a bad `--metric` is bad input.
@Suite(.serialized) struct EvaluateCommandTests {
    /// One run of each model type on 16×16 sprites (labelled; `genlab sample`'s tests use it).
    static let images = """
        {
          "name": "models",
          "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
          "model": { "type": "vae", "latent": 2, "encoder": [ { "dense": 16, "activation": "relu" } ],
                     "decoder": [ { "dense": 16, "activation": "relu" } ] },
          "training": { "epochs": 1, "batch": 32 },
          "variants": {
            "VAE": {},
            "GAN": { "model": { "type": "gan", "latent": 4,
                                "generator": [ { "dense": 16, "activation": "relu" }, { "dense": 256, "activation": "sigmoid" },
                                               { "reshape": [1, 16, 16] } ],
                                "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] } },
            "VAE-GAN": { "model": { "type": "vae-gan", "latent": 4, "feature_layer": 0,
                                    "encoder": [ { "dense": 16, "activation": "relu" } ],
                                    "decoder": [ { "dense": 256, "activation": "tanh" }, { "reshape": [1, 16, 16] } ],
                                    "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] } }
          },
          "seeds": [0],
          "report": { "grids": ["samples", "interpolations"] }
        }
        """

    /// One run of each model type on 320 labelled 16×16 images (an array at `BARS`: FID applies
    /// to all three, and the evaluation classifier trains on these few quickly): `images` with
    /// another data section.
    static let bars = images.replacingOccurrences(
        of: #""data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 }"#,
        with: #""data": { "dataset": "array", "path": "BARS", "labels": "BARS-labels.npy", "test_size": 64 }"#)

    /// A GAN on the 2-D ring: the samples scatter and the mode metrics.
    static let ring = """
        {
          "name": "ring",
          "data": { "dataset": "ring", "train_size": 512, "test_size": 128 },
          "model": { "type": "gan", "latent": 2, "generator": [ { "dense": 16, "activation": "relu" }, { "dense": 2 } ],
                     "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] },
          "training": { "epochs": 1, "batch": 64 },
          "seeds": [0]
        }
        """

    /// Every run folder's training files (checkpoint, metrics.jsonl, final.json, spec.json).
    static func trainingFiles(_ folder: String) throws -> [String: [UInt8]] {
        try resultFiles(folder + "/runs").filter { name, _ in
            ["checkpoint.safetensors", "metrics.jsonl", "final.json", "spec.json"].contains { name.hasSuffix("/" + $0) }
        }
    }

    static func evaluation(_ folder: String, run: String) throws -> JSONObject {
        let bytes = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: "\(folder)/runs/\(run)/evaluation.json")))
        guard case .success(let record) = EvaluationRecord.parse(bytes, file: "evaluation.json") else {
            Issue.record("\(run): evaluation.json does not parse"); return [:]
        }
        return record.metrics
    }

    /// `bars` with its array written into `folder`: 320 images 1×16×16 in four classes (a
    /// bright bar at one of four heights on dim noise) and their labels.
    static func bars(in folder: URL) throws -> String {
        var values = [Float](repeating: 0, count: 320 * 256), labels = [Float](repeating: 0, count: 320)
        for n in 0..<320 {
            labels[n] = Float(n % 4)
            for p in 0..<256 { values[n * 256 + p] = p / 16 / 4 == n % 4 ? 0.9 : Float((n * 7 + p * 13) % 17) / 60 }
        }
        let path = folder.appendingPathComponent("bars.npy").path
        try Foundation.Data(NPYFile.encode(values, shape: [320, 1, 16, 16])).write(to: URL(fileURLWithPath: path))
        try Foundation.Data(NPYFile.encode(labels, shape: [320])).write(to: URL(fileURLWithPath: path + "-labels.npy"))
        return bars.replacingOccurrences(of: "BARS", with: path)
    }

    @Test func evaluateAddsAMetricToEveryModelTypeWithoutTraining() throws {
        let data = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let text = try Self.bars(in: data)
        let scratch = try SweepScratch(text)
        defer { scratch.clean() }
        let results = scratch.results("r"), folder = results + "/models"
        let trained = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "2", "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let before = try Self.trainingFiles(folder)
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").sorted()
        #expect(runs.count == 3)

        // A scratch classifier cache: the first evaluation trains the classifier, one worker of two.
        let evaluated = try Genlab.run(["evaluate", folder, "--metric", #"{"name": "fid", "samples": 64}"#, "--jobs", "2"],
                                       environment: ["GENLAB_CACHE": data.path + "/cache"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("3 runs — 3 evaluated"), "\(evaluated.stdout)")
        #expect(evaluated.stderr.contains("3 runs done; evaluating fid on 3"), "\(evaluated.stderr)")
        #expect(try Self.trainingFiles(folder) == before, "evaluation changed a training file")
        for run in runs {
            guard case .object(let fid)? = try Self.evaluation(folder, run: run)["fid"] else {
                Issue.record("\(run): no fid"); continue
            }
            #expect(fid["value"]?.numberValue.map { $0.isFinite && $0 >= 0 } == true)
        }
        // The report shows it; the experiment file as run is unchanged.
        #expect(try String(contentsOfFile: folder + "/summary.md", encoding: .utf8).contains("fid"))
        #expect(try String(contentsOfFile: folder + "/experiment.json", encoding: .utf8) == text)
        let cached = try FileManager.default.contentsOfDirectory(atPath: data.path + "/cache/classifiers")
        #expect(cached.filter { $0.hasSuffix("-seed0.safetensors") }.count == 1, "\(cached)")

        // The file itself does not declare fid: running it removes fid again, training nothing.
        let rerun = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "2"])
        #expect(rerun.status == 0 && rerun.stdout.contains("3 evaluated"), "\(rerun.stdout)")
        #expect(rerun.stderr.contains("removing fid from 3"), "\(rerun.stderr)")
        for run in runs { #expect(try Self.evaluation(folder, run: run)["fid"] == nil) }
        #expect(try Self.trainingFiles(folder) == before)
        // Nothing left to do.
        let again = try Genlab.run(["evaluate", folder, "--jobs", "2", "--quiet"])
        #expect(again.status == 0 && again.stdout.contains("3 runs — 3 skipped"), "\(again.stdout)")
    }

    @Test func aChangedReportOn2DDataRedrawsWithoutTraining() throws {
        let scratch = try SweepScratch(Self.ring)
        defer { scratch.clean() }
        let results = scratch.results("r"), folder = results + "/ring"
        #expect(try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "1", "--quiet"]).status == 0)
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").first)
        let before = try Self.trainingFiles(folder)
        let metrics = try Self.evaluation(folder, run: run)
        #expect(metrics["modes_captured"] != nil && metrics["mode_count"]?.intValue == 8)
        #expect(FileManager.default.fileExists(atPath: "\(folder)/runs/\(run)/samples.png"))

        // No grids: samples.png goes, the mode metrics and their samples stay; nothing trains.
        try Self.ring.replacingOccurrences(of: #""seeds": [0]"#, with: #""seeds": [0], "report": { "grids": [] }"#)
            .write(toFile: scratch.file, atomically: true, encoding: .utf8)
        let changed = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "1"])
        #expect(changed.status == 0 && changed.stdout.contains("1 evaluated"), "\(changed.stdout)\(changed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/runs/\(run)/samples.png"))
        #expect(FileManager.default.fileExists(atPath: "\(folder)/runs/\(run)/samples.safetensors"))
        #expect(try Self.evaluation(folder, run: run) == metrics)
        #expect(try Self.trainingFiles(folder) == before)
        let status = try Genlab.run(["status", scratch.file, "--results", results])
        #expect(status.stdout.contains("completed"), "\(status.stdout)")
    }

    @Test func aBadMetricOrFolderIsBadInput() throws {
        let scratch = try SweepScratch(Self.ring)
        defer { scratch.clean() }
        let results = scratch.results("r"), folder = results + "/ring"
        #expect(try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "1", "--quiet"]).status == 0)
        let before = try resultFiles(folder)
        let cases: [(arguments: [String], says: String)] = [
            (["evaluate", folder, "--metric", "fidd"], #"--metric fidd: expected one of "iwae""#),
            (["evaluate", folder, "--metric", #"{"name": "iwae", "k": 0}"#], "at k: expected an integer from 1 to"),
            // The ring has no images: FID cannot be computed on it.
            (["evaluate", folder, "--metric", "fid"], "--metric fid"),
            (["evaluate", results], "expected the experiment file as run"),
        ]
        for (arguments, says) in cases {
            let result = try Genlab.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Backtrace"), "\(arguments) crashed")
        }
        #expect(try resultFiles(folder) == before, "a refused evaluate changed a file")
    }
}
