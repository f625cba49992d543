/// Cross-entropy of integer class labels under softmax(logits): `−Σ_b log softmax(l_b)[y_b]`,
/// computed as `log Σ_c e^(l_c − max) − (l_y − max)` with `FastMath`'s IEEE-only exp and log, so
/// a classifier trained with it (the feature network behind FID) gives the same bits on any
/// machine. Used by the evaluation classifier, not by the generative models.
public enum SoftmaxCrossEntropy {
    /// Returns the sum over the `batch` rows (nats, double precision); when `gradient` is given,
    /// writes `scale · (softmax(l) − onehot(y))` into it. `logits` and `gradient` are
    /// (batch, classes) row-major; every label lies in `0..<classes`.
    public static func evaluate(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, classes: Int,
                                gradient: UnsafeMutablePointer<Float>?, scale: Float = 1) -> Double {
        var total = 0.0
        for b in 0..<batch {
            let row = logits + b * classes
            var largest = row[0]
            for c in 1..<classes { largest = max(largest, row[c]) }
            var sum: Float = 0
            for c in 0..<classes { sum += FastMath.expNegative(largest - row[c]) }
            let logSum = logOfAtLeastOne(sum)
            let label = Int(labels[b])
            total += Double(logSum - (row[label] - largest))
            if let gradient {
                let g = gradient + b * classes
                let inverse = 1 / sum
                for c in 0..<classes { g[c] = scale * FastMath.expNegative(largest - row[c]) * inverse }
                g[label] -= scale
            }
        }
        return total
    }

    /// The index of the largest logit of each row (first on ties), written to `out`.
    public static func argmax(logits: UnsafePointer<Float>, batch: Int, classes: Int, into out: UnsafeMutablePointer<Int32>) {
        for b in 0..<batch {
            let row = logits + b * classes
            var best = 0
            for c in 1..<classes where row[c] > row[best] { best = c }
            out[b] = Int32(best)
        }
    }

    /// log s for s ≥ 1: s = 2^k·m with m ∈ [1, 2), log s = k·ln 2 + log(1 + (m − 1)).
    static func logOfAtLeastOne(_ s: Float) -> Float {
        Float(Int(s.exponent)) * 0.693_147_18 + FastMath.log1pUnit(s.significand - 1)
    }
}
