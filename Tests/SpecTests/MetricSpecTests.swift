import Testing
import Spec

/// `report.metrics`: names or objects with parameters, strict decoding, the resolved form, the
/// checks against model and data, and the run id (unchanged without metrics, changed with them).
@Suite struct MetricSpecTests {
    /// `minimal` (a VAE on ring) on sprites, so that every VAE metric applies.
    static let sprites = setting(minimal, ["data"], ["dataset": "sprites", "size": 16, "train_size": 128, "test_size": 16])

    static func withMetrics(_ metrics: JSONValue, _ base: JSONValue = sprites) -> JSONValue {
        setting(base, ["report"], ["metrics": metrics])
    }

    @Test func namesTakeTheDefaultsAndObjectsTheirParameters() throws {
        let run = try experiment(Self.withMetrics(["iwae", "active_units", "kl_per_dimension", "fid", "kid", "precision_recall", "mig"])).runs[0]
        #expect(run.report.metrics == [.iwae(k: 1000, examples: 1000), .activeUnits(threshold: 0.01, examples: nil),
                                       .klPerDimension(examples: nil), .fid(samples: 10_000),
                                       .kid(samples: 10_000, subsets: 100, subsetSize: 1000),
                                       .precisionRecall(samples: 10_000, k: 3), .mig(points: 10_000, bins: 20)])
        let custom = try experiment(Self.withMetrics([
            ["name": "mig", "bins": 10], ["name": "iwae", "k": 5], ["name": "active_units", "threshold": 0.1, "examples": 8],
            ["name": "kid", "subset_size": 50, "subsets": 3], ["name": "precision_recall", "k": 5, "samples": 100],
            ["name": "kl_per_dimension", "examples": .null],
        ])).runs[0]
        #expect(custom.report.metrics == [.mig(points: 10_000, bins: 10), .iwae(k: 5, examples: 1000),
                                          .activeUnits(threshold: 0.1, examples: 8),
                                          .kid(samples: 10_000, subsets: 3, subsetSize: 50),
                                          .precisionRecall(samples: 100, k: 5), .klPerDimension(examples: nil)])
    }

    /// Objects with every parameter explicit, in the declared order; the resolved spec reads back
    /// to the same run.
    @Test func resolvedFormSpellsOutEveryParameter() throws {
        let run = try experiment(Self.withMetrics(["kl_per_dimension", ["name": "iwae", "k": 10]])).runs[0]
        guard case .object(let report)? = run.resolvedJSON.objectValue?["report"] else { Issue.record("no report"); return }
        #expect(report["metrics"] == [["name": "kl_per_dimension", "examples": .null],
                                      ["name": "iwae", "k": 10, "examples": 1000]])
        let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json", experiment: "t")
        #expect(back == run && back.id == run.id)
        // No metrics: no `metrics` key, so spec.json is what it was before metrics existed.
        let plain = try experiment(Self.sprites).runs[0]
        #expect(plain.resolvedJSON.objectValue?["report"]?.objectValue?["metrics"] == nil)
        #expect(try experiment(Self.withMetrics([])).runs[0].resolvedJSON == plain.resolvedJSON)
    }

    /// Metrics are computed from the trained model, so they never reach the run id; GenLab 0.1's
    /// ids (`legacyID`, for `genlab migrate`) held them when there were any.
    @Test func metricsNeverChangeTheRunId() throws {
        let plain = try experiment(Self.sprites).runs[0]
        let iwae = try experiment(Self.withMetrics(["iwae"])).runs[0]
        let iwae100 = try experiment(Self.withMetrics([["name": "iwae", "k": 100]])).runs[0]
        #expect(iwae.id == plain.id && iwae100.id == plain.id)
        #expect(try experiment(Self.withMetrics(["iwae", "mig"])).runs[0].id == plain.id)
        #expect(try experiment(Self.withMetrics([])).runs[0].legacyID == plain.legacyID)
        #expect(iwae.legacyID != plain.legacyID && iwae100.legacyID != iwae.legacyID)
        #expect(try experiment(Self.withMetrics([["name": "iwae", "k": 1000, "examples": 1000]])).runs[0].legacyID == iwae.legacyID)
    }

    @Test func badEntriesNameThePathWhatWasExpectedAndTheNearestKey() {
        #expect(specError(Self.withMetrics(["precision-recall"])) == SpecError(
            file: "x.json", path: "report.metrics[0]",
            expected: #"one of "iwae", "active_units", "kl_per_dimension", "fid", "kid", "precision_recall", "mig", "beta_vae_score", "factor_vae_score", "sap", "dci""#,
            found: #"string "precision-recall""#, hint: #"did you mean "precision_recall"?"#))
        #expect(specError(Self.withMetrics([["name": "iwae", "samples": 10]])) == SpecError(
            file: "x.json", path: "report.metrics[0].samples", expected: #"a key of metric "iwae": "name", "k", "examples""#,
            found: #"unknown key "samples""#, hint: #"did you mean "examples"?"#))
        #expect(specError(Self.withMetrics([["k": 10]])) == SpecError(
            file: "x.json", path: "report.metrics[0].name",
            expected: #"one of "iwae", "active_units", "kl_per_dimension", "fid", "kid", "precision_recall", "mig", "beta_vae_score", "factor_vae_score", "sap", "dci""#,
            found: "missing key"))
        #expect(specError(Self.withMetrics(["mig", "iwae", "mig"])) == SpecError(
            file: "x.json", path: "report.metrics[2]", expected: "a metric not listed before", found: #"string "mig""#,
            hint: "also report.metrics[0]"))
        #expect(specError(Self.withMetrics([["name": "iwae", "k": 0]]))?.expected == "an integer from 1 to 1000000")
        #expect(specError(Self.withMetrics([["name": "iwae", "k": 10.0]]))?.path == "report.metrics[0].k")
        #expect(specError(Self.withMetrics([["name": "fid", "samples": 1]])) == SpecError(
            file: "x.json", path: "report.metrics[0].samples", expected: "an integer from 2 to 10000000", found: "number 1"))
        #expect(specError(Self.withMetrics([["name": "precision_recall", "k": 5, "samples": 5]])) == SpecError(
            file: "x.json", path: "report.metrics[0].samples", expected: "an integer from 6 to 10000000", found: "number 5"))
        #expect(specError(Self.withMetrics([["name": "active_units", "threshold": -1]]))?.expected == "a number ≥ 0")
        #expect(specError(Self.withMetrics([["name": "mig", "bins": 1]]))?.path == "report.metrics[0].bins")
        #expect(specError(Self.withMetrics("fid"))?.path == "report.metrics")
        #expect(specError(Self.withMetrics([3]))?.path == "report.metrics[0]")
    }

    /// The disentanglement metrics take dlib's defaults; their parameters are checked like `mig`'s.
    @Test func disentanglementMetricsDefaultsAndBadParameters() throws {
        let run = try experiment(Self.withMetrics(["beta_vae_score", "factor_vae_score", "sap", "dci"])).runs[0]
        #expect(run.report.metrics == [.betaVAEScore(batch: 64, trainPoints: 10_000, evalPoints: 5000),
                                       .factorVAEScore(batch: 64, trainPoints: 10_000, evalPoints: 5000, variancePoints: 10_000),
                                       .sap(trainPoints: 10_000, testPoints: 5000), .dci(trainPoints: 10_000, testPoints: 5000)])
        guard case .object(let report)? = run.resolvedJSON.objectValue?["report"] else { Issue.record("no report"); return }
        #expect(report["metrics"] == [
            ["name": "beta_vae_score", "batch": 64, "train_points": 10_000, "eval_points": 5000],
            ["name": "factor_vae_score", "batch": 64, "train_points": 10_000, "eval_points": 5000, "variance_points": 10_000],
            ["name": "sap", "train_points": 10_000, "test_points": 5000], ["name": "dci", "train_points": 10_000, "test_points": 5000]])
        let custom = try experiment(Self.withMetrics([["name": "dci", "test_points": 7], ["name": "factor_vae_score", "batch": 2]])).runs[0]
        #expect(custom.report.metrics == [.dci(trainPoints: 10_000, testPoints: 7),
                                          .factorVAEScore(batch: 2, trainPoints: 10_000, evalPoints: 5000, variancePoints: 10_000)])

        #expect(specError(Self.withMetrics([["name": "factor_vae_score", "batch": 1]])) == SpecError(
            file: "x.json", path: "report.metrics[0].batch", expected: "an integer from 2 to 10000", found: "number 1"))
        #expect(specError(Self.withMetrics([["name": "beta_vae_score", "train_points": 0]])) == SpecError(
            file: "x.json", path: "report.metrics[0].train_points", expected: "an integer from 1 to 10000000", found: "number 0"))
        #expect(specError(Self.withMetrics([["name": "beta_vae_score", "batch": 10_001]]))?.path == "report.metrics[0].batch")
        #expect(specError(Self.withMetrics([["name": "factor_vae_score", "variance_points": 1]]))?.path
            == "report.metrics[0].variance_points")
        #expect(specError(Self.withMetrics([["name": "sap", "test_points": 2.5]]))?.path == "report.metrics[0].test_points")
        #expect(specError(Self.withMetrics([["name": "sap", "eval_points": 10]])) == SpecError(
            file: "x.json", path: "report.metrics[0].eval_points", expected: #"a key of metric "sap": "name", "train_points", "test_points""#,
            found: #"unknown key "eval_points""#))
        #expect(specError(Self.withMetrics([["name": "dci", "test_points": "all"]]))?.path == "report.metrics[0].test_points")
    }

    @Test func metricsMustApplyToTheModelAndData() {
        let vaeGAN = setting(Self.sprites, ["model"], [
            "type": "vae-gan", "latent": 2, "feature_layer": 0, "encoder": [["dense": 8]],
            "decoder": [["dense": 256, "activation": "sigmoid"], ["reshape": [1, 16, 16]]], "discriminator": [["dense": 8]]])
        let iwae = specError(Self.withMetrics(["active_units", "iwae"], vaeGAN))
        #expect(iwae?.path == "report.metrics[1]")
        #expect(iwae?.expected.contains("\"iwae\" needs model type \"vae\"") == true)
        #expect(iwae?.expected.contains("discriminator features") == true)
        #expect(iwae?.found == #""iwae" with model type "vae-gan""#)
        #expect(specError(Self.withMetrics(["active_units", "kl_per_dimension", "mig", "fid"], vaeGAN)) == nil)

        let gan = setting(Self.sprites, ["model"], ["type": "gan", "latent": 2, "generator": [["dense": 256], ["reshape": [1, 16, 16]]],
                                                    "discriminator": [["dense": 8]]])
        #expect(specError(Self.withMetrics(["fid", "kid", "precision_recall"], gan)) == nil)
        #expect(specError(Self.withMetrics(["fid", "kl_per_dimension"], gan)) == SpecError(
            file: "x.json", path: "report.metrics[1]",
            expected: #"a metric that applies to the model: "kl_per_dimension" needs an encoder (model type "vae" or "vae-gan")"#,
            found: #""kl_per_dimension" with model type "gan""#))

        // `minimal` trains on ring: no images, no factors.
        #expect(specError(Self.withMetrics(["iwae", "precision_recall"], minimal)) == SpecError(
            file: "x.json", path: "report.metrics[1]",
            expected: #"a metric that applies to the data: "precision_recall" needs labelled images ("sprites", "fashion-mnist" or "idx") to train the evaluation classifier"#,
            found: #""precision_recall" with data.dataset "ring""#))
        #expect(specError(Self.withMetrics(["mig"], setting(minimal, ["data"], ["dataset": "fashion-mnist"])))?.found
            == #""mig" with data.dataset "fashion-mnist""#)
        #expect(specError(Self.withMetrics(["mig"], setting(Self.sprites, ["model", "latent"], 1)))?.found == #""mig" with model.latent 1"#)

        // The other disentanglement metrics: the same rules, a latent of 1 enough for β-VAE and FactorVAE.
        #expect(specError(Self.withMetrics(["beta_vae_score", "factor_vae_score", "sap", "dci"], vaeGAN)) == nil)
        #expect(specError(Self.withMetrics(["beta_vae_score", "factor_vae_score"], setting(Self.sprites, ["model", "latent"], 1))) == nil)
        #expect(specError(Self.withMetrics(["beta_vae_score", "dci"], setting(Self.sprites, ["model", "latent"], 1))) == SpecError(
            file: "x.json", path: "report.metrics[1]",
            expected: #"a metric that applies to the model: "dci" needs a latent of at least 2 dimensions (completeness is an entropy in base Z)"#,
            found: #""dci" with model.latent 1"#))
        #expect(specError(Self.withMetrics(["sap"], setting(Self.sprites, ["model", "latent"], 1)))?.found == #""sap" with model.latent 1"#)
        #expect(specError(Self.withMetrics(["factor_vae_score"], setting(minimal, ["data"], ["dataset": "fashion-mnist"]))) == SpecError(
            file: "x.json", path: "report.metrics[0]",
            expected: #"a metric that applies to the data: "factor_vae_score" needs the ground-truth factors of "sprites""#,
            found: #""factor_vae_score" with data.dataset "fashion-mnist""#))
        #expect(specError(Self.withMetrics(["fid", "sap"], gan)) == SpecError(
            file: "x.json", path: "report.metrics[1]",
            expected: #"a metric that applies to the model: "sap" needs an encoder (model type "vae" or "vae-gan")"#,
            found: #""sap" with model type "gan""#))
    }

    /// Sweeping a metric's parameter gives the same run twice (the report is not in the id), so it
    /// is refused; an error in a swept value is blamed on the sweep entry.
    @Test func sweptParametersAndBlame() throws {
        let swept = setting(Self.withMetrics(["iwae"]), ["sweep"], ["report.metrics[0].k": [10, 20]])
        #expect(specError(swept)?.expected == "sweep values that give distinct runs")
        let bad = setting(Self.withMetrics(["iwae"], minimal), ["sweep"], ["report.metrics": [["iwae"], ["kl_per_dimension", "fid"]]])
        #expect(specError(bad)?.path == #"sweep["report.metrics"][1][1]"#)
    }
}

extension JSONValue {
    var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}
