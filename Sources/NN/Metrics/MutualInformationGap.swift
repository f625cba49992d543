/// MIG (Chen et al. 2018) as disentanglement_lib computes it: each code dimension is discretised
/// into `bins` equal-width bins between its minimum and maximum (`np.histogram` edges, then
/// `np.digitize`); for each ground-truth factor, the mutual information (nats) with every code
/// dimension is computed from the contingency table, as `sklearn.metrics.mutual_info_score` does;
/// the gap between the largest and second-largest, divided by the factor's entropy, is averaged
/// over the factors.
public enum MutualInformationGap {
    public struct Result: Sendable, Equatable {
        /// Mean normalised gap over factors.
        public var mig: Double
        /// The normalised gap of each factor.
        public var perFactor: [Double]
        public var bins: Int
    }

    /// `codes`: n × d (row-major), `factors`: n × f integer factor values (row-major).
    public static func estimate(codes: [Float], count n: Int, dimension d: Int, factors: [Int], factorCount f: Int,
                                bins: Int = 20) -> Result {
        precondition(d >= 2 && n > 0 && codes.count == n * d && factors.count == n * f,
                     "MutualInformationGap: needs at least 2 code dimensions and matching sizes")
        let discrete = (0..<d).map { j in discretise((0..<n).map { codes[$0 * d + j] }, bins: bins) }
        var gaps: [Double] = []
        for factor in 0..<f {
            let values = (0..<n).map { factors[$0 * f + factor] }
            let entropy = mutualInformation(values, values)
            let informations = discrete.map { mutualInformation($0, values) }.sorted(by: >)
            gaps.append(entropy > 0 ? (informations[0] - informations[1]) / entropy : 0)
        }
        var sum = 0.0
        for gap in gaps { sum += gap }
        return Result(mig: gaps.isEmpty ? 0 : sum / Double(gaps.count), perFactor: gaps, bins: bins)
    }

    /// Bin index 0..<bins of each value: edges at min + (max − min)·i / bins, the maximum in the
    /// last bin (as `np.digitize(x, np.histogram(x, bins)[1][:-1])`, shifted to start at 0).
    static func discretise(_ values: [Float], bins: Int) -> [Int] {
        guard let low = values.min(), let high = values.max(), high > low else { return values.map { _ in 0 } }
        let lo = Double(low), width = (Double(high) - lo) / Double(bins)
        return values.map { value in
            var bin = 0
            // The largest i with edge_i ≤ value, edges computed as numpy's linspace does.
            while bin + 1 < bins && lo + Double(bin + 1) * width <= Double(value) { bin += 1 }
            return bin
        }
    }

    /// I(a; b) in nats from the joint histogram of two label sequences.
    static func mutualInformation(_ a: [Int], _ b: [Int]) -> Double {
        let n = Double(a.count)
        var joint: [Int: [Int: Int]] = [:]
        var countA: [Int: Int] = [:]
        var countB: [Int: Int] = [:]
        for (x, y) in zip(a, b) {
            joint[x, default: [:]][y, default: 0] += 1
            countA[x, default: 0] += 1
            countB[y, default: 0] += 1
        }
        var total = 0.0
        // Sorted keys: the summation order, and so the bits, do not depend on hashing.
        for x in joint.keys.sorted() {
            let row = joint[x]!
            for y in row.keys.sorted() {
                let pxy = Double(row[y]!) / n
                let px = Double(countA[x]!) / n, py = Double(countB[y]!) / n
                total += pxy * _log(pxy / (px * py))
            }
        }
        return max(0, total)
    }
}
