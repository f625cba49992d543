/// Negative log-likelihood of binary (or [0, 1]) targets under Bernoulli(σ(logits)):
/// `−Σ [x·log σ(l) + (1−x)·log(1−σ(l))]`, computed stably as `max(l,0) − l·x + log(1 + e^(−|l|))`.
public enum BernoulliLoss {
    /// Returns the sum over all `count` elements (nats, accumulated in double precision) and, when
    /// `gradient` is given, writes `scale · ∂/∂l = scale · (σ(l) − x)` into it.
    public static func evaluate(
        logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
        gradient: UnsafeMutablePointer<Float>?, scale: Float = 1
    ) -> Double {
        var total = 0.0
        if let gradient {
            for i in 0..<count {
                let l = logits[i], x = targets[i]
                let e = _expf(-abs(l))
                total += Double(max(l, 0) - l * x + _log1pf(e))
                let r = 1 / (1 + e)
                let sigma = l >= 0 ? r : e * r
                gradient[i] = scale * (sigma - x)
            }
        } else {
            for i in 0..<count {
                let l = logits[i], x = targets[i]
                total += Double(max(l, 0) - l * x + _log1pf(_expf(-abs(l))))
            }
        }
        return total
    }

    /// Mean of the distribution, σ(l), written into `probabilities` (for images of reconstructions).
    public static func mean(logits: UnsafePointer<Float>, count: Int, into probabilities: UnsafeMutablePointer<Float>) {
        for i in 0..<count { probabilities[i] = 1 / (1 + _expf(-logits[i])) }
    }
}
