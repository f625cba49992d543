/// `report.metrics`: an array of metric names (every parameter at its default) or objects
/// `{"name": …, <parameters>}`; each metric at most once. Whether a metric applies to the model
/// and data is checked across sections (`checkMetrics`), where both are known.
extension SpecDecoder {
    func decodeMetrics(_ value: JSONValue, at path: JSONPath) throws -> [MetricSpec] {
        let names = MetricKind.allCases.map(\.rawValue)
        let expected = "an array of metric names (" + ObjectReader.list(names) + ") or objects {\"name\": …, <parameters>}"
        let metrics = try readArray(value, at: path, expected: expected) { element, path in
            try decodeMetric(element, at: path)
        }
        for (index, metric) in metrics.enumerated() {
            if let first = metrics[..<index].firstIndex(where: { $0.kind == metric.kind }) {
                throw error(path.index(index), expected: "a metric not listed before",
                            found: JSONValue.string(metric.name).summary, hint: "also \(path.index(first))")
            }
        }
        return metrics
    }

    private func decodeMetric(_ value: JSONValue, at path: JSONPath) throws -> MetricSpec {
        let kindRule = Rules.oneOf(MetricKind.self)
        if case .string = value { return MetricSpec.defaults(try read(value, at: path, kindRule)) }
        let reader = try ObjectReader(value, at: path, self, expected: "a metric name or an object {\"name\": …, <parameters>}")
        let kind = try reader.required("name", kindRule)
        try reader.rejectUnknownKeys(["name"] + kind.parameterKeys, in: "metric \(JSONWriter.quoted(kind.rawValue))")
        let most = Int64(SpecLimits.maxExamples)
        let atLeastOne = Rules.integer(atLeast: 1, atMost: most), atLeastTwo = Rules.integer(atLeast: 2, atMost: most)
        switch MetricSpec.defaults(kind) {
        case let .iwae(k, examples):
            return .iwae(k: try reader.optional("k", default: k, Rules.integer(atLeast: 1, atMost: 1_000_000)),
                         examples: try reader.optional("examples", default: examples, atLeastOne))
        case let .activeUnits(threshold, _):
            return .activeUnits(threshold: try reader.optional("threshold", default: threshold, Rules.number(min: 0)),
                                examples: try reader.nullable("examples", atLeastOne))
        case .klPerDimension:
            return .klPerDimension(examples: try reader.nullable("examples", atLeastOne))
        case let .fid(samples):
            return .fid(samples: try reader.optional("samples", default: samples, atLeastTwo))
        case let .kid(samples, subsets, subsetSize):
            return .kid(samples: try reader.optional("samples", default: samples, atLeastTwo),
                        subsets: try reader.optional("subsets", default: subsets, Rules.integer(atLeast: 1, atMost: 100_000)),
                        subsetSize: try reader.optional("subset_size", default: subsetSize, atLeastTwo))
        case let .precisionRecall(samples, k):
            let k = try reader.optional("k", default: k, atLeastOne)
            let samples = try reader.optional("samples", default: samples, Rules.integer(atLeast: Int64(k) + 1, atMost: most))
            return .precisionRecall(samples: samples, k: k)
        case let .mig(points, bins):
            return .mig(points: try reader.optional("points", default: points, atLeastTwo),
                        bins: try reader.optional("bins", default: bins, Rules.integer(atLeast: 2, atMost: 10_000)))
        case let .betaVAEScore(batch, train, eval):
            return .betaVAEScore(batch: try reader.optional("batch", default: batch, Rules.integer(atLeast: 1, atMost: 10_000)),
                                 trainPoints: try reader.optional("train_points", default: train, atLeastOne),
                                 evalPoints: try reader.optional("eval_points", default: eval, atLeastOne))
        case let .factorVAEScore(batch, train, eval, variance):
            return .factorVAEScore(batch: try reader.optional("batch", default: batch, Rules.integer(atLeast: 2, atMost: 10_000)),
                                   trainPoints: try reader.optional("train_points", default: train, atLeastOne),
                                   evalPoints: try reader.optional("eval_points", default: eval, atLeastOne),
                                   variancePoints: try reader.optional("variance_points", default: variance, atLeastTwo))
        case let .sap(train, test):
            return .sap(trainPoints: try reader.optional("train_points", default: train, atLeastOne),
                        testPoints: try reader.optional("test_points", default: test, atLeastOne))
        case let .dci(train, test):
            return .dci(trainPoints: try reader.optional("train_points", default: train, atLeastOne),
                        testPoints: try reader.optional("test_points", default: test, atLeastOne))
        }
    }

