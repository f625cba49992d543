@testable import Evaluation
import Formats
import Foundation
import Report
@testable import RunStore
import Runner
import Spec
import Testing

/// `report.metrics` end to end: a run computes what it declares after training and writes it to
/// `final.json` with its parameters and counts; the same run twice gives the same bytes; declaring
/// metrics changes no training byte.
@Suite struct DeclaredMetricsTests {
    static func sprites(metrics: String?) -> String {
        """
        {
          "name": "metrics",
          "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
          "model": { "type": "vae", "latent": 3,
                     "encoder": [ { "dense": 32, "activation": "relu" } ],
                     "decoder": [ { "dense": 32, "activation": "relu" } ] },
          "training": { "epochs": 2, "batch": 32 }\(metrics.map { ",\n  \"report\": { \"grids\": [], \"metrics\": \($0) }" } ?? "")
        }
        """
    }

    static func run(_ text: String, into root: String) throws -> (run: RunSpec, outcome: RunOutcome, folder: String) {
        let experiment = try ExperimentLoader.parse(text: text, file: "metrics.json")
        let result = try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet),
                                     classifiers: .init(folder: root + "/.classifiers", minimumSteps: 100)).run(experiment)[0]
        return (result.run, result.outcome, root + "/\(experiment.name)/runs/\(result.run.id)")
    }

    /// `final.json`'s training metrics with `evaluation.json`'s computed ones.
    static func finalMetrics(_ folder: String) throws -> JSONObject {
        let text = try String(contentsOfFile: folder + "/final.json", encoding: .utf8)
        guard case .object(let final) = try JSONParser.parse(text, file: "final.json"),
              case .object(var metrics)? = final["metrics"] else { throw SpecError(file: "final.json", path: "metrics", expected: "an object", found: "?") }
        for member in EvaluationRecord.read(folder: folder)?.metrics ?? [:] { metrics[member.key] = member.value }
        return metrics
    }

    static func object(_ value: JSONValue?) -> JSONObject {
        if case .object(let object)? = value { return object }
        Issue.record("not an object: \(String(describing: value))")
        return [:]
    }

    /// Equal as JSON objects (`final.json` sorts keys; literals keep their order).
    static func same(_ a: JSONValue?, _ b: JSONValue) -> Bool {
        a.map(JSONWriter.canonical) == JSONWriter.canonical(b)
    }

    static func number(_ value: JSONValue?) -> Double {
        switch value {
        case .number(let x)?: return x
        case .int(let n)?: return Double(n)
        default: Issue.record("not a number: \(String(describing: value))"); return .nan
        }
    }

    @Test func posteriorMetricsAreWrittenWithTheirParametersAndChangeNoTrainingByte() throws {
        let declared = #"[{"name": "iwae", "k": 8, "examples": 16}, "active_units", {"name": "kl_per_dimension", "examples": 1000}]"#
        let a = try temporaryFolder(), b = try temporaryFolder(), plain = try temporaryFolder()
        defer { for root in [a, b, plain] { try? FileManager.default.removeItem(atPath: root) } }
        let first = try Self.run(Self.sprites(metrics: declared), into: a)
        #expect(first.outcome == .completed)
        let metrics = try Self.finalMetrics(first.folder)

        let iwae = Self.object(metrics["iwae"])
        #expect(Self.same(iwae["parameters"], ["k": 8, "examples": 16]))
        #expect(iwae["examples"] == .int(16))
        let bound = Self.number(iwae["value"])
        #expect(bound.isFinite && bound > 0, "iwae \(bound)")

        let active = Self.object(metrics["active_units"])
        #expect(Self.same(active["parameters"], ["threshold": 0.01, "examples": .null]))
        #expect(active["examples"] == .int(64) && active["dimensions"] == .int(3))
        guard case .array(let activity)? = active["activity"] else { Issue.record("no activity"); return }
        #expect(activity.count == 3)
        #expect(Self.number(active["value"]) == Double(activity.filter { Self.number($0) > 0.01 }.count))

        // Over every test example, the KL of the dimensions sums to the test KL (both closed form).
        let kl = Self.object(metrics["kl_per_dimension"])
        #expect(Self.same(kl["parameters"], ["examples": 1000]))
        #expect(kl["examples"] == .int(64))
        guard case .array(let values)? = kl["values"] else { Issue.record("no values"); return }
        #expect(values.count == 3 && values.allSatisfy { Self.number($0) >= 0 })
        let total = Self.number(kl["total"]), testKL = Self.number(metrics["test_kl"])
        #expect(abs(total - testKL) <= 1e-5 * max(testKL, 1), "sum of per-dimension KL \(total), test_kl \(testKL)")

        // The same run again: the same bytes (timing.json aside).
        _ = try Self.run(Self.sprites(metrics: declared), into: b)
        let snapshotA = try snapshot(a), snapshotB = try snapshot(b)
        #expect(Set(snapshotA.keys) == Set(snapshotB.keys))
        for (name, bytes) in snapshotA { #expect(snapshotB[name] == bytes, "\(name) differs between two runs of the same file") }

        // Without the metrics (the same run id): the same training, to the byte.
        let without = try Self.run(Self.sprites(metrics: nil), into: plain)
        #expect(FileManager.default.contents(atPath: without.folder + "/metrics.jsonl")
            == FileManager.default.contents(atPath: first.folder + "/metrics.jsonl"))
        let withCheckpoint = try SafeTensors.decode(Array(try #require(FileManager.default.contents(atPath: first.folder + "/checkpoint.safetensors"))))
        let plainCheckpoint = try SafeTensors.decode(Array(try #require(FileManager.default.contents(atPath: without.folder + "/checkpoint.safetensors"))))
        // The same run (metrics are not in its id): the same checkpoint, metadata and all.
        #expect(withCheckpoint == plainCheckpoint)
        #expect(first.run.id == without.run.id)
        let plainMetrics = try Self.finalMetrics(without.folder)
        for key in ["test_neg_elbo", "test_recon", "test_kl"] { #expect(plainMetrics[key] == metrics[key]) }
        #expect(plainMetrics["iwae"] == nil)
    }

    @Test func migOnSpritesIsANumberInTheUnitInterval() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Self.run(Self.sprites(metrics: #"[{"name": "mig", "points": 1000}]"#), into: root)
        #expect(result.outcome == .completed)
        let mig = Self.object(try Self.finalMetrics(result.folder)["mig"])
        #expect(Self.same(mig["parameters"], ["points": 1000, "bins": 20]))
        #expect(mig["points"] == .int(1000))
        let value = Self.number(mig["value"])
        #expect(value >= 0 && value <= 1, "mig \(value)")
        let perFactor = Self.object(mig["per_factor"])
        #expect(Set(perFactor.keys) == ["shape", "scale", "orientation", "posX", "posY"])
        var sum = 0.0
        for factor in perFactor { sum += Self.number(factor.value) }
        #expect(abs(sum / 5 - value) < 1e-12)
    }

    /// β-VAE, FactorVAE, SAP and DCI on the tiny VAE (16×16 sprites, latent 3) with small counts:
    /// every key, the estimator, the parameters, numbers in range and matrices of latent × factor.
    @Test func disentanglementMetricsOnSprites() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let declared = #"[{"name": "beta_vae_score", "batch": 4, "train_points": 40, "eval_points": 20}, "#
            + #"{"name": "factor_vae_score", "batch": 4, "train_points": 40, "eval_points": 20, "variance_points": 100}, "#
            + #"{"name": "sap", "train_points": 120, "test_points": 60}, {"name": "dci", "train_points": 120, "test_points": 60}]"#
        let result = try Self.run(Self.sprites(metrics: declared), into: root)
        #expect(result.outcome == .completed)
        let metrics = try Self.finalMetrics(result.folder)
        func unit(_ value: JSONValue?) -> Bool { let x = Self.number(value); return x >= 0 && x <= 1 }
        func matrix(_ value: JSONValue?) -> Bool {
            guard case .array(let rows)? = value, rows.count == 3 else { return false }
            return rows.allSatisfy { row in
                guard case .array(let entries) = row, entries.count == 5 else { return false }
                return entries.allSatisfy(unit)
            }
        }

        let beta = Self.object(metrics["beta_vae_score"])
        #expect(Set(beta.keys) == ["value", "train_accuracy", "eval_accuracy", "estimator", "parameters"])
        #expect(Self.same(beta["parameters"], ["batch": 4, "train_points": 40, "eval_points": 20]))
        #expect(unit(beta["value"]) && unit(beta["train_accuracy"]) && beta["value"] == beta["eval_accuracy"])
        #expect(beta["estimator"] == .string("logistic_regression(multinomial, L2, C 1, intercept)"))

        let factor = Self.object(metrics["factor_vae_score"])
        #expect(Set(factor.keys) == ["value", "train_accuracy", "eval_accuracy", "active_dims", "dimension_factors", "estimator", "parameters"])
        #expect(Self.same(factor["parameters"], ["batch": 4, "train_points": 40, "eval_points": 20, "variance_points": 100]))
        #expect(unit(factor["value"]) && unit(factor["train_accuracy"]) && factor["value"] == factor["eval_accuracy"])
        guard case .array(let dimensionFactors)? = factor["dimension_factors"] else { Issue.record("no dimension_factors"); return }
        #expect(dimensionFactors.count == 3 && dimensionFactors.filter { $0 != .null }.count == Int(Self.number(factor["active_dims"])))

        let sap = Self.object(metrics["sap"])
        #expect(Set(sap.keys) == ["value", "per_factor", "scores", "estimator", "parameters"])
        #expect(Self.same(sap["parameters"], ["train_points": 120, "test_points": 60]))
        #expect(unit(sap["value"]) && matrix(sap["scores"]))
        #expect(Set(Self.object(sap["per_factor"]).keys) == ["shape", "scale", "orientation", "posX", "posY"])

        let dci = Self.object(metrics["dci"])
        #expect(Set(dci.keys) == ["value", "disentanglement", "completeness", "informativeness_train", "informativeness_test",
                                  "importance", "estimator", "parameters"])
        #expect(Self.same(dci["parameters"], ["train_points": 120, "test_points": 60]))
        #expect(["value", "disentanglement", "completeness", "informativeness_train", "informativeness_test"].allSatisfy { unit(dci[$0]) })
        #expect(dci["value"] == dci["disentanglement"] && matrix(dci["importance"]))
        #expect(dci["estimator"] == .string("gradient_boosting(100 stages, depth 3, lr 0.1)"))
    }

    /// 1024 labelled 28×28 images in four classes (a bright bar at one of four heights, on
    /// noise), as a `.npy` array and its labels.
    static func barImages(in folder: String) throws -> (images: String, labels: String) {
        var values = [Float](repeating: 0, count: 1024 * 784), labels = [Float](repeating: 0, count: 1024)
        var state: UInt64 = 7
        for n in 0..<1024 {
            labels[n] = Float(n % 4)
            for p in 0..<784 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let row = p / 28, bar = 3 + 6 * (n % 4)
                values[n * 784 + p] = (row >= bar && row < bar + 4) ? 0.9 : Float(state >> 40) / Float(1 << 24) * 0.3
            }
        }
        let paths = (folder + "/bars.npy", folder + "/bars-labels.npy")
        try Foundation.Data(NPYFile.encode(values, shape: [1024, 1, 28, 28])).write(to: URL(fileURLWithPath: paths.0))
        try Foundation.Data(NPYFile.encode(labels, shape: [1024])).write(to: URL(fileURLWithPath: paths.1))
        return paths
    }

    /// A GAN on labelled images (in [−1, 1]): FID, KID and precision/recall on the cached
    /// classifier's features, each with its sample counts and the classifier's accuracy. The
    /// classifier trains on the full data set (without `test_size`), keyed by its content.
    @Test func featureMetricsStateTheirCountsAndTheClassifier() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bars = try Self.barImages(in: root)
        let text = """
        {
          "name": "bar-metrics",
          "data": { "dataset": "array", "path": "\(bars.images)", "labels": "\(bars.labels)", "test_size": 256 },
          "model": { "type": "gan", "latent": 8,
                     "generator": [ { "dense": 64, "activation": "relu" }, { "dense": 784, "activation": "tanh" },
                                    { "reshape": [1, 28, 28] } ],
                     "discriminator": [ { "dense": 64, "activation": "leaky_relu" } ] },
          "training": { "epochs": 1, "batch": 64 },
          "report": { "grids": [], "metrics": [ "fid", {"name": "kid", "samples": 200, "subsets": 5, "subset_size": 50},
                                                {"name": "precision_recall", "samples": 200} ] }
        }
        """
        let result = try Self.run(text, into: root)
        #expect(result.outcome == .completed)
        let metrics = try Self.finalMetrics(result.folder)
        let classifiers = try FileManager.default.contentsOfDirectory(atPath: root + "/.classifiers").filter { !$0.hasSuffix(".lock") }
        #expect(classifiers.count == 1 && classifiers[0].hasSuffix("-seed0.safetensors"))
        // Named by the full data set's content: the same arrays without test_size.
        let full = try DataCatalog().splits(for: EvaluationClassifierCache.fullData(result.run.data), file: "metrics.json")
        #expect(full.train.count == 922 && classifiers[0] == "\(DataFingerprint.of(full).prefix(12))-seed0.safetensors")

        let fid = Self.object(metrics["fid"])
        #expect(Self.same(fid["parameters"], ["samples": 10_000]))
        #expect(fid["real"] == .int(256) && fid["generated"] == .int(256))
        #expect(Self.number(fid["value"]) > 0)
        let kid = Self.object(metrics["kid"])
        #expect(Self.same(kid["parameters"], ["samples": 200, "subsets": 5, "subset_size": 50]))
        #expect(kid["real"] == .int(200) && kid["generated"] == .int(200) && kid["subset_size"] == .int(50))
        #expect(Self.number(kid["value"]).isFinite && Self.number(kid["sd"]) >= 0)
        let pr = Self.object(metrics["precision_recall"])
        #expect(Self.same(pr["parameters"], ["samples": 200, "k": 3]))
        #expect(pr["real"] == .int(200) && pr["generated"] == .int(200))
        for key in ["precision", "recall"] { #expect((0...1).contains(Self.number(pr[key])), "\(key)") }
        for metric in [fid, kid, pr] {
            #expect(metric["classifier"] == .string(classifiers[0]))
            let accuracy = Self.number(metric["classifier_test_accuracy"])
            #expect(accuracy > 0.3 && accuracy <= 1, "classifier accuracy \(accuracy)")
        }
        // The report reads the main values and the counts, and skips the parameters.
        let record = RunRecord.read(folder: result.folder, id: result.run.id, seed: 0, swept: [], unfinishedStatus: .pending)
        #expect(record.metric("fid") == Self.number(fid["value"]))
        #expect(record.metric("fid.real") == 256)
        #expect(record.metric("precision_recall.recall") == Self.number(pr["recall"]))
        #expect(record.metric("kid.parameters") == nil && record.metrics.allSatisfy { !$0.name.contains("parameters") })
    }

    /// What needs the loaded data is checked before training, at the metric's path.
    @Test func preflightNeedsEnoughTestExamples() throws {
        let text = Self.sprites(metrics: #"["kl_per_dimension", {"name": "precision_recall", "k": 100, "samples": 500}]"#)
        let experiment = try ExperimentLoader.parse(text: text, file: "metrics.json")
        #expect(throws: SpecError(file: "metrics.json", path: "report.metrics[1]",
                                  expected: #"data with at least 101 test examples for "precision_recall""#,
                                  found: "64 test examples")) {
            try SweepRunner(resultsRoot: "", progress: ProgressPrinter(style: .quiet)).preflight(experiment, catalog: DataCatalog())
        }
    }
}

