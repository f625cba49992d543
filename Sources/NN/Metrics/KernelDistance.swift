import CBLAS

/// KID (Bińkowski et al. 2018): the unbiased estimate of the squared MMD between two feature sets
/// with the cubic polynomial kernel k(x, y) = (xᵀy / d + 1)³, averaged over random subsets of
/// equal size drawn without replacement from a seeded stream. Unlike FID it is unbiased in the
/// number of samples, which is why both report their sample counts.
public enum KernelDistance {
    public struct Result: Sendable, Equatable {
        /// Mean over subsets of the unbiased MMD².
        public var mean: Double
        /// Standard deviation over subsets (n − 1); 0 for one subset.
        public var sd: Double
        public var subsets: Int
        public var subsetSize: Int
    }

    /// KID between `a` (countA rows) and `b` (countB rows) of `dimension` floats; `subsetSize` is
    /// capped at the smaller count (and must leave at least 2).
    public static func estimate(_ a: [Float], countA: Int, _ b: [Float], countB: Int, dimension: Int,
                                subsets: Int = 100, subsetSize: Int = 1000, rng: inout RandomStream) -> Result {
        let m = min(subsetSize, countA, countB)
        precondition(m >= 2 && subsets >= 1, "KernelDistance: need subsets of at least 2 (got \(m))")
        var values: [Double] = []
        var x = [Double](repeating: 0, count: m * dimension)
        var y = [Double](repeating: 0, count: m * dimension)
        for _ in 0..<subsets {
            gather(a, count: countA, dimension: dimension, picks: m, rng: &rng, into: &x)
            gather(b, count: countB, dimension: dimension, picks: m, rng: &rng, into: &y)
            values.append(unbiasedMMD(x, y, m: m, dimension: dimension))
        }
        var sum = 0.0
        for value in values { sum += value }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        let sd = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        return Result(mean: mean, sd: sd, subsets: subsets, subsetSize: m)
    }

    /// The unbiased MMD² of two sets of m rows: off-diagonal means of K(x, x) and K(y, y) minus
    /// twice the mean of K(x, y).
    public static func unbiasedMMD(_ x: [Double], _ y: [Double], m: Int, dimension: Int) -> Double {
        func kernelSum(_ p: [Double], _ q: [Double], skipDiagonal: Bool) -> Double {
            var gram = [Double](repeating: 0, count: m * m)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(m), Int32(dimension),
                        1 / Double(dimension), p, Int32(dimension), q, Int32(dimension), 0, &gram, Int32(m))
            var sum = 0.0
            for i in 0..<m {
                for j in 0..<m where !(skipDiagonal && i == j) {
                    let base = gram[i * m + j] + 1
                    sum += base * base * base
                }
            }
            return sum
        }
        let pairs = Double(m * (m - 1))
        return kernelSum(x, x, skipDiagonal: true) / pairs + kernelSum(y, y, skipDiagonal: true) / pairs
            - 2 * kernelSum(x, y, skipDiagonal: false) / Double(m * m)
    }

    /// m distinct rows of `source` (a partial Fisher–Yates shuffle of the indices), as doubles.
    private static func gather(_ source: [Float], count: Int, dimension: Int, picks m: Int,
                               rng: inout RandomStream, into out: inout [Double]) {
        var indices = Array(0..<count)
        for i in 0..<m {
            let j = i + rng.nextInt(below: count - i)
            indices.swapAt(i, j)
            for k in 0..<dimension { out[i * dimension + k] = Double(source[indices[i] * dimension + k]) }
        }
    }
}
