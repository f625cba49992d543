/// The `training` section and its `optimizer`, whose keys depend on the optimizer `type`.
extension SpecDecoder {
    enum OptimizerKind: String, CaseIterable {
        case sgd, rmsprop, adam, adamw
    }

    static func optimizerKeys(of kind: OptimizerKind) -> [String] {
        switch kind {
        case .sgd: ["type", "lr", "momentum", "nesterov", "weight_decay"]
        case .rmsprop: ["type", "lr", "alpha", "epsilon", "momentum", "weight_decay"]
        case .adam, .adamw: ["type", "lr", "beta1", "beta2", "epsilon", "weight_decay"]
        }
    }

    func decodeTraining(_ value: JSONValue, at path: JSONPath) throws -> TrainingSpec {
        let reader = try ObjectReader(value, at: path, self)
        try reader.rejectUnknownKeys(["epochs", "batch", "optimizer", "clip_norm", "threads", "checkpoint_steps", "log_every_steps",
                                      "blas_kernel"], in: "training")
        return TrainingSpec(
            epochs: try reader.required("epochs", Rules.integer(atLeast: 1, atMost: Int64(SpecLimits.maxEpochs))),
            batch: try reader.optional("batch", default: 128, Rules.integer(atLeast: 1, atMost: Int64(SpecLimits.maxExamples))),
            optimizer: try reader.member("optimizer", absent: try decodeOptimizer(["type": "adam"], at: path.key("optimizer"))) {
                try decodeOptimizer($0, at: $1)
            },
            clipNorm: try reader.nullable("clip_norm", Rules.number(min: 0, minExclusive: true)),
            threads: try reader.optional("threads", default: 1, Rules.integer(atLeast: 1, atMost: 64)),
            checkpointSteps: try reader.optional("checkpoint_steps", default: 0, Rules.steps),
            logEverySteps: try reader.nullable("log_every_steps", Rules.steps),
            blasKernel: try reader.optional("blas_kernel", default: .portable, Rules.oneOf(BLASKernelChoice.self)))
    }

    func decodeOptimizer(_ value: JSONValue, at path: JSONPath) throws -> OptimizerSpec {
        let reader = try ObjectReader(value, at: path, self)
        var allKeys: [String] = []
        for kind in OptimizerKind.allCases { allKeys += Self.optimizerKeys(of: kind).filter { !allKeys.contains($0) } }
        try reader.rejectUnknownKeys(allKeys, in: "optimizer")
        let kind = try reader.required("type", Rules.oneOf(OptimizerKind.self))
        try reader.rejectInapplicableKeys(Self.optimizerKeys(of: kind), in: "optimizer type \(JSONWriter.quoted(kind.rawValue))")

        let positive = Rules.number(min: 0, minExclusive: true)
        let unitInterval = Rules.number(min: 0, max: 1, maxExclusive: true)  // [0, 1)
        let nonNegative = Rules.number(min: 0)
        let lr = try reader.optional("lr", default: kind == .sgd ? 0.01 : 0.001, positive)
        switch kind {
        case .sgd:
            let momentum = try reader.optional("momentum", default: 0, unitInterval)
            let nesterov = try reader.optional("nesterov", default: false, Rules.boolean)
            if nesterov && momentum == 0 {
                throw error(path.key("nesterov"), expected: "false unless \"momentum\" > 0",
                            found: "boolean true with momentum 0")
            }
            return .sgd(lr: lr, momentum: momentum, nesterov: nesterov,
                        weightDecay: try reader.optional("weight_decay", default: 0, nonNegative))
        case .rmsprop:
            return .rmsprop(lr: lr,
                            alpha: try reader.optional("alpha", default: 0.99, unitInterval),
                            epsilon: try reader.optional("epsilon", default: 1e-8, positive),
                            momentum: try reader.optional("momentum", default: 0, unitInterval),
                            weightDecay: try reader.optional("weight_decay", default: 0, nonNegative))
        case .adam, .adamw:
            let beta1 = try reader.optional("beta1", default: 0.9, unitInterval)
            let beta2 = try reader.optional("beta2", default: 0.999, unitInterval)
            let epsilon = try reader.optional("epsilon", default: 1e-8, positive)
            let weightDecay = try reader.optional("weight_decay", default: kind == .adamw ? 0.01 : 0, nonNegative)
            return kind == .adam
                ? .adam(lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
                : .adamw(lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        }
    }
}

extension OptimizerSpec {
    /// Every hyper-parameter of the chosen type, spelled out.
    var resolvedJSON: JSONValue {
        switch self {
        case let .sgd(lr, momentum, nesterov, weightDecay):
            return ["type": "sgd", "lr": .float(lr), "momentum": .float(momentum), "nesterov": .bool(nesterov),
                    "weight_decay": .float(weightDecay)]
        case let .rmsprop(lr, alpha, epsilon, momentum, weightDecay):
            return ["type": "rmsprop", "lr": .float(lr), "alpha": .float(alpha), "epsilon": .float(epsilon),
                    "momentum": .float(momentum), "weight_decay": .float(weightDecay)]
        case let .adam(lr, beta1, beta2, epsilon, weightDecay):
            return ["type": "adam", "lr": .float(lr), "beta1": .float(beta1), "beta2": .float(beta2),
                    "epsilon": .float(epsilon), "weight_decay": .float(weightDecay)]
        case let .adamw(lr, beta1, beta2, epsilon, weightDecay):
            return ["type": "adamw", "lr": .float(lr), "beta1": .float(beta1), "beta2": .float(beta2),
                    "epsilon": .float(epsilon), "weight_decay": .float(weightDecay)]
        }
    }
}

extension TrainingSpec {
    /// Every key spelled out, but `blas_kernel` only when "native": the default adds nothing, so
    /// the ids of runs from before it existed stay the same.
    var resolvedJSON: JSONValue {
        var object: JSONValue = ["epochs": .int(Int64(epochs)), "batch": .int(Int64(batch)), "optimizer": optimizer.resolvedJSON,
                                 "clip_norm": clipNorm.map(JSONValue.float) ?? .null, "threads": .int(Int64(threads)),
                                 "checkpoint_steps": .int(Int64(checkpointSteps)),
                                 "log_every_steps": logEverySteps.map { .int(Int64($0)) } ?? .null]
        if blasKernel != .portable, case .object(var members) = object {
            members["blas_kernel"] = .string(blasKernel.rawValue)
            object = .object(members)
        }
        return object
    }

    /// `resolvedJSON` without the keys that cannot change results (`checkpoint_steps`): what the
    /// run id hashes.
    var identityJSON: JSONValue {
        guard case .object(var object) = resolvedJSON else { preconditionFailure("training resolves to an object") }
        object["checkpoint_steps"] = nil
        return .object(object)
    }

    /// `identityJSON` as GenLab 0.1 hashed it, before `log_every_steps` existed (it logged at
    /// epoch ends only): for `RunSpec.legacyID`.
    var legacyIdentityJSON: JSONValue {
        guard case .object(var object) = identityJSON else { preconditionFailure("training resolves to an object") }
        object["log_every_steps"] = nil
        return .object(object)
    }
}
