/// Larsen et al.'s equilibrium rule for a VAE-GAN (`model.schedule.equilibrium`): from the
/// discriminator's mean binary cross-entropies on real and on generated inputs in a step, its
/// update is skipped when either is below `target − margin` (it is winning), the decoder's when
/// either is above `target + margin` (it is losing); when both would be skipped, both update.
/// The official code's values are target 0.68 and margin 0.35.
public struct EquilibriumSpec: Sendable, Equatable {
    public var target: Float
    public var margin: Float

    public static let paper = EquilibriumSpec(target: 0.68, margin: 0.35)

    public init(target: Float, margin: Float) {
        self.target = target
        self.margin = margin
    }
}

/// Weights of a VAE-GAN's adversarial terms (`model.discriminator_weights`,
/// `model.decoder_weights`): the discriminator minimises real·L_D(x) + reconstructed·L_D(x̃) +
/// prior·L_D(x_p), the decoder γ·L_llike + reconstructed·L_G(x̃) + prior·L_G(x_p). All 1 by
/// default (Larsen et al.'s Algorithm 1); the official code weighs real against generated 1 : 1,
/// pythae drops x̃ from both.
public struct VAEGANLossWeights: Sendable, Equatable {
    public var discriminatorReal: Float = 1
    public var discriminatorReconstructed: Float = 1
    public var discriminatorPrior: Float = 1
    public var decoderReconstructed: Float = 1
    public var decoderPrior: Float = 1

    public init(discriminatorReal: Float = 1, discriminatorReconstructed: Float = 1, discriminatorPrior: Float = 1,
                decoderReconstructed: Float = 1, decoderPrior: Float = 1) {
        self.discriminatorReal = discriminatorReal
        self.discriminatorReconstructed = discriminatorReconstructed
        self.discriminatorPrior = discriminatorPrior
        self.decoderReconstructed = decoderReconstructed
        self.decoderPrior = decoderPrior
    }

    public var isDiscriminatorDefault: Bool {
        discriminatorReal == 1 && discriminatorReconstructed == 1 && discriminatorPrior == 1
    }

    public var isDecoderDefault: Bool { decoderReconstructed == 1 && decoderPrior == 1 }
}
