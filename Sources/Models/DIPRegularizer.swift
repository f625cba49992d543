// Dimensions: N batch, Z latent.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NN
import Spec

/// DIP-VAE (Kumar et al. 2018, "Variational inference of disentangled latent concepts from
/// unlabeled observations"): the ELBO's β_t·KL plus
/// λ_od · Σ_{i≠j} C_ij² + λ_d · Σ_i (C_ii − 1)², with C over the batch
/// - I:  C = Cov[μ(x)] = E[μ μᵀ] − E[μ] E[μ]ᵀ,
/// - II: C = Cov[μ(x)] + E[diag σ²(x)], the covariance of the aggregate posterior,
/// the (biased) batch estimates disentanglement_lib's `dip_vae` uses. Logs the KL and the penalty.
final class DIPRegularizer: LatentRegularizer {
    let terms = ["kl", "dip"]
    let termNetworks = ["encoder", "encoder"]
    private let beta: BetaSchedule
    private let variant: DIPVariant
    private let lambdaOffDiagonal: Double
    private let lambdaDiagonal: Double
    private let latent: Int
    private let mean: UnsafeMutablePointer<Double>        // (Z)     E[μ]
    private let covariance: UnsafeMutablePointer<Double>  // (Z, Z)  C, then G = ∂penalty/∂C

    init(beta: BetaSchedule, variant: DIPVariant, lambdaOffDiagonal: Float, lambdaDiagonal: Float, latent: Int) {
        self.beta = beta
        self.variant = variant
        self.lambdaOffDiagonal = Double(lambdaOffDiagonal)
        self.lambdaDiagonal = Double(lambdaDiagonal)
        self.latent = latent
        mean = .allocate(capacity: latent)
        covariance = .allocate(capacity: latent * latent)
    }

    deinit { mean.deallocate(); covariance.deallocate() }

    /// Floats of its buffers (doubles count twice).
    static func floats(latent: Int) -> Int { Saturating.product([2, Saturating.sum([latent, Saturating.product([latent, latent])])]) }
    var heldFloats: Int { Self.floats(latent: latent) }

    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double {
        let weight = beta.value(atStep: step), z2 = 2 * latent, n = Double(batch)
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: batch, latent: latent, gradient: dStats,
                                     scale: weight * (1 / Float(batch)))
        // C in double precision, rows in order.
        mean.update(repeating: 0, count: latent)
        covariance.update(repeating: 0, count: latent * latent)
        for i in 0..<batch {
            let mu = stats + i * z2
            for a in 0..<latent {
                mean[a] += Double(mu[a])
                for b in 0..<latent { covariance[a * latent + b] += Double(mu[a]) * Double(mu[b]) }
            }
        }
        for a in 0..<latent { mean[a] /= n }
        for a in 0..<latent {
            for b in 0..<latent { covariance[a * latent + b] = covariance[a * latent + b] / n - mean[a] * mean[b] }
        }
        if variant == .ii {
            for i in 0..<batch {
                for a in 0..<latent { covariance[a * latent + a] += Double(expf(stats[i * z2 + latent + a])) / n }
            }
        }
        // The penalty, and G = ∂penalty/∂C in place of C.
        var penalty = 0.0
        for a in 0..<latent {
            for b in 0..<latent {
                let c = covariance[a * latent + b]
                if a == b {
                    penalty += lambdaDiagonal * (c - 1) * (c - 1)
                    covariance[a * latent + b] = 2 * lambdaDiagonal * (c - 1)
                } else {
                    penalty += lambdaOffDiagonal * c * c
                    covariance[a * latent + b] = 2 * lambdaOffDiagonal * c
                }
            }
        }
        // ∂/∂μ_i = (2/N) G (μ_i − E[μ]); II also ∂/∂log σ²_ia = G_aa σ²_ia / N.
        for i in 0..<batch {
            let mu = stats + i * z2, g = dStats + i * z2
            for a in 0..<latent {
                var sum = 0.0
                for b in 0..<latent { sum += covariance[a * latent + b] * (Double(mu[b]) - mean[b]) }
                g[a] += Float(2 * sum / n)
                if variant == .ii { g[latent + a] += Float(covariance[a * latent + a] * Double(expf(mu[latent + a])) / n) }
            }
        }
        totals[0] += kl
        totals[1] += penalty * n
        return Double(weight) * kl + penalty * n
    }
}
