import NN
import Spec

// Dimension letters: N samples, F classifier features.

/// FID, KID and precision/recall on the evaluation classifier's features (docs/metrics.md): real
/// = the first min(samples, test count) test images, generated = as many images decoded from
/// prior codes of the metric's own stream. Each result states both counts and the classifier.
extension MetricContext {
    /// `fid`: the Fréchet distance between Gaussians fitted to the real and generated features.
    func frechetDistance(samples: Int, rng: inout RandomStream) throws -> JSONObject {
        let (real, generated, n, dimension) = try featureSets(samples: samples, rng: &rng)
        let distance = FrechetDistance.distance(FeatureStatistics(features: real, count: n, dimension: dimension),
                                                FeatureStatistics(features: generated, count: n, dimension: dimension))
        return try counted(["value": JSONValue.finite(distance)], n)
    }

    /// `kid`: the mean (and sd) over `subsets` subsets of min(subset_size, n) of the unbiased MMD²;
    /// the subsets are drawn from the same stream, after the generated samples.
    func kernelDistance(samples: Int, subsets: Int, subsetSize: Int, rng: inout RandomStream) throws -> JSONObject {
        let (real, generated, n, dimension) = try featureSets(samples: samples, rng: &rng)
        let result = KernelDistance.estimate(real, countA: n, generated, countB: n, dimension: dimension,
                                             subsets: subsets, subsetSize: subsetSize, rng: &rng)
        return try counted(["value": JSONValue.finite(result.mean), "sd": JSONValue.finite(result.sd),
                            "subset_size": .int(Int64(result.subsetSize))], n)
    }

    /// `precision_recall`: improved precision and recall with k-th nearest-neighbour radii.
    func precisionRecall(samples: Int, k: Int, rng: inout RandomStream) throws -> JSONObject {
        let (real, generated, n, dimension) = try featureSets(samples: samples, rng: &rng)
        let result = PrecisionRecall.estimate(real: real, realCount: n, generated: generated, generatedCount: n,
                                              dimension: dimension, k: k)
        return try counted(["precision": JSONValue.finite(result.precision), "recall": JSONValue.finite(result.recall)], n)
    }

    private func featureSets(samples: Int, rng: inout RandomStream)
        throws -> (real: [Float], generated: [Float], count: Int, dimension: Int) {
        let n = min(samples, test.count)
        let real = try realFeatures(n)                                                 // (N, F)
        let generated = try generatedFeatures(n, rng: &rng)                            // (N, F)
        return (real, generated, n, try classifier().classifier.featureSize)
    }

    /// `result` with the sample counts and the classifier: its cache file's name (not the path, so
    /// `final.json` does not depend on where the results live) and its test accuracy.
    private func counted(_ result: JSONObject, _ n: Int) throws -> JSONObject {
        let entry = try classifier()
        var object = result
        object["real"] = .int(Int64(n))
        object["generated"] = .int(Int64(n))
        object["classifier"] = .string(String(entry.path.split(separator: "/").last ?? ""))
        object["classifier_test_accuracy"] = JSONValue.finite(entry.testAccuracy)
        return object
    }
}
