/// `model.schedule.gradient_penalty` of a `gan` or `vae-gan`: a type name, or an object with
/// `type` and that type's weights. Absent means no penalty, and resolves to no key, so the ids of
/// runs from before the key existed stay as they were.
extension SpecDecoder {
    static func gradientPenaltyKeys(of kind: GradientPenaltySpec.Kind) -> [String] {
        switch kind {
        case .wganGP: ["type", "lambda"]
        case .dragan: ["type", "lambda", "c"]
        case .r1: ["type", "gamma"]
        }
    }

    func decodeGradientPenalty(_ value: JSONValue, at path: JSONPath) throws -> GradientPenaltySpec {
        var object = value, typePath = path.key("type")
        if case .string(let name) = value {
            object = .object(["type": .string(name)])
            typePath = path
        }
        let reader = try ObjectReader(object, at: path, self,
                                      expected: "a gradient penalty: a type name or an object with \"type\"")
        var allKeys: [String] = []
        for kind in GradientPenaltySpec.Kind.allCases { allKeys += Self.gradientPenaltyKeys(of: kind).filter { !allKeys.contains($0) } }
        try reader.rejectUnknownKeys(allKeys, in: "a gradient penalty")
        let kindRule = Rules.oneOf(GradientPenaltySpec.Kind.self)
        guard let type = reader["type"] else { throw error(typePath, expected: kindRule.expected, found: "missing key") }
        let kind = try read(type, at: typePath, kindRule)
        try reader.rejectInapplicableKeys(Self.gradientPenaltyKeys(of: kind), in: "gradient penalty \(JSONWriter.quoted(kind.rawValue))")
        let weight = Rules.number(min: 0, minExclusive: true)
        // Each paper's weight: λ = 10 (Gulrajani et al.; Kodali et al.), γ = 10 (Mescheder et al.'s
        // most used), DRAGAN's perturbation scale c = 0.5 (the authors' code).
        switch kind {
        case .wganGP:
            return .wganGP(lambda: try reader.optional("lambda", default: 10, weight))
        case .dragan:
            return .dragan(lambda: try reader.optional("lambda", default: 10, weight),
                           c: try reader.optional("c", default: 0.5, weight))
        case .r1:
            return .r1(gamma: try reader.optional("gamma", default: 10, weight))
        }
    }
}

extension GradientPenaltySpec {
    /// Every key of the chosen penalty, spelled out.
    var resolvedJSON: JSONValue {
        switch self {
        case .wganGP(let lambda): ["type": "wgan-gp", "lambda": .float(lambda)]
        case let .dragan(lambda, c): ["type": "dragan", "lambda": .float(lambda), "c": .float(c)]
        case .r1(let gamma): ["type": "r1", "gamma": .float(gamma)]
        }
    }
}
