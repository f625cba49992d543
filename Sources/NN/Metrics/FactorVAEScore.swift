// Dimension letters: B batch, K factors, Z code size.

/// The FactorVAE disentanglement score (Kim & Mnih 2018, §4) as disentanglement_lib's
/// `compute_factor_vae`: the codes' variances over `variancePoints` uniform factor vectors
/// (n − 1 divisor) normalise each dimension; dimensions with variance > 0 are active. Each vote
/// draws a factor k uniformly and B vectors with factor k fixed to the first vector's level; the
/// active dimension with the smallest ratio of the batch's variance (n − 1) to the global variance
/// votes for k. The classifier maps each dimension to the factor with most training votes
/// (`majorityVote`); the score is the share of evaluation votes it gets right.
///
/// dlib keeps dimensions with √variance ≥ 0 — every dimension — so a dimension with variance 0
/// divides 0 by 0 and, as NaN, wins every argmin; here it is left out (the paper prunes collapsed
/// dimensions). With no active dimension the result is all zeros, as dlib returns.
public enum FactorVAEScore {
    public struct Result: Sendable, Equatable {
        public var trainAccuracy: Double
        public var evalAccuracy: Double
        /// The number of dimensions with variance > 0.
        public var activeDimensions: Int
        /// (Z) the factor each dimension votes for, nil for an inactive dimension.
        public var classifier: [Int?]
    }

    public static func compute(_ truth: GroundTruth, batch: Int, trainPoints: Int, evalPoints: Int, variancePoints: Int,
                               rng: inout RandomStream) -> Result {
        precondition(batch >= 2 && trainPoints >= 1 && evalPoints >= 1 && variancePoints >= 2,
                     "FactorVAEScore: needs batches and variance estimates of at least 2")
        let z = truth.dimension, k = truth.factorCount
        let global = variances(truth.sample(variancePoints, rng: &rng).codes, count: variancePoints, dimension: z)
        let active = global.map { $0 > 0 }
        let activeCount = active.filter { $0 }.count
        guard activeCount > 0 else {
            return Result(trainAccuracy: 0, evalAccuracy: 0, activeDimensions: 0, classifier: [Int?](repeating: nil, count: z))
        }
        let train = votes(truth, batch: batch, points: trainPoints, global: global, active: active, rng: &rng)
        let classifier = majorityVote(train, factors: k, dimension: z)
        let eval = votes(truth, batch: batch, points: evalPoints, global: global, active: active, rng: &rng)
        return Result(trainAccuracy: accuracy(train, classifier: classifier, factors: k, dimension: z),
                      evalAccuracy: accuracy(eval, classifier: classifier, factors: k, dimension: z),
                      activeDimensions: activeCount,
                      classifier: (0..<z).map { active[$0] ? classifier[$0] : nil })
    }

    /// Per dimension, the variance of the `count` codes (count, Z) with divisor count − 1.
    static func variances(_ codes: [Float], count n: Int, dimension z: Int) -> [Double] {
        (0..<z).map { j in
            var mean = 0.0
            for i in 0..<n { mean += Double(codes[i * z + j]) }
            mean /= Double(n)
            var squares = 0.0
            for i in 0..<n { let e = Double(codes[i * z + j]) - mean; squares += e * e }
            return squares / Double(n - 1)
        }
    }

    /// The vote table (K, Z) of `points` votes, represented a group of about 4,096 codes at a time;
    /// each vote draws k, then its B vectors.
    static func votes(_ truth: GroundTruth, batch: Int, points: Int, global: [Double], active: [Bool],
                      rng: inout RandomStream) -> [Int] {
        let z = truth.dimension, k = truth.factorCount, group = max(1, 4096 / batch)
        var table = [Int](repeating: 0, count: k * z)
        var start = 0
        while start < points {
            let g = min(group, points - start)
            var factors: [Int] = [], chosen: [Int] = []
            factors.reserveCapacity(g * batch * k)
            for _ in 0..<g {
                let factor = rng.nextInt(below: k)
                chosen.append(factor)
                var vectors = truth.sampleFactors(batch, rng: &rng)
                for i in 1..<batch { vectors[i * k + factor] = vectors[factor] }
                factors += vectors
            }
            let codes = truth.codes(factors, count: g * batch)
            for p in 0..<g {
                let local = variances(Array(codes[(p * batch * z)..<((p + 1) * batch * z)]), count: batch, dimension: z)
                var best = -1, bestRatio = Double.infinity
                for j in 0..<z where active[j] {
                    let ratio = local[j] / global[j]
                    if best < 0 || ratio < bestRatio { best = j; bestRatio = ratio }
                }
                table[chosen[p] * z + best] += 1
            }
            start += g
        }
        return table
    }

    /// For each dimension, the factor with most votes in `votes` (K, Z); the first on ties, so a
    /// dimension without votes maps to factor 0 (numpy's `argmax`).
    public static func majorityVote(_ votes: [Int], factors k: Int, dimension z: Int) -> [Int] {
        precondition(votes.count == k * z, "FactorVAEScore: a vote table of \(votes.count) for \(k) × \(z)")
        return (0..<z).map { j in
            var best = 0
            for f in 1..<max(k, 1) where votes[f * z + j] > votes[best * z + j] { best = f }
            return best
        }
    }

    /// The share of the votes (K, Z) whose factor is the one `classifier` gives their dimension.
    public static func accuracy(_ votes: [Int], classifier: [Int], factors k: Int, dimension z: Int) -> Double {
        var right = 0, total = 0
        for f in 0..<k { for j in 0..<z { total += votes[f * z + j]; if classifier[j] == f { right += votes[f * z + j] } } }
        return total == 0 ? 0 : Double(right) / Double(total)
    }
}