/// `genlab migrate`'s classifier step: a feature metric recorded with the old per-spec classifier
/// name is renamed to the shared classifier where the data were used whole (the same network), and
/// removed where a `test_size` limited them (another classifier), so it is recomputed.
@Test func migrationNamesTheSharedClassifierOrDropsNumbersOfAnotherOne() throws {
    let root = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let bars = try DeclaredMetricsTests.barImages(in: root)
    for (name, limit) in [("whole", ""), ("limited", #", "test_size": 256"#)] {
        let text = """
        {"name": "\(name)", "data": {"dataset": "array", "path": "\(bars.images)", "labels": "\(bars.labels)"\(limit)},
         "model": {"type": "gan", "latent": 4, "generator": [{"dense": 784, "activation": "tanh"}, {"reshape": [1, 28, 28]}],
                   "discriminator": [{"dense": 16, "activation": "leaky_relu"}]},
         "training": {"epochs": 1, "batch": 64}, "report": {"grids": [], "metrics": [{"name": "fid", "samples": 200}]}}
        """
        let result = try DeclaredMetricsTests.run(text, into: root)
        let path = result.folder + "/evaluation.json"
        let fresh = try String(contentsOfFile: path, encoding: .utf8)
        let old = fresh.replacingOccurrences(of: #"("classifier": ")[0-9a-f]{12}-seed0"#, with: "$1d78eed22e8f-seed0", options: .regularExpression)
        #expect(old != fresh)
        try old.write(toFile: path, atomically: true, encoding: .utf8)
        let experiment = try ExperimentLoader.parse(text: text, file: "metrics.json")
        let outcome = try ResultsMigration.migrate(folder: root + "/" + name, experiment: experiment)
        let migrated = try String(contentsOfFile: path, encoding: .utf8)
        if limit.isEmpty {
            #expect(migrated == fresh && outcome.classifierRenamed == [result.run.id] && outcome.classifierRecomputed.isEmpty)
        } else {
            #expect(EvaluationRecord.read(folder: result.folder)?.metrics["fid"] == nil)
            #expect(outcome.classifierRecomputed == [result.run.id] && outcome.classifierRenamed.isEmpty)
        }
    }
}
