// Dimensions: N batch, Z latent.
import NN

/// Capacity annealing (Burgess et al. 2018, "Understanding disentangling in β-VAE"):
/// γ · |KL − C_t| with KL the batch mean of KL(q(z|x) ‖ N(0, I)) and C_t = C_max · min(1, t / T)
/// nats, as disentanglement_lib's `annealed_vae` computes it. Logs the KL and C_t.
final class CapacityRegularizer: LatentRegularizer {
    let terms = ["kl", "capacity"]
    let termNetworks = ["encoder", "encoder"]
    let heldFloats = 0
    private let gamma: Float
    private let maxCapacity: Float
    private let steps: Int
    private let latent: Int

    init(gamma: Float, maxCapacity: Float, steps: Int, latent: Int) {
        self.gamma = gamma
        self.maxCapacity = maxCapacity
        self.steps = steps
        self.latent = latent
    }

    /// C_t in nats at step `t` (1-based).
    func capacity(atStep t: Int) -> Float {
        guard steps > 0 else { return maxCapacity }
        return maxCapacity * min(1, Float(t) / Float(steps))
    }

    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double {
        let c = capacity(atStep: step)
        // The gradient's sign needs the KL first: write ∂KL_mean, then scale it by ±γ.
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: batch, latent: latent, gradient: dStats,
                                     scale: 1 / Float(batch))
        let gap = kl / Double(batch) - Double(c)
        let factor: Float = gap > 0 ? gamma : gap < 0 ? -gamma : 0
        for i in 0..<(batch * 2 * latent) { dStats[i] *= factor }
        totals[0] += kl
        totals[1] += Double(c) * Double(batch)
        return Double(gamma) * abs(gap) * Double(batch)
    }
}
