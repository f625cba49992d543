import Data
import Models
import NN
import Spec

// Dimension letters: N examples, D data size, Z latent, F classifier features.

/// The metrics a run declares in `report.metrics` (definitions in docs/metrics.md), computed once
/// after training from the trained model. Each draws from its own stream
/// `RandomStream(seed: run.seed, purpose: "metric.<name>")` and only evaluates the model, so
/// declaring a metric changes no training byte and no other metric's numbers.
///
/// Each becomes one member of `final.json`'s `metrics`, an object holding the result (`value`
/// where there is one number), the counts it was computed from (`examples`, `real`, `generated`,
/// `points`) and `parameters`: the resolved spec entry without its name.
enum DeclaredMetrics {
    static func compute(model: any GenerativeModel, run: RunSpec, data: DataSplits,
                        classifierFolder: String) throws -> [(String, JSONValue)] {
        guard !run.report.metrics.isEmpty, let generating = model as? any GeneratingModel else { return [] }
        let context = MetricContext(model: generating, run: run, data: data, classifierFolder: classifierFolder)
        return try run.report.metrics.map { metric in
            var result = try context.compute(metric)
            result["parameters"] = .object(JSONObject(pairs: metric.parameters))
            return (metric.name, .object(result))
        }
    }

    /// The checks that need the loaded data (the spec has checked model and data kinds): enough
    /// test examples for each metric, labels and a buildable classifier for feature metrics.
    static func preflight(_ run: RunSpec, data: DataSplits, file: String) throws(SpecError) {
        for (index, metric) in run.report.metrics.enumerated() {
            let path = "report.metrics[\(index)]", test = data.test.count
            func need(_ minimum: Int) throws(SpecError) {
                guard test < minimum else { return }
                throw SpecError(file: file, path: path,
                                expected: "data with at least \(minimum) test example\(minimum == 1 ? "" : "s") for \(JSONWriter.quoted(metric.name))",
                                found: "\(test) test example\(test == 1 ? "" : "s")")
            }
            switch metric {
            case .iwae, .activeUnits, .klPerDimension:
                try need(1)
            case .fid, .kid:
                try need(2)
                try checkClassifier(data, path: path, file: file, metric: metric)
            case .precisionRecall(_, let k):
                try need(k + 1)
                try checkClassifier(data, path: path, file: file, metric: metric)
            case .mig:
                break
            }
        }
    }

    private static func checkClassifier(_ data: DataSplits, path: String, file: String, metric: MetricSpec) throws(SpecError) {
        guard data.train.labels != nil, data.test.labels != nil, data.exampleShape.count == 3 else {
            throw SpecError(file: file, path: path, expected: "labelled images for \(JSONWriter.quoted(metric.name))",
                            found: "data without labels")
        }
        do {
            _ = try EvaluationClassifier(inputShape: data.exampleShape, classes: data.classCount, seed: 0, maxBatch: 1)
        } catch {
            throw SpecError(file: file, path: path, expected: "images the evaluation classifier can take for \(JSONWriter.quoted(metric.name))",
                            found: "images of shape \(data.exampleShape): \(error.found)")
        }
    }
}

/// What the metrics of one run share: the model, the test split, and — built on first use — the
/// evaluation classifier and the features of the real images.
final class MetricContext {
    let model: any GeneratingModel
    let run: RunSpec
    let data: DataSplits
    let classifierFolder: String
    var test: any Dataset { data.test }
    private var realFeatureCache: (count: Int, features: [Float])?
    private var classifierEntry: EvaluationClassifierCache.Entry?

    init(model: any GeneratingModel, run: RunSpec, data: DataSplits, classifierFolder: String) {
        self.model = model
        self.run = run
        self.data = data
        self.classifierFolder = classifierFolder
    }

    func compute(_ metric: MetricSpec) throws -> JSONObject {
        var rng = RandomStream(seed: run.seed, purpose: "metric." + metric.name)
        switch metric {
        case let .iwae(k, examples): return importanceWeightedBound(k: k, examples: examples, rng: &rng)
        case let .activeUnits(threshold, examples): return activeUnits(threshold: threshold, examples: examples)
        case let .klPerDimension(examples): return klPerDimension(examples: examples)
        case let .fid(samples): return try frechetDistance(samples: samples, rng: &rng)
        case let .kid(samples, subsets, subsetSize):
            return try kernelDistance(samples: samples, subsets: subsets, subsetSize: subsetSize, rng: &rng)
        case let .precisionRecall(samples, k): return try precisionRecall(samples: samples, k: k, rng: &rng)
        case let .mig(points, bins): return mutualInformationGap(points: points, bins: bins, rng: &rng)
        }
    }

    /// Test examples `0..<count` as (count, D) floats in the range the model trains on.
    func testInputs(_ count: Int) -> [Float] {
        var x = [Float](repeating: 0, count: count * test.exampleSize)   // (N, D)
        Array(0..<count).withUnsafeBufferPointer { test.gather($0, into: &x) }
        RunFigures.fromUnitRange(&x, to: model)
        return x
    }

    /// The cached (or newly trained) evaluation classifier of the run's data set.
    func classifier() throws -> EvaluationClassifierCache.Entry {
        if let classifierEntry { return classifierEntry }
        let entry = try EvaluationClassifierCache.classifier(for: run.data, splits: data, folder: classifierFolder)
        classifierEntry = entry
        return entry
    }

    /// Features (count, F) of the first `count` test images (in [0, 1]), computed once per count.
    func realFeatures(_ count: Int) throws -> [Float] {
        if let cached = realFeatureCache, cached.count == count { return cached.features }
        let classifier = try classifier().classifier
        var features = [Float](repeating: 0, count: count * classifier.featureSize)   // (N, F)
        var x = [Float](repeating: 0, count: classifier.network.maxBatch * test.exampleSize)
        var start = 0
        while start < count {
            let n = min(classifier.network.maxBatch, count - start)
            Array(start..<(start + n)).withUnsafeBufferPointer { indices in
                x.withUnsafeMutableBufferPointer { test.gather(indices, into: $0.baseAddress!) }
            }
            features.withUnsafeMutableBufferPointer { classifier.features(x, batch: n, into: $0.baseAddress! + start * classifier.featureSize) }
            start += n
        }
        realFeatureCache = (count, features)
        return features
    }

    /// Features (count, F) of `count` images generated from the prior: codes drawn from `rng`,
    /// `maxBatch` of the classifier at a time, decoded, mapped to [0, 1] as the figures are and
    /// clipped to it (a Gaussian decoder's means may leave it).
    func generatedFeatures(_ count: Int, rng: inout RandomStream) throws -> [Float] {
        let classifier = try classifier().classifier
        let chunk = classifier.network.maxBatch
        var features = [Float](repeating: 0, count: count * classifier.featureSize)   // (N, F)
        var codes = [Float](repeating: 0, count: chunk * model.latent)                 // (chunk, Z)
        var images = [Float](repeating: 0, count: chunk * test.exampleSize)            // (chunk, D)
        var start = 0
        while start < count {
            let n = min(chunk, count - start)
            model.sampleLatent(into: &codes, count: n, rng: &rng)
            model.decodeMean(codes, count: n, into: &images)
            RunFigures.toUnitRange(&images, from: model)
            for i in 0..<(n * test.exampleSize) { images[i] = min(max(images[i], 0), 1) }
            features.withUnsafeMutableBufferPointer { classifier.features(images, batch: n, into: $0.baseAddress! + start * classifier.featureSize) }
            start += n
        }
        return features
    }
}
