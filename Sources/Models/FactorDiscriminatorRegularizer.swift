// Dimensions: N batch, Z latent.
import NN
import Spec

/// FactorVAE (Kim & Mnih 2018, "Disentangling by factorising"): the ELBO's β_t·KL plus γ·TC, the
/// total correlation KL(q(z) ‖ Π_d q(z_d)) estimated by the density-ratio trick as the batch mean
/// of a discriminator's logit d(z) = log D(z) / (1 − D(z)), where D tells codes z ~ q(z) from codes
/// whose dimensions were each permuted across the batch (samples of Π_d q(z_d)).
///
/// Per step, as disentanglement_lib's `factor_vae` does on one batch: the discriminator runs once
/// on the N codes and their N permuted copies (one permutation per dimension, from the run's noise
/// stream); the VAE's gradient is γ ∂d/∂z through it (no discriminator gradients), and the
/// discriminator then takes one step on ½ BCE(real → 1) + ½ BCE(permuted → 0) with its own
/// optimiser, codes held fixed. Logs the KL, the TC estimate and the discriminator's loss.
final class FactorDiscriminatorRegularizer: LatentRegularizer {
    let terms = ["kl", "tc", "d_loss"]
    let termNetworks = ["encoder", "encoder", "discriminator"]
    let discriminator: Network
    private let optimizer: Optimizer
    private let beta: BetaSchedule
    private let gamma: Float
    private let latent: Int
    private let codes: Tensor                       // (2N, Z) codes, then their permuted copies
    private let dLogits: Tensor                      // (2N)    ∂/∂d
    private let targets: Tensor                      // (2N)    1 for codes, 0 for permuted copies
    private let order: UnsafeMutablePointer<Int>     // (N)     one dimension's permutation

    init(beta: BetaSchedule, gamma: Float, plan: ModelPlan.PlannedNetwork, optimizer rule: OptimizerSpec,
         batch: Int, latent: Int, seed: UInt64) {
        self.beta = beta
        self.gamma = gamma
        self.latent = latent
        discriminator = Network(name: "discriminator", layers: plan.plan.makeLayers(), maxBatch: plan.maxBatch)
        discriminator.initialize(rng: RandomStream(seed: seed, purpose: "init").derived("discriminator"))
        optimizer = Optimizer(OptimizerRule(rule), for: discriminator)
        codes = Tensor(shape: [2 * batch, latent])
        dLogits = Tensor(shape: [2 * batch])
        targets = Tensor(shape: [2 * batch])
        order = .allocate(capacity: batch)
    }

    deinit { order.deallocate() }

    /// Floats of its own buffers: codes (2N, Z), ∂d and targets (2N), the permutation (N ints).
    static func floats(batch n: Int, latent: Int) -> Int {
        Saturating.sum([Saturating.product([2, n, latent]), Saturating.product([4, n]), Saturating.product([2, n])])
    }
    var heldFloats: Int {
        discriminator.heldFloats + optimizer.heldFloats + codes.capacity + dLogits.capacity + targets.capacity
            + 2 * (codes.capacity / (2 * latent))
    }

    var networks: [Network] { [discriminator] }
    var checkpointBuffers: [NamedBuffer] {
        discriminator.namedBuffers(prefix: "discriminator") + optimizer.namedBuffers(prefix: "optimizer.discriminator")
    }
    var counters: [String: Int] {
        get { ["optimizer.discriminator.steps": optimizer.stepCount] }
        set { if let n = newValue["optimizer.discriminator.steps"] { optimizer.stepCount = n } }
    }

    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch n: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double {
        let weight = beta.value(atStep: step)
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: n, latent: latent, gradient: dStats,
                                     scale: weight * (1 / Float(n)))

        // (1) Codes and, per dimension, a Fisher–Yates permutation of them across the batch.
        let c = codes.pointer
        c.update(from: z, count: n * latent)
        for d in 0..<latent {
            for i in 0..<n { order[i] = i }
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = noise.nextInt(below: i + 1)
                (order[i], order[j]) = (order[j], order[i])
            }
            for i in 0..<n { c[(n + i) * latent + d] = z[order[i] * latent + d] }
        }
        let logits = discriminator.forward(c, batch: 2 * n, mode: .training)     // (2N, 1)
        var tc = 0.0
        for i in 0..<n { tc += Double(logits[i]) }

        // (2) The VAE's path: ∂(γ · mean d(z))/∂z, discriminator parameters untouched.
        let g = dLogits.pointer
        for i in 0..<n { g[i] = gamma / Float(n); g[n + i] = 0 }
        let dCodes = discriminator.backward(g, batch: 2 * n, parameterGradients: false, inputGradient: true)!
        for k in 0..<(n * latent) { dz[k] += dCodes[k] }

        // (3) The discriminator's step on the same pass.
        let t = targets.pointer
        for i in 0..<n { t[i] = 1; t[n + i] = 0 }
        discriminator.zeroGradients()
        let dLoss = BernoulliLoss.evaluate(logits: logits, targets: t, count: 2 * n, gradient: g, scale: 1 / Float(2 * n))
        discriminator.backward(g, batch: 2 * n)
        optimizer.step()

        totals[0] += kl
        totals[1] += tc
        totals[2] += dLoss / 2
        return Double(weight) * kl + Double(gamma) * tc
    }
}
