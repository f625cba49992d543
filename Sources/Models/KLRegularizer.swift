// Dimensions: N batch, Z latent.
import NN

/// The (β-)VAE's latent term β_t · KL(q(z|x) ‖ N(0, I)), in closed form (`GaussianKL`).
final class KLRegularizer: LatentRegularizer {
    let terms = ["kl"]
    let termNetworks = ["encoder"]
    let heldFloats = 0
    private let beta: BetaSchedule
    private let latent: Int

    init(beta: BetaSchedule, latent: Int) {
        self.beta = beta
        self.latent = latent
    }

    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double {
        let weight = beta.value(atStep: step)
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: batch, latent: latent, gradient: dStats,
                                     scale: weight * (1 / Float(batch)))
        totals[0] += kl
        return Double(weight) * kl
    }
}
