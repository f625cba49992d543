// Dimension letters: B batch of pairs, K factors, Z code size.

/// The β-VAE disentanglement score (Higgins et al. 2017, §3) as disentanglement_lib's
/// `compute_beta_vae_sklearn`: each point draws a factor k uniformly, then B factor-vector pairs
/// with factor k equal within each pair (both drawn uniformly, the second's k-th level replaced by
/// the first's); its feature is the mean over the pairs of |z₁ − z₂| (codes), its label k. A
/// `LogisticRegression` (sklearn's defaults) is trained on `trainPoints` such points; the score is
/// its accuracy on `evalPoints` new ones.
public enum BetaVAEScore {
    public struct Result: Sendable, Equatable {
        public var trainAccuracy: Double
        public var evalAccuracy: Double
    }

    public static func compute(_ truth: GroundTruth, batch: Int, trainPoints: Int, evalPoints: Int,
                               rng: inout RandomStream) -> Result {
        precondition(batch >= 1 && trainPoints >= 1 && evalPoints >= 1, "BetaVAEScore: needs a batch and points")
        let train = sample(truth, batch: batch, points: trainPoints, rng: &rng)
        let model = LogisticRegression(features: train.features, labels: train.labels, dimension: truth.dimension)
        let eval = sample(truth, batch: batch, points: evalPoints, rng: &rng)
        return Result(trainAccuracy: model.accuracy(train.features, labels: train.labels),
                      evalAccuracy: model.accuracy(eval.features, labels: eval.labels))
    }

    /// `points` features (points, Z) and labels; the draws of each point are k, then the first
    /// batch of B vectors, then the second. Points are represented a group at a time (about 4,096
    /// codes), so memory stays bounded whatever `points` is.
    static func sample(_ truth: GroundTruth, batch: Int, points: Int, rng: inout RandomStream) -> (features: [Double], labels: [Int]) {
        let z = truth.dimension, k = truth.factorCount, group = max(1, 4096 / (2 * batch))
        var features = [Double](repeating: 0, count: points * z)   // (points, Z)
        var labels = [Int](repeating: 0, count: points)
        var start = 0
        while start < points {
            let g = min(group, points - start)
            var factors: [Int] = []                                 // (g·2B, K): each point's first then second batch
            factors.reserveCapacity(g * 2 * batch * k)
            for p in 0..<g {
                let factor = rng.nextInt(below: k)
                labels[start + p] = factor
                let first = truth.sampleFactors(batch, rng: &rng)
                var second = truth.sampleFactors(batch, rng: &rng)
                for i in 0..<batch { second[i * k + factor] = first[i * k + factor] }
                factors += first
                factors += second
            }
            let codes = truth.codes(factors, count: g * 2 * batch)   // (g·2B, Z)
            for p in 0..<g {
                for j in 0..<z {
                    var sum = 0.0
                    for i in 0..<batch {
                        sum += abs(Double(codes[(p * 2 * batch + i) * z + j]) - Double(codes[(p * 2 * batch + batch + i) * z + j]))
                    }
                    features[(start + p) * z + j] = sum / Double(batch)
                }
            }
            start += g
        }
        return (features, labels)
    }
}
