/// The `model` section. `type` picks the model; each type has its own key list and decoder, so a
/// new type is one more case in `ModelKind`, `keys(of:)` and the two switches. Adversarial models
/// take a `schedule` whose optimizers default to `training.optimizer`, so the model decoder gets
/// that optimizer (decoded lazily: a VAE never asks for it).
extension SpecDecoder {
    enum ModelKind: String, CaseIterable {
        case vae
        case gan
        case vaeGAN = "vae-gan"
    }

    static func modelKeys(of kind: ModelKind) -> [String] {
        switch kind {
        case .vae: ["type", "latent", "beta", "beta_warmup_steps", "likelihood", "sigma", "encoder", "decoder", "objective",
                     "conditioning"]
        case .gan: ["type", "latent", "prior", "generator", "discriminator", "loss", "schedule", "conditioning"]
        case .vaeGAN: ["type", "latent", "beta", "gamma", "feature_layer", "encoder", "decoder", "discriminator", "loss",
                       "schedule", "discriminator_weights", "decoder_weights"]
        }
    }

    /// Keys of `model.schedule`; `encoder_optimizer` and `equilibrium` apply to `vae-gan` only.
    static func scheduleKeys(of kind: ModelKind) -> [String] {
        let shared = ["discriminator_steps", "warmup_steps", "label_smoothing", "instance_noise", "instance_noise_decay_steps",
                      "packing", "weight_clip", "gradient_penalty", "ema", "generator_optimizer", "discriminator_optimizer"]
        return kind == .vaeGAN ? shared + ["encoder_optimizer", "equilibrium"] : shared
    }

    enum LikelihoodName: String, CaseIterable {
        case bernoulli, gaussian
    }

    /// `defaultOptimizer` is the resolved `training.optimizer`, the default of every schedule optimizer.
    /// `data` is the decoded data section (conditioning's default class count comes from it).
    func decodeModel(_ value: JSONValue, at path: JSONPath, data: DataSpec,
                     defaultOptimizer: () throws -> OptimizerSpec) throws -> ModelSpec {
        let reader = try ObjectReader(value, at: path, self)
        var allKeys: [String] = []
        for kind in ModelKind.allCases { allKeys += Self.modelKeys(of: kind).filter { !allKeys.contains($0) } }
        try reader.rejectUnknownKeys(allKeys, in: "model")
        let kind = try reader.required("type", Rules.oneOf(ModelKind.self))
        try reader.rejectInapplicableKeys(Self.modelKeys(of: kind), in: "model type \(JSONWriter.quoted(kind.rawValue))")
        switch kind {
        case .vae: return .vae(try decodeVAE(reader, data: data))
        case .gan: return .gan(try decodeGAN(reader, data: data, defaultOptimizer: defaultOptimizer))
        case .vaeGAN: return .vaeGAN(try decodeVAEGAN(reader, defaultOptimizer: defaultOptimizer))
        }
    }

    /// (β-)VAE, Kingma & Welling 2014; Higgins et al. 2017 for β.
    private func decodeVAE(_ reader: ObjectReader, data: DataSpec) throws -> VAESpec {
        let likelihood: Likelihood
        switch try reader.optional("likelihood", default: .bernoulli, Rules.oneOf(LikelihoodName.self)) {
        case .bernoulli:
            try reader.forbid("sigma", unless: "\"likelihood\" is \"gaussian\"")
            likelihood = .bernoulli
        case .gaussian:
            likelihood = .gaussian(sigma: try reader.optional("sigma", default: 1, Rules.number(min: 0, minExclusive: true)))
        }
        let objective = try reader.member("objective", absent: VAEObjective.elbo) { try decodeObjective($0, at: $1) }
        if !objective.usesModelBeta {
            let reason = "\"objective\" is \"elbo\", \"factor-vae\" or \"dip-vae\" (the KL's weight; "
                + "\(JSONWriter.quoted(objective.kind.rawValue)) weighs its terms itself)"
            try reader.forbid("beta", unless: reason)
            try reader.forbid("beta_warmup_steps", unless: reason)
        }
        let conditioning = try decodeConditioning(reader, forGAN: false, data: data)
        if conditioning != nil, objective.kind == .iwae {
            throw error(reader.path.key("conditioning"),
                        expected: "no conditioning with \"objective\" \"iwae\" (its k codes per example are not conditioned)",
                        found: reader["conditioning"]!.summary)
        }
        return VAESpec(
            latent: try reader.required("latent", Rules.latent),
            beta: try reader.optional("beta", default: 1, Rules.number(min: 0)),
            betaWarmupSteps: try reader.optional("beta_warmup_steps", default: 0, Rules.steps),
            likelihood: likelihood,
            encoder: try reader.member("encoder", absent: []) { try decodeLayers($0, at: $1) },
            decoder: try reader.member("decoder", absent: []) { try decodeLayers($0, at: $1) },
            objective: objective, conditioning: conditioning)
    }

