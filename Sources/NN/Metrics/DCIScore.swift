// Dimension letters: N points, K factors, Z code size.

/// Disentanglement, completeness and informativeness (Eastwood & Williams 2018) as
/// disentanglement_lib's `compute_dci`: for each factor j a `GradientBoostedTrees` classifier
/// (sklearn's defaults) predicts it from the whole code, on `trainPoints` uniform factor vectors;
/// its feature importances are column j of the importance matrix R (Z, K), its accuracies on the
/// training points and on `testPoints` new ones give informativeness (means over factors). With
/// H_b the entropy in base b of a vector normalised to sum 1 (after adding 1e-11 to every entry,
/// as dlib does before `scipy.stats.entropy`),
///
///     D = Σᵢ ρᵢ (1 − H_K(Rᵢ·)),   ρᵢ = Σⱼ Rᵢⱼ / Σ R
///     C = Σⱼ ωⱼ (1 − H_Z(R·ⱼ)),   ωⱼ = Σᵢ Rᵢⱼ / Σ R
///
/// (ρ and ω uniform when R is all zero). Each column of R sums to 1, so ω is uniform and C is the
/// mean over factors.
public enum DCIScore {
    public struct Result: Sendable, Equatable {
        public var disentanglement: Double
        public var completeness: Double
        public var informativenessTrain: Double
        public var informativenessTest: Double
        /// (Z, K) row-major.
        public var importance: [Double]
    }

    public static func compute(_ truth: GroundTruth, trainPoints: Int, testPoints: Int,
                               configuration: GradientBoostedTrees.Configuration = .init(), rng: inout RandomStream) -> Result {
        let z = truth.dimension, k = truth.factorCount
        let train = truth.sample(trainPoints, rng: &rng)
        let test = truth.sample(testPoints, rng: &rng)
        var importance = [Double](repeating: 0, count: z * k)
        var trainSum = 0.0, testSum = 0.0
        for j in 0..<k {
            let model = GradientBoostedTrees(features: train.codes, labels: (0..<trainPoints).map { train.factors[$0 * k + j] },
                                             dimension: z, configuration: configuration)
            for i in 0..<z { importance[i * k + j] = abs(model.featureImportances[i]) }
            trainSum += model.accuracy(train.codes, labels: (0..<trainPoints).map { train.factors[$0 * k + j] })
            testSum += model.accuracy(test.codes, labels: (0..<testPoints).map { test.factors[$0 * k + j] })
        }
        return Result(disentanglement: disentanglement(importance, dimension: z, factors: k),
                      completeness: completeness(importance, dimension: z, factors: k),
                      informativenessTrain: trainSum / Double(k), informativenessTest: testSum / Double(k),
                      importance: importance)
    }

    /// D of an importance matrix (Z, K), K ≥ 2.
    public static func disentanglement(_ importance: [Double], dimension z: Int, factors k: Int) -> Double {
        precondition(k >= 2 && importance.count == z * k, "DCIScore: needs at least 2 factors")
        let rows = (0..<z).map { i in (0..<k).map { importance[i * k + $0] } }
        return weightedScore(rows, base: k)
    }

    /// C of an importance matrix (Z, K), Z ≥ 2.
    public static func completeness(_ importance: [Double], dimension z: Int, factors k: Int) -> Double {
        precondition(z >= 2 && importance.count == z * k, "DCIScore: needs at least 2 code dimensions")
        let columns = (0..<k).map { j in (0..<z).map { importance[$0 * k + j] } }
        return weightedScore(columns, base: z)
    }

    /// Σ over the vectors of (their share of the total) · (1 − H_base(vector)).
    static func weightedScore(_ vectors: [[Double]], base: Int) -> Double {
        var total = 0.0
        for vector in vectors { for v in vector { total += v } }
        var score = 0.0
        for vector in vectors {
            var mass = 0.0
            for v in vector { mass += v }
            let weight = total == 0 ? 1 / Double(vectors.count) : mass / total
            score += weight * (1 - entropy(vector, base: base))
        }
        return score
    }

    /// scipy.stats.entropy(v + 1e-11, base): of the vector normalised to sum 1.
    static func entropy(_ vector: [Double], base: Int) -> Double {
        let shifted = vector.map { $0 + 1e-11 }
        var sum = 0.0
        for v in shifted { sum += v }
        var h = 0.0
        for v in shifted { let p = v / sum; if p > 0 { h -= p * _log(p) } }
        return h / _log(Double(base))
    }
}
