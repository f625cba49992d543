import Models
import NN
import Spec

// Dimension letters: N examples, D data size, Z latent.

/// The metrics of the encoder and the likelihood, on the first test examples (docs/metrics.md).
extension MetricContext {
    /// `iwae`: the mean over the first min(examples, test count) test examples of −log p̂(x), the
    /// importance-weighted bound with k samples (Burda et al. 2016), in nats. VAE only (the spec
    /// rejects it elsewhere).
    func importanceWeightedBound(k: Int, examples: Int, rng: inout RandomStream) -> JSONObject {
        guard let vae = model as? VAE else { preconditionFailure("iwae is validated to need a VAE") }
        let n = min(examples, test.count)
        let x = testInputs(n)                                                          // (N, D)
        let labels = conditioningLabels(n) ?? []                                       // (N), empty if unconditional
        let bounds = x.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                vae.negativeImportanceWeightedBound(x.baseAddress!, labels: labels.isEmpty ? nil : y.baseAddress, count: n, k: k,
                                                    rng: &rng)
            }
        }
        var sum = 0.0
        for bound in bounds { sum += bound }
        return ["value": JSONValue.finite(sum / Double(n)), "examples": .int(Int64(n))]
    }

    /// `active_units`: the dimensions whose activity Cov_x(E_q[z_i]) exceeds `threshold`, over the
    /// first min(examples, test count) test examples (all when nil), with every dimension's activity.
    func activeUnits(threshold: Float, examples: Int?) -> JSONObject {
        let (statistics, n) = posteriorStatistics(examples: examples)
        // The threshold as written (0.01), not its Float rounding (0.0099999998).
        let limit = Double(threshold.description) ?? Double(threshold)
        return ["value": .int(Int64(statistics.activeUnits(threshold: limit))), "dimensions": .int(Int64(statistics.activity.count)),
                "examples": .int(Int64(n)), "activity": .array(statistics.activity.map(JSONValue.finite))]
    }

    /// `kl_per_dimension`: the mean KL(q(z_i | x) ‖ N(0, 1)) of each dimension over the first
    /// min(examples, test count) test examples (all when nil), and their sum.
    func klPerDimension(examples: Int?) -> JSONObject {
        let (statistics, n) = posteriorStatistics(examples: examples)
        var total = 0.0
        for kl in statistics.kl { total += kl }
        return ["values": .array(statistics.kl.map(JSONValue.finite)), "total": JSONValue.finite(total), "examples": .int(Int64(n))]
    }

    /// `PosteriorStatistics` of the encoder over the first test examples, in the model's range; a
    /// conditional VAE encodes each with its label.
    private func posteriorStatistics(examples: Int?) -> (PosteriorStatistics, count: Int) {
        guard let encoder = model as? any EncodingModel else { preconditionFailure("posterior metrics are validated to need an encoder") }
        let n = min(examples ?? test.count, test.count), z = model.latent
        let x = testInputs(n)                                                          // (N, D)
        var stats = [Float](repeating: 0, count: n * 2 * z)                            // (N, 2Z)
        encoder.encodePosterior(x, classLabels: conditioningLabels(n), count: n, into: &stats)
        return (stats.withUnsafeBufferPointer { PosteriorStatistics(posteriors: $0.baseAddress!, count: n, latent: z) }, n)
    }

    /// The labels of the first `count` test examples for a conditional model (nil otherwise: the
    /// spec refuses conditioning on data without labels).
    func conditioningLabels(_ count: Int) -> [Int32]? {
        guard model.conditionedClasses > 0, let labels = test.labels else { return nil }
        return Array(labels.prefix(count))
    }
}
