/// What a `vae` minimises besides the reconstruction term (formulas in docs/models.md). The
/// default, `.elbo`, is the (β-)VAE's β·KL; the others are its successors that disentanglement
/// studies compare it with (Locatello et al. 2019).
public enum VAEObjective: Sendable, Equatable {
    /// −log p(x|z) + β·KL(q(z|x) ‖ p(z)) (Kingma & Welling 2014; Higgins et al. 2017), β from
    /// `model.beta` and its warm-up.
    case elbo
    /// β-TCVAE (Chen et al. 2018): the KL split into index-code mutual information, total
    /// correlation and dimension-wise KL, weighted α, β, γ; q(z) by minibatch-weighted sampling.
    case betaTCVAE(alpha: Float, beta: Float, gamma: Float)
    /// FactorVAE (Kim & Mnih 2018): the ELBO (KL weighted by `model.beta`) plus γ·TC, the total
    /// correlation estimated by a discriminator between codes and codes permuted per dimension.
    case factorVAE(gamma: Float, discriminator: [LayerSpec], optimizer: OptimizerSpec)
    /// DIP-VAE (Kumar et al. 2018): the ELBO plus λ_od·Σ_{i≠j} C_ij² + λ_d·Σ_i (C_ii − 1)², C the
    /// covariance of the posterior means (I) or of the aggregate posterior (II).
    case dipVAE(variant: DIPVariant, lambdaOffDiagonal: Float, lambdaDiagonal: Float)
    /// Capacity-annealed β-VAE (Burgess et al. 2018): −log p(x|z) + γ·|KL − C_t|, C_t rising
    /// linearly from 0 to `maxCapacity` nats over `steps` optimisation steps.
    case capacity(gamma: Float, maxCapacity: Float, steps: Int)
    /// The importance-weighted bound (Burda et al. 2016) with `samples` codes per example.
    case iwae(samples: Int)

    /// The `type` of each objective in the experiment file.
    public enum Kind: String, Sendable, CaseIterable {
        case elbo
        case betaTCVAE = "beta-tcvae"
        case factorVAE = "factor-vae"
        case dipVAE = "dip-vae"
        case capacity
        case iwae
    }

    public var kind: Kind {
        switch self {
        case .elbo: .elbo
        case .betaTCVAE: .betaTCVAE
        case .factorVAE: .factorVAE
        case .dipVAE: .dipVAE
        case .capacity: .capacity
        case .iwae: .iwae
        }
    }

    /// Whether `model.beta` (and its warm-up) weighs a KL term of this objective.
    public var usesModelBeta: Bool { [.elbo, .factorVAE, .dipVAE].contains(kind) }

    /// disentanglement_lib's FactorVAE discriminator (Kim & Mnih 2018, appendix): six dense layers
    /// of 1,000 leaky-ReLU (slope 0.2) units; a one-logit head is appended.
    public static let factorDiscriminatorDefault: [LayerSpec] = Array(
        repeating: .dense(units: 1000, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he), count: 6)

    /// Kim & Mnih's (and disentanglement_lib's) discriminator optimiser: Adam, lr 1e-4, β = (0.5, 0.9).
    public static let factorOptimizerDefault = OptimizerSpec.adam(lr: 1e-4, beta1: 0.5, beta2: 0.9, epsilon: 1e-8, weightDecay: 0)
}

/// DIP-VAE's two covariance regularisers.
public enum DIPVariant: String, Sendable, CaseIterable {
    /// Cov[μ(x)] over the batch.
    case i
    /// Cov[μ(x)] + E[diag σ²(x)]: the aggregate posterior's covariance.
    case ii
}
