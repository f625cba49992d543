import CBLAS

/// Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of
/// balls around its points with radius the distance to the point's k-th nearest neighbour in the
/// same set. Precision is the share of generated points inside the real manifold, recall the
/// share of real points inside the generated one. Distances are Euclidean, in double precision,
/// computed in row blocks so memory stays at block × n.
public enum PrecisionRecall {
    public struct Result: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var k: Int
    }

    public static func estimate(real: [Float], realCount: Int, generated: [Float], generatedCount: Int,
                                dimension: Int, k: Int = 3) -> Result {
        precondition(k >= 1 && realCount > k && generatedCount > k, "PrecisionRecall: need more than k = \(k) points per set")
        let r = real.map(Double.init)
        let g = generated.map(Double.init)
        let realRadii = kthNeighbourDistances(r, count: realCount, dimension: dimension, k: k)
        let generatedRadii = kthNeighbourDistances(g, count: generatedCount, dimension: dimension, k: k)
        let precision = coverage(of: g, count: generatedCount, by: r, count: realCount, radii: realRadii, dimension: dimension)
        let recall = coverage(of: r, count: realCount, by: g, count: generatedCount, radii: generatedRadii, dimension: dimension)
        return Result(precision: precision, recall: recall, k: k)
    }

    /// The squared norm of each of the `count` rows of `x`.
    static func squaredNorms(_ x: [Double], count: Int, dimension: Int) -> [Double] {
        (0..<count).map { j in
            var s = 0.0
            for c in 0..<dimension { s += x[j * dimension + c] * x[j * dimension + c] }
            return s
        }
    }

    /// Squared distances from each of the rows `start..<start+rows` of `p` to every row of `q`,
    /// whose squared norms are `qNorms`.
    static func squaredDistances(_ p: [Double], start: Int, rows: Int, _ q: [Double], qNorms: [Double], count: Int,
                                 dimension: Int, into out: inout [Double]) {
        p.withUnsafeBufferPointer { pp in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(dimension), -2,
                        pp.baseAddress! + start * dimension, Int32(dimension), q, Int32(dimension), 0, &out, Int32(count))
        }
        for i in 0..<rows {
            var s = 0.0
            for c in 0..<dimension { s += p[(start + i) * dimension + c] * p[(start + i) * dimension + c] }
            for j in 0..<count { out[i * count + j] = max(0, out[i * count + j] + s + qNorms[j]) }
        }
    }

    /// Distance from each point to its k-th nearest other point of the same set.
    static func kthNeighbourDistances(_ x: [Double], count: Int, dimension: Int, k: Int) -> [Double] {
        let block = 512
        var radii = [Double](repeating: 0, count: count)
        var distances = [Double](repeating: 0, count: block * count)
        let norms = squaredNorms(x, count: count, dimension: dimension)
        for start in stride(from: 0, to: count, by: block) {
            let rows = min(block, count - start)
            squaredDistances(x, start: start, rows: rows, x, qNorms: norms, count: count, dimension: dimension, into: &distances)
            for i in 0..<rows {
                var row = Array(distances[(i * count)..<((i + 1) * count)])
                row[start + i] = .infinity   // not its own neighbour
                row.sort()
                radii[start + i] = row[k - 1].squareRoot()
            }
        }
        return radii
    }

    /// Share of the rows of `points` within radius[j] of some row j of `centres`.
    static func coverage(of points: [Double], count: Int, by centres: [Double], count centreCount: Int,
                         radii: [Double], dimension: Int) -> Double {
        let block = 512
        var inside = 0
        var distances = [Double](repeating: 0, count: block * centreCount)
        let squaredRadii = radii.map { $0 * $0 }
        let norms = squaredNorms(centres, count: centreCount, dimension: dimension)
        for start in stride(from: 0, to: count, by: block) {
            let rows = min(block, count - start)
            squaredDistances(points, start: start, rows: rows, centres, qNorms: norms, count: centreCount,
                             dimension: dimension, into: &distances)
            for i in 0..<rows {
                for j in 0..<centreCount where distances[i * centreCount + j] <= squaredRadii[j] {
                    inside += 1
                    break
                }
            }
        }
        return Double(inside) / Double(count)
    }
}
