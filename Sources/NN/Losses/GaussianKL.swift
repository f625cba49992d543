// Dimensions: N batch, Z latent.

/// KL(N(μ, diag σ²) ‖ N(0, I)) in closed form (Kingma & Welling 2014, Appendix B):
/// `½ Σ (μ² + σ² − 1 − log σ²)`, taking the encoder's output rows `[μ (Z) | log σ² (Z)]`.
public enum GaussianKL {
    /// Returns the sum over the batch (nats, double precision). When `gradient` is given (N, 2Z),
    /// writes `scale · ∂/∂μ = scale·μ` and `scale · ∂/∂log σ² = scale·½(σ² − 1)`. When
    /// `perDimension` (Z doubles) is given, adds each dimension's KL summed over the batch.
    public static func evaluate(
        meanLogVariance: UnsafePointer<Float>, batch: Int, latent: Int,
        gradient: UnsafeMutablePointer<Float>?, scale: Float = 1,
        perDimension: UnsafeMutablePointer<Double>? = nil
    ) -> Double {
        var total = 0.0
        for n in 0..<batch {
            let mu = meanLogVariance + n * 2 * latent
            let logVar = mu + latent
            for z in 0..<latent {
                let m = mu[z], lv = logVar[z]
                let variance = _expf(lv)
                let kl = Double(0.5 * (m * m + variance - 1 - lv))
                total += kl
                perDimension?[z] += kl
                if let gradient {
                    let g = gradient + n * 2 * latent
                    g[z] = scale * m
                    g[latent + z] = scale * 0.5 * (variance - 1)
                }
            }
        }
        return total
    }
}
