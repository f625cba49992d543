/// A penalty on the discriminator's input gradient (`model.schedule.gradient_penalty`; formulas
/// in docs/models.md): the Lipschitz constraint that WGAN-GP, DRAGAN and R1 baselines use in
/// place of, or beside, weight clipping and spectral normalisation.
public enum GradientPenaltySpec: Sendable, Equatable {
    /// Gulrajani et al. 2017: λ·E[(‖∇D(x̂)‖ − 1)²] on interpolates of real and generated inputs.
    case wganGP(lambda: Float)
    /// Kodali et al. 2017: λ·E[(‖∇D(x̂)‖ − 1)²] on real inputs perturbed by up to c·std(x).
    case dragan(lambda: Float, c: Float)
    /// Mescheder et al. 2018: γ/2·E[‖∇D(x)‖²] on real inputs.
    case r1(gamma: Float)

    /// The `type` of each penalty in the experiment file.
    public enum Kind: String, Sendable, CaseIterable {
        case wganGP = "wgan-gp"
        case dragan
        case r1
    }

    public var kind: Kind {
        switch self {
        case .wganGP: .wganGP
        case .dragan: .dragan
        case .r1: .r1
        }
    }
}
