/// A VAE-GAN's training as Larsen et al. train it: `model.schedule.equilibrium` and the loss
/// weights `model.discriminator_weights` and `model.decoder_weights`. Each is absent from the
/// resolved spec while it has its default, so the ids of earlier runs stay as they were.
extension SpecDecoder {
    static let discriminatorWeightKeys = ["real", "reconstructed", "prior"]
    static let decoderWeightKeys = ["reconstructed", "prior"]

    /// `true` is the official code's rule (target 0.68, margin 0.35); `false` or `null` is none;
    /// an object sets `target` and `margin`. The rule compares binary cross-entropies, so it
    /// needs the loss they belong to.
    func decodeEquilibrium(_ value: JSONValue, at path: JSONPath, loss: GANLoss) throws -> EquilibriumSpec? {
        let rule: EquilibriumSpec
        switch value {
        case .null, .bool(false): return nil
        case .bool(true): rule = .paper
        default:
            let reader = try ObjectReader(value, at: path, self,
                                          expected: "true (target 0.68, margin 0.35), false, null or an object with \"target\" and \"margin\"")
            try reader.rejectUnknownKeys(["target", "margin"], in: "the equilibrium rule")
            rule = EquilibriumSpec(target: try reader.optional("target", default: EquilibriumSpec.paper.target,
                                                               Rules.number(min: 0, minExclusive: true)),
                                   margin: try reader.optional("margin", default: EquilibriumSpec.paper.margin, Rules.number(min: 0)))
        }
        guard loss == .minimax || loss == .nonSaturating else {
            throw error(path, expected: "a model with loss \"minimax\" or \"non-saturating\" (the rule compares the discriminator's binary cross-entropies)",
                        found: "loss \(JSONWriter.quoted(loss.rawValue))")
        }
        return rule
    }

    /// `discriminator_weights` and `decoder_weights` of a `vae-gan` model (absent = all 1).
    func decodeVAEGANWeights(_ model: ObjectReader) throws -> VAEGANLossWeights {
        var weights = VAEGANLossWeights()
        let weight = Rules.number(min: 0)
        if let value = model["discriminator_weights"] {
            let path = model.path.key("discriminator_weights")
            let reader = try ObjectReader(value, at: path, self, expected: "an object with \"real\", \"reconstructed\" and \"prior\" weights")
            try reader.rejectUnknownKeys(Self.discriminatorWeightKeys, in: "discriminator_weights")
            weights.discriminatorReal = try reader.optional("real", default: 1, Rules.number(min: 0, minExclusive: true))
            weights.discriminatorReconstructed = try reader.optional("reconstructed", default: 1, weight)
            weights.discriminatorPrior = try reader.optional("prior", default: 1, weight)
            if weights.discriminatorReconstructed == 0 && weights.discriminatorPrior == 0 {
                throw error(path, expected: "a positive \"reconstructed\" or \"prior\" weight (the discriminator must see generated images)",
                            found: "both 0")
            }
        }
        if let value = model["decoder_weights"] {
            let reader = try ObjectReader(value, at: model.path.key("decoder_weights"), self,
                                          expected: "an object with \"reconstructed\" and \"prior\" weights")
            try reader.rejectUnknownKeys(Self.decoderWeightKeys, in: "decoder_weights")
            weights.decoderReconstructed = try reader.optional("reconstructed", default: 1, weight)
            weights.decoderPrior = try reader.optional("prior", default: 1, weight)
        }
        return weights
    }
}

extension EquilibriumSpec {
    var resolvedJSON: JSONValue { ["target": .float(target), "margin": .float(margin)] }
}

extension VAEGANLossWeights {
    /// Adds the non-default weight objects, every key spelled out, to a resolved `model`.
    func addResolved(to object: inout JSONObject) {
        if !isDiscriminatorDefault {
            object["discriminator_weights"] = ["real": .float(discriminatorReal), "reconstructed": .float(discriminatorReconstructed),
                                               "prior": .float(discriminatorPrior)]
        }
        if !isDecoderDefault {
            object["decoder_weights"] = ["reconstructed": .float(decoderReconstructed), "prior": .float(decoderPrior)]
        }
    }
}
