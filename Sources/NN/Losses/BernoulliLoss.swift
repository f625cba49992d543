/// Negative log-likelihood of binary (or [0, 1]) targets under Bernoulli(σ(logits)):
/// `−Σ [x·log σ(l) + (1−x)·log(1−σ(l))]`, computed stably as `max(l,0) − l·x + log(1 + e^(−|l|))`
/// with the vectorisable `FastMath` kernels (one exp, one log1p and one division per element).
public enum BernoulliLoss {
    /// Returns the sum over all `count` elements (nats, accumulated in double precision) and, when
    /// `gradient` is given, writes `scale · ∂/∂l = scale · (σ(l) − x)` into it.
    public static func evaluate(
        logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
        gradient: UnsafeMutablePointer<Float>?, scale: Float = 1
    ) -> Double {
        // Per-element terms go to a 64-float stack block first, so the element loop has no
        // floating-point reduction and vectorises; blocks are summed in double precision.
        var total = 0.0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { block in
            let terms = block.baseAddress!
            var start = 0
            while start < count {
                let n = min(64, count - start)
                let l = logits + start, x = targets + start
                if let gradient {
                    let g = gradient + start
                    for i in 0..<n {
                        let e = FastMath.expNegative(abs(l[i]))
                        terms[i] = max(l[i], 0) - l[i] * x[i] + FastMath.log1pUnit(e)
                        let r = 1 / (1 + e)
                        let sigma = l[i] >= 0 ? r : e * r
                        g[i] = scale * (sigma - x[i])
                    }
                } else {
                    for i in 0..<n {
                        terms[i] = max(l[i], 0) - l[i] * x[i] + FastMath.log1pUnit(FastMath.expNegative(abs(l[i])))
                    }
                }
                var partial: Float = 0
                for i in 0..<n { partial += terms[i] }
                total += Double(partial)
                start += n
            }
        }
        return total
    }

    /// Mean of the distribution, σ(l), written into `probabilities` (for images of reconstructions).
    public static func mean(logits: UnsafePointer<Float>, count: Int, into probabilities: UnsafeMutablePointer<Float>) {
        for i in 0..<count { probabilities[i] = 1 / (1 + _expf(-logits[i])) }
    }
}
