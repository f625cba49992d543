/// `model.objective` of a `vae`: a type name, or an object with `type` and that type's weights.
/// `elbo` (the default) resolves to no `objective` key at all, so the ids of runs from before the
/// key existed stay as they were.
extension SpecDecoder {
    static func objectiveKeys(of kind: VAEObjective.Kind) -> [String] {
        switch kind {
        case .elbo: ["type"]
        case .betaTCVAE: ["type", "alpha", "beta", "gamma"]
        case .factorVAE: ["type", "gamma", "discriminator", "optimizer"]
        case .dipVAE: ["type", "variant", "lambda_od", "lambda_d"]
        case .capacity: ["type", "gamma", "max_capacity", "capacity_steps"]
        case .iwae: ["type", "samples"]
        }
    }

    func decodeObjective(_ value: JSONValue, at path: JSONPath) throws -> VAEObjective {
        var object = value, typePath = path.key("type")
        if case .string(let name) = value {
            object = .object(["type": .string(name)])
            typePath = path
        }
        let reader = try ObjectReader(object, at: path, self,
                                      expected: "an objective: a type name or an object with \"type\"")
        var allKeys: [String] = []
        for kind in VAEObjective.Kind.allCases { allKeys += Self.objectiveKeys(of: kind).filter { !allKeys.contains($0) } }
        try reader.rejectUnknownKeys(allKeys, in: "an objective")
        let kindRule = Rules.oneOf(VAEObjective.Kind.self)
        guard let type = reader["type"] else { throw error(typePath, expected: kindRule.expected, found: "missing key") }
        let kind = try read(type, at: typePath, kindRule)
        try reader.rejectInapplicableKeys(Self.objectiveKeys(of: kind), in: "objective \(JSONWriter.quoted(kind.rawValue))")
        let weight = Rules.number(min: 0)
        switch kind {
        case .elbo:
            return .elbo
        case .betaTCVAE:
            return .betaTCVAE(alpha: try reader.optional("alpha", default: 1, weight),
                              beta: try reader.required("beta", weight),
                              gamma: try reader.optional("gamma", default: 1, weight))
        case .factorVAE:
            return .factorVAE(
                gamma: try reader.required("gamma", weight),
                discriminator: try reader.member("discriminator", absent: VAEObjective.factorDiscriminatorDefault) {
                    try decodeLayers($0, at: $1)
                },
                optimizer: try reader.member("optimizer", absent: VAEObjective.factorOptimizerDefault) {
                    try decodeOptimizer($0, at: $1)
                })
        case .dipVAE:
            let variant = try reader.required("variant", Rules.oneOf(DIPVariant.self))
            let offDiagonal = try reader.required("lambda_od", weight)
            // disentanglement_lib's lambda_d_factor: 10 for DIP-VAE-I, 1 for DIP-VAE-II.
            let diagonal = try reader.optional("lambda_d", default: offDiagonal * (variant == .i ? 10 : 1), weight)
            return .dipVAE(variant: variant, lambdaOffDiagonal: offDiagonal, lambdaDiagonal: diagonal)
        case .capacity:
            // Burgess et al. 2018 / disentanglement_lib's annealed_vae defaults.
            return .capacity(gamma: try reader.optional("gamma", default: 1000, weight),
                             maxCapacity: try reader.optional("max_capacity", default: 25, weight),
                             steps: try reader.optional("capacity_steps", default: 100_000, Rules.steps))
        case .iwae:
            return .iwae(samples: try reader.optional("samples", default: 5,
                                                      Rules.integer(atLeast: 1, atMost: Int64(SpecLimits.maxImportanceSamples))))
        }
    }
}

extension VAEObjective {
    /// Every key of the chosen objective, spelled out; nil for `.elbo` (see the extension's comment).
    var resolvedJSON: JSONValue? {
        switch self {
        case .elbo:
            return nil
        case let .betaTCVAE(alpha, beta, gamma):
            return ["type": "beta-tcvae", "alpha": .float(alpha), "beta": .float(beta), "gamma": .float(gamma)]
        case let .factorVAE(gamma, discriminator, optimizer):
            return ["type": "factor-vae", "gamma": .float(gamma), "discriminator": .array(discriminator.map(\.resolvedJSON)),
                    "optimizer": optimizer.resolvedJSON]
        case let .dipVAE(variant, offDiagonal, diagonal):
            return ["type": "dip-vae", "variant": .string(variant.rawValue), "lambda_od": .float(offDiagonal),
                    "lambda_d": .float(diagonal)]
        case let .capacity(gamma, maxCapacity, steps):
            return ["type": "capacity", "gamma": .float(gamma), "max_capacity": .float(maxCapacity),
                    "capacity_steps": .int(Int64(steps))]
        case let .iwae(samples):
            return ["type": "iwae", "samples": .int(Int64(samples))]
        }
    }
}
