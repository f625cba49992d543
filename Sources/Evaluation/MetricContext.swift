import Data
import Models
import NN
import Spec

// Dimension letters: N examples, D data size, Z latent, F classifier features.

/// What the metrics of one run share: the model, the test split, and — built on first use — the
/// evaluation classifier and the features of the real images.
final class MetricContext {
    let model: any GeneratingModel
    let run: RunSpec
    let data: DataSplits
    let classifiers: EvaluationClassifierCache.Source
    var test: any Dataset { data.test }
    private var realFeatureCache: (count: Int, features: [Float])?
    private var classifierEntry: EvaluationClassifierCache.Entry?

    init(model: any GeneratingModel, run: RunSpec, data: DataSplits, classifiers: EvaluationClassifierCache.Source) {
        self.model = model
        self.run = run
        self.data = data
        self.classifiers = classifiers
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
        case let .betaVAEScore(batch, train, eval):
            return betaVAEScore(batch: batch, trainPoints: train, evalPoints: eval, rng: &rng)
        case let .factorVAEScore(batch, train, eval, variance):
            return factorVAEScore(batch: batch, trainPoints: train, evalPoints: eval, variancePoints: variance, rng: &rng)
        case let .sap(train, test): return separatedAttributePredictability(trainPoints: train, testPoints: test, rng: &rng)
        case let .dci(train, test): return disentanglementCompletenessInformativeness(trainPoints: train, testPoints: test, rng: &rng)
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
        let full = EvaluationClassifierCache.fullData(run.data)
        let entry = try EvaluationClassifierCache.classifier(for: full, splits: full == run.data ? data : try classifiers.load(full),
                                                             folder: classifiers.folder, minimumSteps: classifiers.minimumSteps)
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