    /// Throws at the first metric of `report` that `model` and `data` cannot give: `iwae` needs a
    /// VAE (a VAE-GAN has no pixel likelihood p(x | z): its reconstruction term is measured on
    /// discriminator features); `active_units` and `kl_per_dimension` an encoder; `fid`, `kid` and
    /// `precision_recall` labelled images (the evaluation classifier trains on the labels); the
    /// disentanglement metrics (`mig`, `beta_vae_score`, `factor_vae_score`, `sap`, `dci`) an
    /// encoder, `sprites` (its ground-truth factors) and, for `mig`, `sap` and `dci`, a latent of
    /// at least 2 dimensions.
    func checkMetrics(_ report: ReportSpec, model: ModelSpec, data: DataSpec) throws {
        let modelType: String, latent: Int
        switch model {
        case .vae(let vae): (modelType, latent) = ("vae", vae.latent)
        case .gan(let gan): (modelType, latent) = ("gan", gan.latent)
        case .vaeGAN(let vaeGAN): (modelType, latent) = ("vae-gan", vaeGAN.latent)
        }
        let encodes = modelType != "gan"
        // Images and arrays are checked for labels when loaded (DeclaredMetrics' preflight).
        let labelledImages = [DatasetKind.sprites, .fashionMNIST, .idx, .images, .array].contains(data.dataset)
        let path = JSONPath.root.key("report").key("metrics")
        for (index, metric) in report.metrics.enumerated() {
            let found = "\(JSONWriter.quoted(metric.name)) with model type \(JSONWriter.quoted(modelType))"
            let foundData = "\(JSONWriter.quoted(metric.name)) with data.dataset \(JSONWriter.quoted(data.dataset.rawValue))"
            let kind = metric.kind
            if kind == .iwae && modelType != "vae" {
                throw error(path.index(index), expected: "a metric that applies to the model: \"iwae\" needs model type \"vae\" "
                            + "(the bound needs the pixel likelihood p(x | z); a VAE-GAN's reconstruction term lives in "
                            + "discriminator features and a GAN has no encoder)", found: found)
            }
            if ([.activeUnits, .klPerDimension].contains(kind) || kind.needsFactors) && !encodes {
                throw error(path.index(index), expected: "a metric that applies to the model: \(JSONWriter.quoted(metric.name)) "
                            + "needs an encoder (model type \"vae\" or \"vae-gan\")", found: found)
            }
            if [.fid, .kid, .precisionRecall].contains(kind) && !labelledImages {
                throw error(path.index(index), expected: "a metric that applies to the data: \(JSONWriter.quoted(metric.name)) "
                            + "needs labelled images (\"sprites\", \"fashion-mnist\" or \"idx\") to train the evaluation classifier",
                            found: foundData)
            }
            if latent < kind.minimumLatent {
                let why = kind == .dci ? "completeness is an entropy in base Z" : "the gap between the two most informative"
                throw error(path.index(index), expected: "a metric that applies to the model: \(JSONWriter.quoted(metric.name)) "
                            + "needs a latent of at least 2 dimensions (\(why))",
                            found: "\(JSONWriter.quoted(metric.name)) with model.latent \(latent)")
            }
            if kind.needsFactors && data.dataset != .sprites {
                throw error(path.index(index), expected: "a metric that applies to the data: \(JSONWriter.quoted(metric.name)) "
                            + "needs the ground-truth factors of \"sprites\"", found: foundData)
            }
        }
    }
}

extension ReportSpec {
    /// `metrics` in resolved form: objects with every parameter explicit, in the declared order.
    var metricsJSON: JSONValue { .array(metrics.map(\.resolvedJSON)) }
}
