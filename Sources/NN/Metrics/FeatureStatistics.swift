import CBLAS

/// Mean and covariance of a set of feature vectors, in double precision: the Gaussian that FID
/// compares. The covariance divides by n − 1, as `numpy.cov` and the reference FID code do.
public struct FeatureStatistics: Sendable {
    public let dimension: Int
    public let count: Int
    public let mean: [Double]
    /// d × d, symmetric.
    public let covariance: [Double]

    /// Statistics of `count` row vectors of `dimension` floats (row-major); needs count ≥ 2.
    public init(features: [Float], count: Int, dimension: Int) {
        precondition(count >= 2 && features.count == count * dimension,
                     "FeatureStatistics: \(features.count) values for \(count) × \(dimension) (count ≥ 2)")
        self.dimension = dimension
        self.count = count
        var mean = [Double](repeating: 0, count: dimension)
        for row in 0..<count {
            for j in 0..<dimension { mean[j] += Double(features[row * dimension + j]) }
        }
        for j in 0..<dimension { mean[j] /= Double(count) }
        var centred = [Double](repeating: 0, count: count * dimension)
        for row in 0..<count {
            for j in 0..<dimension { centred[row * dimension + j] = Double(features[row * dimension + j]) - mean[j] }
        }
        var covariance = [Double](repeating: 0, count: dimension * dimension)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dimension), Int32(dimension), Int32(count),
                    1 / Double(count - 1), centred, Int32(dimension), centred, Int32(dimension), 0,
                    &covariance, Int32(dimension))
        self.mean = mean
        self.covariance = covariance
    }

    /// Statistics given directly (for tests and cached reference statistics).
    public init(mean: [Double], covariance: [Double], count: Int) {
        precondition(covariance.count == mean.count * mean.count, "FeatureStatistics: covariance is not d × d")
        dimension = mean.count
        self.count = count
        self.mean = mean
        self.covariance = covariance
    }
}

/// The Fréchet distance between two Gaussians (FID when the features are a classifier's):
/// ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½. Both square roots come from symmetric
/// eigen-decompositions in double precision, with eigenvalues below zero (rounding) set to zero,
/// so the result is real without the complex-part clean-up `scipy.linalg.sqrtm` needs.
public enum FrechetDistance {
    public static func distance(_ a: FeatureStatistics, _ b: FeatureStatistics) -> Double {
        precondition(a.dimension == b.dimension, "FrechetDistance: dimensions \(a.dimension) and \(b.dimension)")
        let d = a.dimension
        var meanTerm = 0.0
        for j in 0..<d { meanTerm += (a.mean[j] - b.mean[j]) * (a.mean[j] - b.mean[j]) }
        var traces = 0.0
        for j in 0..<d { traces += a.covariance[j * d + j] + b.covariance[j * d + j] }
        let rootA = SymmetricEigen(a.covariance, n: d).map { max($0, 0).squareRoot() }
        var product = [Double](repeating: 0, count: d * d)
        var middle = [Double](repeating: 0, count: d * d)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1,
                    rootA, Int32(d), b.covariance, Int32(d), 0, &product, Int32(d))
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1,
                    product, Int32(d), rootA, Int32(d), 0, &middle, Int32(d))
        // Symmetrise against rounding before the second decomposition.
        for i in 0..<d {
            for j in (i + 1)..<max(i + 1, d) {
                let average = (middle[i * d + j] + middle[j * d + i]) / 2
                middle[i * d + j] = average
                middle[j * d + i] = average
            }
        }
        var crossTrace = 0.0
        for value in SymmetricEigen(middle, n: d).values { crossTrace += max(value, 0).squareRoot() }
        return max(0, meanTerm + traces - 2 * crossTrace)
    }
}
