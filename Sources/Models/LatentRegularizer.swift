// Dimensions: N batch, Z latent.
import NN
import Spec

/// The latent part of a VAE objective — everything but −log p(x|z): its loss on a batch and its
/// gradients, ∂/∂[μ | log σ²] directly and ∂/∂z through the sampled codes (which the VAE carries
/// back through the reparameterisation with the decoder's ∂/∂z). One class per objective
/// (`makeRegularizer`); the IWAE bound is not one, since it changes how the decoder runs
/// (`VAE+ImportanceWeighted.swift`).
protocol LatentRegularizer: AnyObject {
    /// The terms it logs after the VAE's `loss` and `recon`, e.g. `kl` or `kl, mi, tc, dim_kl`.
    var terms: [String] { get }
    /// The network each of `terms` belongs to, to name the network when a term stops being finite.
    var termNetworks: [String] { get }
    /// The objective's latent loss on `batch` codes at optimisation step `step` (1-based).
    /// stats (N, 2Z) rows `[μ | log σ²]`; z (N, Z) the codes sampled from them. Writes the gradient
    /// of the loss's batch mean w.r.t. stats into `dStats` (overwriting it) and adds its gradient
    /// w.r.t. z into `dz`; adds each term's batch sum into `totals` and returns the loss's batch sum.
    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double
    /// Floats of its own buffers and networks (for `VAE.heldFloats`).
    var heldFloats: Int { get }
    /// Networks it trains besides the encoder and decoder (FactorVAE's discriminator).
    var networks: [Network] { get }
    var checkpointBuffers: [NamedBuffer] { get }
    var counters: [String: Int] { get set }
}

extension LatentRegularizer {
    var networks: [Network] { [] }
    var checkpointBuffers: [NamedBuffer] { [] }
    var counters: [String: Int] { get { [:] } set {} }
}

/// β at step t (1-based) under a linear warm-up from 0 over `warmupSteps` (0 = none).
struct BetaSchedule {
    let beta: Float
    let warmupSteps: Int

    func value(atStep t: Int) -> Float {
        guard warmupSteps > 0 else { return beta }
        return beta * min(1, Float(t) / Float(warmupSteps))
    }
}

extension VAESpec {
    /// The regulariser of this VAE's objective; nil for `iwae`. `trainingExamples` is the size of
    /// the training set (β-TCVAE's minibatch-weighted sampling needs it); `plan` holds the
    /// FactorVAE discriminator's layers.
    func makeRegularizer(batch: Int, trainingExamples: Int, plan: ModelPlan, seed: UInt64) -> LatentRegularizer? {
        let beta = BetaSchedule(beta: self.beta, warmupSteps: betaWarmupSteps)
        switch objective {
        case .elbo:
            return KLRegularizer(beta: beta, latent: latent)
        case let .betaTCVAE(alpha, tcBeta, gamma):
            return TotalCorrelationRegularizer(alpha: alpha, beta: tcBeta, gamma: gamma, batch: batch, latent: latent,
                                               trainingExamples: trainingExamples)
        case let .factorVAE(gamma, _, optimizer):
            return FactorDiscriminatorRegularizer(beta: beta, gamma: gamma, plan: plan.network("discriminator"),
                                                  optimizer: optimizer, batch: batch, latent: latent, seed: seed)
        case let .dipVAE(variant, offDiagonal, diagonal):
            return DIPRegularizer(beta: beta, variant: variant, lambdaOffDiagonal: offDiagonal, lambdaDiagonal: diagonal,
                                  latent: latent)
        case let .capacity(gamma, maxCapacity, steps):
            return CapacityRegularizer(gamma: gamma, maxCapacity: maxCapacity, steps: steps, latent: latent)
        case .iwae:
            return nil
        }
    }

    /// Floats of the regulariser's own buffers (not its networks), as `ModelPlan` estimates them.
    static func regularizerFloats(_ objective: VAEObjective, batch n: Int, latent: Int) -> Int {
        switch objective {
        case .elbo, .capacity, .iwae: 0
        case .betaTCVAE: TotalCorrelationRegularizer.floats(batch: n, latent: latent)
        case .factorVAE: FactorDiscriminatorRegularizer.floats(batch: n, latent: latent)
        case .dipVAE: DIPRegularizer.floats(latent: latent)
        }
    }
}
