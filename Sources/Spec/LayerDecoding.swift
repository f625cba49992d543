/// Layer lists (`encoder`, `decoder`, `generator`, `discriminator`): each entry is an object with
/// exactly one kind key — `dense`, `conv`, `deconv`, `maxout`, `dropout`, `activation`,
/// `batch_norm`, `flatten` or `reshape` — plus that kind's options.
extension SpecDecoder {
    static let layerKinds = ["dense", "conv", "deconv", "maxout", "dropout", "activation", "batch_norm", "flatten", "reshape"]
    static let layerKeys = ["dense", "conv", "deconv", "kernel", "stride", "padding", "activation", "slope", "batch_norm",
                            "init", "spectral_norm", "momentum", "epsilon", "maxout", "pieces", "dropout", "flatten", "reshape"]
    /// The options `conv` and `deconv` take besides their kind key.
    static let convolutionOptionKeys = ["kernel", "stride", "padding", "activation", "slope", "batch_norm", "init", "spectral_norm"]

    /// Names of `Activation`s in JSON.
    enum ActivationName: String, CaseIterable {
        case linear, relu
        case leakyReLU = "leaky_relu"
        case sigmoid, tanh, softplus
    }

    func decodeLayers(_ value: JSONValue, at path: JSONPath) throws -> [LayerSpec] {
        try readArray(value, at: path, expected: "an array of layer objects") { try decodeLayer($0, at: $1) }
    }

    /// A layer list that must hold at least one layer (a generator, a VAE-GAN's networks).
    func decodeNonEmptyLayers(_ value: JSONValue, at path: JSONPath) throws -> [LayerSpec] {
        let expected = "a non-empty array of layer objects"
        let layers = try readArray(value, at: path, expected: expected) { try decodeLayer($0, at: $1) }
        if layers.isEmpty { throw error(path, expected: expected, found: value.summary) }
        return layers
    }

    func decodeLayer(_ value: JSONValue, at path: JSONPath) throws -> LayerSpec {
        let reader = try ObjectReader(value, at: path, self, expected: "a layer object")
        try reader.rejectUnknownKeys(Self.layerKeys, in: "a layer")
        // Kind precedence: `dense`, `conv` and `deconv` may carry `activation` and `batch_norm`, so
        // they win; a second kind key is then rejected as a key that does not apply.
        guard let kind = ["dense", "conv", "deconv", "maxout", "dropout", "flatten", "reshape", "batch_norm", "activation"]
            .first(where: reader.has) else {
            throw error(path, expected: "an object with one of " + ObjectReader.list(Self.layerKinds),
                        found: value.summary)
        }
        let context = "a \(JSONWriter.quoted(kind)) layer"
        switch kind {
        case "dense":
            try reader.rejectInapplicableKeys(["dense", "activation", "slope", "batch_norm", "init", "spectral_norm"], in: context)
            let units = try reader.required("dense", Rules.units)
            let activation = try decodeActivation(reader, default: .linear)
            return .dense(units: units, activation: activation,
                          batchNorm: try reader.optional("batch_norm", default: false, Rules.boolean),
                          initializer: try reader.optional("init", default: activation.defaultInitializer,
                                                           Rules.oneOf(Initializer.self)),
                          spectralNorm: try reader.optional("spectral_norm", default: false, Rules.boolean))
        case "conv", "deconv":
            try reader.rejectInapplicableKeys([kind] + Self.convolutionOptionKeys, in: context)
            let filters = try reader.required(kind, Rules.units)
            let side = Int64(SpecLimits.maxKernel)
            let kernel = try reader.required("kernel", Rules.integer(atLeast: 1, atMost: side))
            let stride = try reader.optional("stride", default: 1, Rules.integer(atLeast: 1, atMost: side))
            let padding = try reader.optional("padding", default: 0, Rules.integer(atLeast: 0, atMost: side))
            let activation = try decodeActivation(reader, default: .linear)
            let batchNorm = try reader.optional("batch_norm", default: false, Rules.boolean)
            let initializer = try reader.optional("init", default: activation.defaultInitializer, Rules.oneOf(Initializer.self))
            let spectralNorm = try reader.optional("spectral_norm", default: false, Rules.boolean)
            return kind == "conv"
                ? .conv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation,
                        batchNorm: batchNorm, initializer: initializer, spectralNorm: spectralNorm)
                : .deconv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation,
                          batchNorm: batchNorm, initializer: initializer, spectralNorm: spectralNorm)
        case "maxout":
            try reader.rejectInapplicableKeys(["maxout", "pieces", "init"], in: context)
            return .maxout(units: try reader.required("maxout", Rules.units),
                           pieces: try reader.required("pieces", Rules.integer(atLeast: 2, atMost: Int64(SpecLimits.maxPieces))),
                           initializer: try reader.optional("init", default: .glorot, Rules.oneOf(Initializer.self)))
        case "dropout":
            try reader.rejectInapplicableKeys(["dropout"], in: context)
            return .dropout(rate: try reader.required("dropout", Rules.number(min: 0, max: 1, maxExclusive: true)))
        case "flatten":
            try reader.rejectInapplicableKeys(["flatten"], in: context)
            try reader.required("flatten", Rules.trueMarker)
            return .flatten
        case "reshape":
            try reader.rejectInapplicableKeys(["reshape"], in: context)
            let expected = "a non-empty array of at most \(SpecLimits.maxReshapeRank) integers ≥ 1"
            let shape = try reader.requiredMember("reshape", expected: expected) { value, path in
                if case .array(let elements) = value, elements.count > SpecLimits.maxReshapeRank {
                    throw error(path, expected: expected, found: value.summary)
                }
                let shape = try readArray(value, at: path, expected: expected) { try read($0, at: $1, Rules.units) }
                if shape.isEmpty { throw error(path, expected: expected, found: value.summary) }
                return shape
            }
            return .reshape(shape)
        case "batch_norm":
            try reader.rejectInapplicableKeys(["batch_norm", "momentum", "epsilon"], in: context)
            try reader.required("batch_norm", Rules.trueMarker)
            return .batchNorm(
                momentum: try reader.optional("momentum", default: 0.1, Rules.number(min: 0, minExclusive: true, max: 1, maxExclusive: true)),
                epsilon: try reader.optional("epsilon", default: 1e-5, Rules.number(min: 0, minExclusive: true)))
        default:  // "activation"
            try reader.rejectInapplicableKeys(["activation", "slope"], in: context)
            return .activation(try decodeActivation(reader, default: .linear))
        }
    }

    /// `activation` and, for `leaky_relu` only, `slope` (0 ≤ slope < 1, default 0.2).
    private func decodeActivation(_ reader: ObjectReader, default fallback: ActivationName) throws -> Activation {
        let name = try reader.optional("activation", default: fallback, Rules.oneOf(ActivationName.self))
        switch name {
        case .linear: try reader.forbid("slope", unless: "\"activation\" is \"leaky_relu\""); return .linear
        case .relu: try reader.forbid("slope", unless: "\"activation\" is \"leaky_relu\""); return .relu
        case .sigmoid: try reader.forbid("slope", unless: "\"activation\" is \"leaky_relu\""); return .sigmoid
        case .tanh: try reader.forbid("slope", unless: "\"activation\" is \"leaky_relu\""); return .tanh
        case .softplus: try reader.forbid("slope", unless: "\"activation\" is \"leaky_relu\""); return .softplus
        case .leakyReLU:
            return .leakyReLU(slope: try reader.optional("slope", default: 0.2, Rules.number(min: 0, max: 1, maxExclusive: true)))
        }
    }
}

