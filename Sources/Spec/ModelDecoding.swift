/// The `model` section. `type` picks the model; each type has its own key list and decoder, so a
/// new type (GAN, VAE-GAN) is one more case in `ModelKind`, `keys(of:)` and the two switches.
extension SpecDecoder {
    enum ModelKind: String, CaseIterable {
        case vae
    }

    static func modelKeys(of kind: ModelKind) -> [String] {
        switch kind {
        case .vae: ["type", "latent", "beta", "beta_warmup_steps", "likelihood", "sigma", "encoder", "decoder"]
        }
    }

    enum LikelihoodName: String, CaseIterable {
        case bernoulli, gaussian
    }

    func decodeModel(_ value: JSONValue, at path: JSONPath) throws -> ModelSpec {
        let reader = try ObjectReader(value, at: path, self)
        var allKeys: [String] = []
        for kind in ModelKind.allCases { allKeys += Self.modelKeys(of: kind).filter { !allKeys.contains($0) } }
        try reader.rejectUnknownKeys(allKeys, in: "model")
        let kind = try reader.required("type", Rules.oneOf(ModelKind.self))
        try reader.rejectInapplicableKeys(Self.modelKeys(of: kind), in: "model type \(JSONWriter.quoted(kind.rawValue))")
        switch kind {
        case .vae: return .vae(try decodeVAE(reader))
        }
    }

    /// (β-)VAE, Kingma & Welling 2014; Higgins et al. 2017 for β.
    private func decodeVAE(_ reader: ObjectReader) throws -> VAESpec {
        let likelihood: Likelihood
        switch try reader.optional("likelihood", default: .bernoulli, Rules.oneOf(LikelihoodName.self)) {
        case .bernoulli:
            try reader.forbid("sigma", unless: "\"likelihood\" is \"gaussian\"")
            likelihood = .bernoulli
        case .gaussian:
            likelihood = .gaussian(sigma: try reader.optional("sigma", default: 1, Rules.number(min: 0, minExclusive: true)))
        }
        return VAESpec(
            latent: try reader.required("latent", Rules.integer(atLeast: 1)),
            beta: try reader.optional("beta", default: 1, Rules.number(min: 0)),
            betaWarmupSteps: try reader.optional("beta_warmup_steps", default: 0, Rules.integer(atLeast: 0)),
            likelihood: likelihood,
            encoder: try reader.member("encoder", absent: []) { try decodeLayers($0, at: $1) },
            decoder: try reader.member("decoder", absent: []) { try decodeLayers($0, at: $1) })
    }
}

extension ModelSpec {
    var resolvedJSON: JSONValue {
        switch self {
        case .vae(let vae):
            var object: JSONObject = [
                "type": "vae",
                "latent": .int(Int64(vae.latent)),
                "beta": .float(vae.beta),
                "beta_warmup_steps": .int(Int64(vae.betaWarmupSteps)),
                "encoder": .array(vae.encoder.map(\.resolvedJSON)),
                "decoder": .array(vae.decoder.map(\.resolvedJSON)),
            ]
            switch vae.likelihood {
            case .bernoulli:
                object["likelihood"] = "bernoulli"
            case .gaussian(let sigma):
                object["likelihood"] = "gaussian"
                object["sigma"] = .float(sigma)
            }
            return .object(object)
        case .gan(let gan):
            return [
                "type": "gan",
                "latent": .int(Int64(gan.latent)),
                "prior": .string(gan.prior.rawValue),
                "generator": .array(gan.generator.map(\.resolvedJSON)),
                "discriminator": .array(gan.discriminator.map(\.resolvedJSON)),
                "loss": .string(gan.loss.rawValue),
                "schedule": gan.schedule.resolvedJSON(withEncoder: false),
            ]
        case .vaeGAN(let vaeGAN):
            return [
                "type": "vae-gan",
                "latent": .int(Int64(vaeGAN.latent)),
                "beta": .float(vaeGAN.beta),
                "gamma": .float(vaeGAN.gamma),
                "feature_layer": .int(Int64(vaeGAN.featureLayer)),
                "encoder": .array(vaeGAN.encoder.map(\.resolvedJSON)),
                "decoder": .array(vaeGAN.decoder.map(\.resolvedJSON)),
                "discriminator": .array(vaeGAN.discriminator.map(\.resolvedJSON)),
                "loss": .string(vaeGAN.loss.rawValue),
                "schedule": vaeGAN.schedule.resolvedJSON(withEncoder: true),
            ]
        }
    }
}

extension AdversarialSchedule {
    /// Every schedule key spelled out; `encoder_optimizer` only for a VAE-GAN (`withEncoder`).
    func resolvedJSON(withEncoder: Bool) -> JSONValue {
        var object: JSONObject = [
            "discriminator_steps": .int(Int64(discriminatorSteps)),
            "warmup_steps": .int(Int64(warmupSteps)),
            "label_smoothing": .float(labelSmoothing),
            "instance_noise": .float(instanceNoise),
            "instance_noise_decay_steps": .int(Int64(instanceNoiseDecaySteps)),
            "packing": .int(Int64(packing)),
            "weight_clip": weightClip.map(JSONValue.float) ?? .null,
            "ema": ema.map(JSONValue.float) ?? .null,
            "generator_optimizer": generatorOptimizer.resolvedJSON,
            "discriminator_optimizer": discriminatorOptimizer.resolvedJSON,
        ]
        if withEncoder { object["encoder_optimizer"] = encoderOptimizer.resolvedJSON }
        return .object(object)
    }
}
