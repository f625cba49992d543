// Dimension letters: N points, K factors, Z code size.

/// The SAP score (Kumar et al. 2018, §3) as disentanglement_lib's `compute_sap` with discrete
/// factors: the score matrix S (Z, K) holds, for code dimension i and factor j, the test accuracy of
/// a `LinearSVC` (C = 0.01, balanced classes) trained on dimension i alone to predict factor j;
/// SAP is the mean over factors of the gap between the largest and second-largest entry of the
/// factor's column. `trainPoints`, then `testPoints` uniform factor vectors are drawn.
public enum SAPScore {
    public struct Result: Sendable, Equatable {
        public var value: Double
        /// (K) each factor's gap.
        public var perFactor: [Double]
        /// (Z, K) row-major.
        public var scores: [Double]
    }

    public static func compute(_ truth: GroundTruth, trainPoints: Int, testPoints: Int, rng: inout RandomStream) -> Result {
        let train = truth.sample(trainPoints, rng: &rng)
        let test = truth.sample(testPoints, rng: &rng)
        let scores = scoreMatrix(train: train, test: test, trainCount: trainPoints, testCount: testPoints,
                                 dimension: truth.dimension, factors: truth.factorCount)
        let gaps = gaps(scores, dimension: truth.dimension, factors: truth.factorCount)
        var sum = 0.0
        for gap in gaps { sum += gap }
        return Result(value: sum / Double(gaps.count), perFactor: gaps, scores: scores)
    }

    /// S (Z, K): the test accuracy of each one-dimension classifier.
    public static func scoreMatrix(train: (factors: [Int], codes: [Float]), test: (factors: [Int], codes: [Float]),
                                   trainCount: Int, testCount: Int, dimension z: Int, factors k: Int) -> [Double] {
        precondition(trainCount >= 1 && testCount >= 1, "SAPScore: needs training and test points")
        var scores = [Double](repeating: 0, count: z * k)
        for i in 0..<z {
            let x = (0..<trainCount).map { Double(train.codes[$0 * z + i]) }
            let xTest = (0..<testCount).map { Double(test.codes[$0 * z + i]) }
            for j in 0..<k {
                let svc = LinearSVC(feature: x, labels: (0..<trainCount).map { train.factors[$0 * k + j] })
                scores[i * k + j] = svc.accuracy(xTest, labels: (0..<testCount).map { test.factors[$0 * k + j] })
            }
        }
        return scores
    }

    /// Per factor (column of S (Z, K)), the largest entry minus the second largest.
    public static func gaps(_ scores: [Double], dimension z: Int, factors k: Int) -> [Double] {
        precondition(z >= 2 && scores.count == z * k, "SAPScore: needs at least 2 code dimensions")
        return (0..<k).map { j in
            let column = (0..<z).map { scores[$0 * k + j] }.sorted(by: >)
            return column[0] - column[1]
        }
    }
}
