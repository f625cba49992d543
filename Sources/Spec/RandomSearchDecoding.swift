/// The `search` section: random search over paths of the run sections (`RandomSearch`).
extension SpecDecoder {
    static let searchKeys = ["method", "trials", "seed", "parameters", "successive_halving"]
    static let halvingKeys = ["min_epochs", "reduction", "metric", "goal"]
    static let distributionKeys = ["distribution", "low", "high", "values"]
    /// Integer bounds stay within ±2⁵³, where every integer is exact as a Double.
    static let maxSearchInteger: Int64 = 1 << 53

    enum SearchMethod: String, CaseIterable { case random }
    enum DistributionKind: String, CaseIterable {
        case uniform, logUniform = "log_uniform", integer, choice
    }

    func decodeSearch(_ value: JSONValue, at path: JSONPath) throws -> RandomSearch {
        let reader = try ObjectReader(value, at: path, self, expected: "an object with method, trials and parameters")
        try reader.rejectUnknownKeys(Self.searchKeys, in: "search")
        _ = try reader.required("method", Rules.oneOf(SearchMethod.self))
        let trials = try reader.required("trials", Rules.integer(atLeast: 1, atMost: Int64(Self.maxRuns)))
        let seed = try reader.optional("seed", default: 0, Rules.seed)
        let parameters = try reader.requiredMember("parameters", expected: "an object mapping paths to distributions") { value, path in
            let object = try ObjectReader(value, at: path, self, expected: "an object mapping paths to distributions")
            guard !object.object.isEmpty else { throw error(path, expected: "at least one searched path", found: "an empty object") }
            if object.object.count > SpecLimits.maxSweepPaths {
                throw error(path, expected: "at most \(SpecLimits.maxSweepPaths) searched paths", found: value.summary)
            }
            return try object.object.map { member in
                (path: member.key, distribution: try decodeDistribution(member.value, at: path.entry(member.key)))
            }
        }
        let halving = try reader.member("successive_halving", absent: nil) { try decodeHalving($0, at: $1) }
        if halving != nil, let epochs = parameters.first(where: { $0.path == SuccessiveHalving.budgetPath }) {
            throw error(path.key("parameters").entry(epochs.path), expected: "a path other than training.epochs",
                        found: "training.epochs, which successive_halving sets to each rung's budget")
        }
        let search = RandomSearch(trials: trials, seed: seed, parameters: parameters, halving: halving)
        if let count = search.distinctConfigurations, count < trials {
            throw error(path.key("trials"), expected: "at most \(count) trials (the searched values allow \(count) distinct configurations)",
                        found: "\(trials)")
        }
        return search
    }

    private func decodeHalving(_ value: JSONValue, at path: JSONPath) throws -> SuccessiveHalving {
        let reader = try ObjectReader(value, at: path, self,
                                      expected: #"an object such as {"metric": "fid", "goal": "minimize", "min_epochs": 1, "reduction": 3}"#)
        try reader.rejectUnknownKeys(Self.halvingKeys, in: "successive_halving")
        let minEpochs = try reader.optional("min_epochs", default: 1, Rules.integer(atLeast: 1, atMost: 1_000_000))
        let reduction = try reader.optional("reduction", default: 3, Rules.integer(atLeast: 2, atMost: 1000))
        let metric = try reader.required("metric", Rule<String>(expected: "a metric name such as \"fid\" or \"test_neg_elbo\"") { value in
            if case .string(let text) = value, !text.isEmpty, text.count <= 200 { return text } else { return nil }
        })
        let goal = try reader.required("goal", Rules.oneOf(SuccessiveHalving.Goal.self))
        return SuccessiveHalving(minEpochs: minEpochs, reduction: reduction, metric: metric, goal: goal)
    }

    private func decodeDistribution(_ value: JSONValue, at path: JSONPath) throws -> RandomSearch.Distribution {
        let reader = try ObjectReader(value, at: path, self,
                                      expected: #"a distribution such as {"distribution": "log_uniform", "low": 1e-5, "high": 1e-2}"#)
        try reader.rejectUnknownKeys(Self.distributionKeys, in: "a distribution")
        let kind = try reader.required("distribution", Rules.oneOf(DistributionKind.self))
        switch kind {
        case .uniform, .logUniform:
            try reader.rejectInapplicableKeys(["distribution", "low", "high"], in: "distribution \"\(kind.rawValue)\"")
            let positive = kind == .logUniform
            let low = try reader.required("low", positive
                ? Rules.finiteDouble(above: 0, expected: "a number > 0 (log_uniform draws between the logarithms of its bounds)")
                : Rules.finiteDouble(above: nil, expected: "a finite number"))
            let high = try reader.required("high", Rules.finiteDouble(above: low, expected: "a finite number > low (\(JSONWriter.numberText(low)))"))
            return kind == .uniform ? .uniform(low: low, high: high) : .logUniform(low: low, high: high)
        case .integer:
            try reader.rejectInapplicableKeys(["distribution", "low", "high"], in: "distribution \"integer\"")
            let bound = Self.maxSearchInteger
            let low = try reader.required("low", Rules.integer(atLeast: -bound, atMost: bound))
            let high = try reader.required("high", Rules.integer(atLeast: Int64(low) + 1, atMost: bound))
            return .integer(low: Int64(low), high: Int64(high))
        case .choice:
            try reader.rejectInapplicableKeys(["distribution", "values"], in: "distribution \"choice\"")
            let values = try reader.requiredMember("values", expected: "a non-empty array of values") { value, path -> [JSONValue] in
                guard case .array(let values) = value, !values.isEmpty, values.count <= Self.maxRuns else {
                    throw error(path, expected: "a non-empty array of at most \(Self.maxRuns) values", found: value.summary)
                }
                for (index, value) in values.enumerated() where values[..<index].contains(where: { $0.canonical == value.canonical }) {
                    throw error(path.index(index), expected: "a value not listed before", found: value.summary)
                }
                return values
            }
            return .choice(values)
        }
    }
}

extension Rules {
    /// A finite number (as Double) strictly above `above` when given.
    static func finiteDouble(above: Double?, expected: String) -> Rule<Double> {
        Rule(expected: expected) { value in
            let x: Double
            switch value {
            case .int(let n): x = Double(n)
            case .number(let d): x = d
            default: return nil
            }
            guard x.isFinite, above.map({ x > $0 }) ?? true else { return nil }
            return x
        }
    }
}