    /// GAN, Goodfellow et al. 2014.
    private func decodeGAN(_ reader: ObjectReader, data: DataSpec, defaultOptimizer: () throws -> OptimizerSpec) throws -> GANSpec {
        let latent = try reader.required("latent", Rules.latent)
        let prior = try reader.optional("prior", default: .normal, Rules.oneOf(LatentPrior.self))
        let generator = try reader.requiredMember("generator", expected: "a non-empty array of layer objects") {
            try decodeNonEmptyLayers($0, at: $1)
        }
        let discriminator = try reader.requiredMember("discriminator", expected: "an array of layer objects") {
            try decodeLayers($0, at: $1)
        }
        let loss = try reader.optional("loss", default: .nonSaturating, Rules.oneOf(GANLoss.self))
        let schedule = try decodeSchedule(reader, of: .gan, loss: loss, defaultOptimizer: defaultOptimizer)
        let conditioning = try decodeConditioning(reader, forGAN: true, data: data)
        if conditioning != nil, schedule.packing > 1 {
            throw error(reader.path.key("schedule").key("packing"),
                        expected: "1 with \"conditioning\" (a conditional discriminator judges one labelled example per input)",
                        found: "number \(schedule.packing)")
        }
        return GANSpec(latent: latent, prior: prior, generator: generator, discriminator: discriminator, loss: loss,
                       schedule: schedule, conditioning: conditioning)
    }

    /// VAE-GAN, Larsen et al. 2016.
    private func decodeVAEGAN(_ reader: ObjectReader, defaultOptimizer: () throws -> OptimizerSpec) throws -> VAEGANSpec {
        let latent = try reader.required("latent", Rules.latent)
        let beta = try reader.optional("beta", default: 1, Rules.number(min: 0))
        let gamma = try reader.optional("gamma", default: 1, Rules.number(min: 0))
        let featureLayer = try reader.required("feature_layer", Rules.integer(atLeast: 0, atMost: Int64(SpecLimits.maxRuns)))
        let layers = "a non-empty array of layer objects"
        let encoder = try reader.requiredMember("encoder", expected: layers) { try decodeNonEmptyLayers($0, at: $1) }
        let decoder = try reader.requiredMember("decoder", expected: layers) { try decodeNonEmptyLayers($0, at: $1) }
        let discriminator = try reader.requiredMember("discriminator", expected: layers) {
            try decodeNonEmptyLayers($0, at: $1)
        }
        if featureLayer >= discriminator.count {
            let count = "\(discriminator.count) layer\(discriminator.count == 1 ? "" : "s")"
            throw error(reader.path.key("feature_layer"),
                        expected: "an index of a \"discriminator\" layer, from 0 to \(discriminator.count - 1)",
                        found: "number \(featureLayer), but \"discriminator\" has \(count)")
        }
        let loss = try reader.optional("loss", default: .nonSaturating, Rules.oneOf(GANLoss.self))
        let schedule = try decodeSchedule(reader, of: .vaeGAN, loss: loss, defaultOptimizer: defaultOptimizer)
        return VAEGANSpec(latent: latent, beta: beta, gamma: gamma, featureLayer: featureLayer, encoder: encoder,
                          decoder: decoder, discriminator: discriminator, loss: loss, schedule: schedule,
                          weights: try decodeVAEGANWeights(reader))
    }