extension Activation {
    /// He for the ReLU family, Glorot otherwise (the `init` default of `dense`, `conv`, `deconv`).
    var defaultInitializer: Initializer {
        switch self {
        case .relu, .leakyReLU: .he
        case .linear, .sigmoid, .tanh, .softplus: .glorot
        }
    }

    /// `activation` (and `slope`) keys of the resolved layer JSON.
    func addResolved(to object: inout JSONObject) {
        let name: SpecDecoder.ActivationName
        switch self {
        case .linear: name = .linear
        case .relu: name = .relu
        case .leakyReLU(let slope):
            name = .leakyReLU
            object["slope"] = .float(slope)
        case .sigmoid: name = .sigmoid
        case .tanh: name = .tanh
        case .softplus: name = .softplus
        }
        object["activation"] = .string(name.rawValue)
    }
}

extension LayerSpec {
    /// The layer with every option explicit (`init` always resolved).
    var resolvedJSON: JSONValue {
        var object = JSONObject()
        switch self {
        case let .dense(units, activation, batchNorm, initializer, spectralNorm):
            object["dense"] = .int(Int64(units))
            activation.addResolved(to: &object)
            object["batch_norm"] = .bool(batchNorm)
            object["init"] = .string(initializer.rawValue)
            if spectralNorm { object["spectral_norm"] = .bool(true) }
        case .activation(let activation):
            activation.addResolved(to: &object)
        case let .batchNorm(momentum, epsilon):
            object["batch_norm"] = .bool(true)
            object["momentum"] = .float(momentum)
            object["epsilon"] = .float(epsilon)
        case .flatten:
            object["flatten"] = .bool(true)
        case .reshape(let shape):
            object["reshape"] = .array(shape.map { .int(Int64($0)) })
        case let .conv(filters, kernel, stride, padding, activation, batchNorm, initializer, spectralNorm):
            object["conv"] = .int(Int64(filters))
            Self.addConvolutionOptions(kernel: kernel, stride: stride, padding: padding, activation: activation,
                                       batchNorm: batchNorm, initializer: initializer, to: &object)
            if spectralNorm { object["spectral_norm"] = .bool(true) }
        case let .deconv(filters, kernel, stride, padding, activation, batchNorm, initializer, spectralNorm):
            object["deconv"] = .int(Int64(filters))
            Self.addConvolutionOptions(kernel: kernel, stride: stride, padding: padding, activation: activation,
                                       batchNorm: batchNorm, initializer: initializer, to: &object)
            if spectralNorm { object["spectral_norm"] = .bool(true) }
        case let .maxout(units, pieces, initializer):
            object["maxout"] = .int(Int64(units))
            object["pieces"] = .int(Int64(pieces))
            object["init"] = .string(initializer.rawValue)
        case .dropout(let rate):
            object["dropout"] = .float(rate)
        }
        return .object(object)
    }

    /// The keys `conv` and `deconv` share besides their kind key.
    private static func addConvolutionOptions(kernel: Int, stride: Int, padding: Int, activation: Activation,
                                              batchNorm: Bool, initializer: Initializer, to object: inout JSONObject) {
        object["kernel"] = .int(Int64(kernel))
        object["stride"] = .int(Int64(stride))
        object["padding"] = .int(Int64(padding))
        activation.addResolved(to: &object)
        object["batch_norm"] = .bool(batchNorm)
        object["init"] = .string(initializer.rawValue)
    }
}
