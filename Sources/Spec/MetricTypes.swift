/// The metrics a run can declare in `report.metrics`; the definitions are in docs/metrics.md.
public enum MetricKind: String, Sendable, Equatable, CaseIterable {
    /// The importance-weighted bound on −log p(x) (Burda et al. 2016), VAE only.
    case iwae
    /// Latent dimensions with Cov_x(E_q[z_i]) above a threshold (Burda et al. 2016).
    case activeUnits = "active_units"
    /// Mean KL(q(z_i | x) ‖ N(0, 1)) of each latent dimension.
    case klPerDimension = "kl_per_dimension"
    /// Fréchet distance on the evaluation classifier's features (Heusel et al. 2017).
    case fid
    /// Kernel distance on the same features (Bińkowski et al. 2018).
    case kid
    /// Improved precision and recall on the same features (Kynkäänniemi et al. 2019).
    case precisionRecall = "precision_recall"
    /// Mutual information gap on `sprites`' ground-truth factors (Chen et al. 2018).
    case mig
    /// Accuracy of a linear classifier of the fixed factor from code differences (Higgins et al. 2017).
    case betaVAEScore = "beta_vae_score"
    /// Accuracy of a majority vote of the least-varying dimension (Kim & Mnih 2018).
    case factorVAEScore = "factor_vae_score"
    /// Separated attribute predictability (Kumar et al. 2018).
    case sap
    /// Disentanglement, completeness and informativeness (Eastwood & Williams 2018).
    case dci

    /// The parameter keys of the metric's object form, in the order the resolved form lists them.
    public var parameterKeys: [String] {
        switch self {
        case .iwae: ["k", "examples"]
        case .activeUnits: ["threshold", "examples"]
        case .klPerDimension: ["examples"]
        case .fid: ["samples"]
        case .kid: ["samples", "subsets", "subset_size"]
        case .precisionRecall: ["samples", "k"]
        case .mig: ["points", "bins"]
        case .betaVAEScore: ["batch", "train_points", "eval_points"]
        case .factorVAEScore: ["batch", "train_points", "eval_points", "variance_points"]
        case .sap, .dci: ["train_points", "test_points"]
        }
    }

    /// Whether the metric scores codes against `sprites`' ground-truth factors (it needs an
    /// encoder and that data).
    public var needsFactors: Bool { [.mig, .betaVAEScore, .factorVAEScore, .sap, .dci].contains(self) }

    /// The smallest latent the metric is defined for: 2 where it compares the two best dimensions
    /// (`mig`, `sap`) or takes an entropy in base Z (`dci`'s completeness), else 1.
    public var minimumLatent: Int { [.mig, .sap, .dci].contains(self) ? 2 : 1 }
}

/// One entry of `report.metrics`, every parameter resolved. Metrics are computed once, after
/// training, each from its own stream `(run seed, "metric.<name>")`, so they change no training
/// byte and no other metric's numbers; they are written to `final.json`'s `metrics`.
public enum MetricSpec: Sendable, Equatable {
    /// −log p̂(x) with `k` importance samples, averaged over the first `examples` test examples
    /// (defaults 1000 and 1000).
    case iwae(k: Int, examples: Int)
    /// Dimensions whose activity exceeds `threshold` (default 0.01), over the first `examples`
    /// test examples (nil, the default: all).
    case activeUnits(threshold: Float, examples: Int?)
    /// Over the first `examples` test examples (nil, the default: all).
    case klPerDimension(examples: Int?)
    /// `samples` real (the first test images) and as many generated images (default 10,000).
    case fid(samples: Int)
    /// As FID, with the MMD averaged over `subsets` random subsets of `subsetSize` (defaults
    /// 10,000, 100, 1,000).
    case kid(samples: Int, subsets: Int, subsetSize: Int)
    /// Manifolds of `k`-th nearest-neighbour balls (defaults 10,000 samples, k = 3).
    case precisionRecall(samples: Int, k: Int)
    /// `points` sprites drawn from every factor combination, codes in `bins` bins (defaults
    /// 10,000 and 20, as disentanglement_lib).
    case mig(points: Int, bins: Int)
    /// `trainPoints` and `evalPoints` points of `batch` pairs each (defaults 64, 10,000 and 5,000,
    /// as disentanglement_lib).
    case betaVAEScore(batch: Int, trainPoints: Int, evalPoints: Int)
    /// Votes of `batch` codes, global variances over `variancePoints` (defaults 64, 10,000, 5,000
    /// and 10,000, as disentanglement_lib).
    case factorVAEScore(batch: Int, trainPoints: Int, evalPoints: Int, variancePoints: Int)
    /// Classifiers trained on `trainPoints`, scored on `testPoints` (defaults 10,000 and 5,000).
    case sap(trainPoints: Int, testPoints: Int)
    /// Classifiers trained on `trainPoints`, scored on `testPoints` (defaults 10,000 and 5,000).
    case dci(trainPoints: Int, testPoints: Int)