    /// `model.schedule` (absent = every default). `weight_clip` defaults to 0.01 for `wasserstein`
    /// without a gradient penalty and to null otherwise; an explicit value (null included) always wins.
    private func decodeSchedule(_ model: ObjectReader, of kind: ModelKind, loss: GANLoss,
                                defaultOptimizer: () throws -> OptimizerSpec) throws -> AdversarialSchedule {
        let value = model["schedule"] ?? .object([:])
        let path = model.path.key("schedule")
        let reader = try ObjectReader(value, at: path, self)
        try reader.rejectUnknownKeys(Self.scheduleKeys(of: .vaeGAN), in: "schedule")
        try reader.rejectInapplicableKeys(Self.scheduleKeys(of: kind),
                                          in: "the schedule of model type \(JSONWriter.quoted(kind.rawValue))")
        func optimizer(_ key: String) throws -> OptimizerSpec {
            if let value = reader[key] { return try decodeOptimizer(value, at: path.key(key)) }
            return try defaultOptimizer()
        }
        // null is no penalty, so a sweep can compare with and without one.
        let gradientPenalty: GradientPenaltySpec? = try reader.member("gradient_penalty", absent: nil) { value, path in
            value == .null ? nil : try decodeGradientPenalty(value, at: path)
        }
        let weightClip = reader.has("weight_clip")
            ? try reader.nullable("weight_clip", Rules.number(min: 0, minExclusive: true))
            : (loss == .wasserstein && gradientPenalty == nil ? 0.01 : nil)
        return AdversarialSchedule(
            discriminatorSteps: try reader.optional("discriminator_steps", default: 1,
                                                     Rules.integer(atLeast: 1, atMost: Int64(SpecLimits.maxDiscriminatorSteps))),
            warmupSteps: try reader.optional("warmup_steps", default: 0, Rules.steps),
            labelSmoothing: try reader.optional("label_smoothing", default: 0, Rules.number(min: 0, max: 1, maxExclusive: true)),
            instanceNoise: try reader.optional("instance_noise", default: 0, Rules.number(min: 0)),
            instanceNoiseDecaySteps: try reader.optional("instance_noise_decay_steps", default: 0, Rules.steps),
            packing: try reader.optional("packing", default: 1, Rules.integer(atLeast: 1, atMost: 16)),
            weightClip: weightClip,
            gradientPenalty: gradientPenalty,
            ema: try reader.nullable("ema", Rules.number(min: 0, minExclusive: true, max: 1, maxExclusive: true)),
            equilibrium: try reader.member("equilibrium", absent: nil) { try decodeEquilibrium($0, at: $1, loss: loss) },
            generatorOptimizer: try optimizer("generator_optimizer"),
            discriminatorOptimizer: try optimizer("discriminator_optimizer"),
            encoderOptimizer: try optimizer("encoder_optimizer"))
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
            if !vae.objective.usesModelBeta {
                object["beta"] = nil
                object["beta_warmup_steps"] = nil
            }
            switch vae.likelihood {
            case .bernoulli:
                object["likelihood"] = "bernoulli"
            case .gaussian(let sigma):
                object["likelihood"] = "gaussian"
                object["sigma"] = .float(sigma)
            }
            object["objective"] = vae.objective.resolvedJSON
            // Only when conditional, so unconditional run ids stay as they were.
            if let conditioning = vae.conditioning { object["conditioning"] = conditioning.resolvedJSON }
            return .object(object)
        case .gan(let gan):
            var object: JSONObject = [
                "type": "gan",
                "latent": .int(Int64(gan.latent)),
                "prior": .string(gan.prior.rawValue),
                "generator": .array(gan.generator.map(\.resolvedJSON)),
                "discriminator": .array(gan.discriminator.map(\.resolvedJSON)),
                "loss": .string(gan.loss.rawValue),
                "schedule": gan.schedule.resolvedJSON(withEncoder: false),
            ]
            if let conditioning = gan.conditioning { object["conditioning"] = conditioning.resolvedJSON }
            return .object(object)
        case .vaeGAN(let vaeGAN):
            var object: JSONObject = [
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
            vaeGAN.weights.addResolved(to: &object)
            return .object(object)
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
        if let gradientPenalty { object["gradient_penalty"] = gradientPenalty.resolvedJSON }   // absent: ids unchanged
        if let equilibrium { object["equilibrium"] = equilibrium.resolvedJSON }   // likewise
        return .object(object)
    }
}
