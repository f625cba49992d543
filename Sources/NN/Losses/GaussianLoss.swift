/// Negative log-likelihood of targets under N(μ, σ²) with a fixed σ:
/// `Σ [(x − μ)² / (2σ²) + log σ + ½·log 2π]`.
public enum GaussianLoss {
    static let halfLogTwoPi = 0.918_938_533_204_672_7

    /// Returns the sum over all `count` elements (nats, double precision) and, when `gradient` is
    /// given, writes `scale · ∂/∂μ = scale · (μ − x) / σ²` into it.
    public static func evaluate(
        mean: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int, sigma: Float,
        gradient: UnsafeMutablePointer<Float>?, scale: Float = 1
    ) -> Double {
        precondition(sigma > 0, "Gaussian likelihood needs sigma > 0")
        let inverseVariance = 1 / (sigma * sigma)
        var squares = 0.0
        for i in 0..<count {
            let d = mean[i] - targets[i]
            squares += Double(d * d)
            if let gradient { gradient[i] = scale * d * inverseVariance }
        }
        let constant = Double(count) * (_log(Double(sigma)) + halfLogTwoPi)
        return 0.5 * squares * Double(inverseVariance) + constant
    }
}