    public var kind: MetricKind {
        switch self {
        case .iwae: .iwae
        case .activeUnits: .activeUnits
        case .klPerDimension: .klPerDimension
        case .fid: .fid
        case .kid: .kid
        case .precisionRecall: .precisionRecall
        case .mig: .mig
        case .betaVAEScore: .betaVAEScore
        case .factorVAEScore: .factorVAEScore
        case .sap: .sap
        case .dci: .dci
        }
    }

    /// The name in the spec and in `final.json` (`iwae`, `active_units`, …).
    public var name: String { kind.rawValue }

    /// The metric with every parameter at its default.
    public static func defaults(_ kind: MetricKind) -> MetricSpec {
        switch kind {
        case .iwae: .iwae(k: 1000, examples: 1000)
        case .activeUnits: .activeUnits(threshold: 0.01, examples: nil)
        case .klPerDimension: .klPerDimension(examples: nil)
        case .fid: .fid(samples: 10_000)
        case .kid: .kid(samples: 10_000, subsets: 100, subsetSize: 1000)
        case .precisionRecall: .precisionRecall(samples: 10_000, k: 3)
        case .mig: .mig(points: 10_000, bins: 20)
        case .betaVAEScore: .betaVAEScore(batch: 64, trainPoints: 10_000, evalPoints: 5000)
        case .factorVAEScore: .factorVAEScore(batch: 64, trainPoints: 10_000, evalPoints: 5000, variancePoints: 10_000)
        case .sap: .sap(trainPoints: 10_000, testPoints: 5000)
        case .dci: .dci(trainPoints: 10_000, testPoints: 5000)
        }
    }

    /// The parameters with their values, in `kind.parameterKeys` order (`null` for "all").
    public var parameters: [(String, JSONValue)] {
        func count(_ n: Int?) -> JSONValue { n.map { .int(Int64($0)) } ?? .null }
        switch self {
        case let .iwae(k, examples): return [("k", count(k)), ("examples", count(examples))]
        case let .activeUnits(threshold, examples): return [("threshold", .float(threshold)), ("examples", count(examples))]
        case let .klPerDimension(examples): return [("examples", count(examples))]
        case let .fid(samples): return [("samples", count(samples))]
        case let .kid(samples, subsets, subsetSize):
            return [("samples", count(samples)), ("subsets", count(subsets)), ("subset_size", count(subsetSize))]
        case let .precisionRecall(samples, k): return [("samples", count(samples)), ("k", count(k))]
        case let .mig(points, bins): return [("points", count(points)), ("bins", count(bins))]
        case let .betaVAEScore(batch, train, eval):
            return [("batch", count(batch)), ("train_points", count(train)), ("eval_points", count(eval))]
        case let .factorVAEScore(batch, train, eval, variance):
            return [("batch", count(batch)), ("train_points", count(train)), ("eval_points", count(eval)),
                    ("variance_points", count(variance))]
        case let .sap(train, test), let .dci(train, test):
            return [("train_points", count(train)), ("test_points", count(test))]
        }
    }

    /// The resolved form: `{"name": …, <every parameter>}`.
    public var resolvedJSON: JSONValue {
        .object(JSONObject(pairs: [("name", .string(name))] + parameters))
    }
}
