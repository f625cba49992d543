import NN
import Spec

/// Builds NN layers from a spec's layer list — the one `switch` from `LayerSpec` to layers — with
/// shape inference, so that a list that cannot take its input fails as a `SpecError` at the JSON
/// path of the offending layer before anything trains.
public enum NetworkBuilder {
    /// The most parameters one network may have (100 million: 1.6 GB with gradients and Adam's
    /// state), and the most elements one example may have between layers. Larger sizes are
    /// reported at their JSON path instead of overflowing or failing to allocate.
    public static let maxParameters = 100_000_000
    public static let maxActivationSize = 16_777_216

    /// Layers for `specs` applied to examples of shape `input`. A dense layer that receives a
    /// multi-dimensional input flattens it first (an MLP on images needs no explicit flatten).
    /// `path` is the JSON path of the list (e.g. `model.encoder`), `file` the experiment file.
    public static func layers(_ specs: [LayerSpec], input: [Int], path: String, file: String) throws(SpecError) -> (layers: [Layer], output: [Int]) {
        let plan = try plan(specs, input: input, path: path, file: file)
        return (plan.makeLayers(), plan.output)
    }

    /// As `layers`, also returning for each spec entry the index of the last built layer it
    /// produced (a spec entry may become several layers: flatten, dense, batch norm, activation).
    public static func build(_ specs: [LayerSpec], input: [Int], path: String, file: String) throws(SpecError)
        -> (layers: [Layer], output: [Int], specEnds: [Int]) {
        let plan = try plan(specs, input: input, path: path, file: file)
        return (plan.makeLayers(), plan.output, plan.specEnds)
    }

    /// The layers `specs` become on examples of shape `input`, with every shape, size and
    /// parameter count checked (all arithmetic overflow-checked), and nothing allocated.
    public static func plan(_ specs: [LayerSpec], input: [Int], path: String, file: String) throws(SpecError) -> NetworkPlan {
        var plan = NetworkPlan(layers: [], output: input, specEnds: [])
        var parameters = 0
        func add(_ kind: LayerPlan.Kind, to output: [Int], spectralNorm: Bool = false) {
            plan.layers.append(LayerPlan(kind: kind, inputShape: plan.output, outputShape: output, spectralNorm: spectralNorm))
            plan.output = output
        }
        func flatten() { if plan.output.count > 1 { add(.reshape, to: [Saturating.product(plan.output)]) } }
        func count(_ added: Int, at key: String, found: String) throws(SpecError) {
            parameters = Saturating.sum([parameters, added])
            if parameters > maxParameters {
                throw SpecError(file: file, path: key, expected: "at most \(maxParameters) parameters in \(path)", found: found)
            }
        }
        for (i, spec) in specs.enumerated() {
            let here = "\(path)[\(i)]"
            switch spec {
            case let .dense(units, activation, batchNorm, initializer, spectralNorm):
                try checkSize(units, path: "\(here).dense", file: file)
                let inputs = Saturating.product(plan.output)
                try count(Saturating.sum([Saturating.product([inputs, units]), units]), at: "\(here).dense",
                          found: "\(units) units on \(inputs) inputs")
                flatten()
                if batchNorm {
                    add(.dense(outputs: units, activation: .linear, initializer: WeightInitializer(initializer)), to: [units],
                        spectralNorm: spectralNorm)
                    add(.batchNorm(momentum: 0.1, epsilon: 1e-5), to: [units])
                    if activation != .linear { add(.activation(ActivationFunction(activation)), to: [units]) }
                } else {
                    add(.dense(outputs: units, activation: ActivationFunction(activation), initializer: WeightInitializer(initializer)),
                        to: [units], spectralNorm: spectralNorm)
                }
            case let .activation(activation):
                add(.activation(ActivationFunction(activation)), to: plan.output)
            case let .batchNorm(momentum, epsilon):
                add(.batchNorm(momentum: momentum, epsilon: epsilon), to: plan.output)
            case .flatten:
                add(.reshape, to: [Saturating.product(plan.output)])
            case let .reshape(target):
                let want = Saturating.product(target)
                try checkSize(want, path: "\(here).reshape", file: file)
                let have = Saturating.product(plan.output)
                guard have == want else {
                    throw SpecError(file: file, path: "\(here).reshape",
                                    expected: "a shape with \(have) elements (the input is \(describe(plan.output)))",
                                    found: "\(describe(target)) with \(want) elements")
                }
                add(.reshape, to: target)
            case let .conv(filters, kernel, stride, padding, activation, batchNorm, initializer, spectralNorm),
                 let .deconv(filters, kernel, stride, padding, activation, batchNorm, initializer, spectralNorm):
                let transposed: Bool
                if case .deconv = spec { transposed = true } else { transposed = false }
                let key = transposed ? "deconv" : "conv"
                let shape = plan.output
                guard shape.count == 3 else {
                    throw SpecError(file: file, path: "\(here).\(key)", expected: "an image input [C, H, W] (add a reshape before it)",
                                    found: "an input of shape \(describe(shape))")
                }
                let (channels, height, width) = (shape[0], shape[1], shape[2])
                guard let outH = side(height, kernel: kernel, stride: stride, padding: padding, transposed: transposed),
                      let outW = side(width, kernel: kernel, stride: stride, padding: padding, transposed: transposed) else {
                    throw SpecError(file: file, path: "\(here).kernel",
                                    expected: "a kernel that fits the \(height)×\(width) input with padding \(padding)",
                                    found: "kernel \(kernel), stride \(stride)")
                }
                try checkSize(Saturating.product([filters, outH, outW]), path: "\(here).\(key)", file: file)
                // The zero-padded plane im2col indexes with Int32 (the output's, for a transposed one).
                let padded = transposed
                    ? Saturating.product([Saturating.sum([outH, 2 * padding]), Saturating.sum([outW, 2 * padding])])
                    : Saturating.product([Saturating.sum([height, 2 * padding]), Saturating.sum([width, 2 * padding])])
                try checkSize(padded, path: "\(here).padding", file: file)
                try count(Saturating.sum([Saturating.product([channels, filters, kernel, kernel]), filters]), at: "\(here).\(key)",
                          found: "\(filters) filters of \(channels)×\(kernel)×\(kernel)")
                let function = batchNorm ? ActivationFunction.linear : ActivationFunction(activation)
                let output = [filters, outH, outW]
                add(transposed
                    ? .deconv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: function,
                              initializer: WeightInitializer(initializer))
                    : .conv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: function,
                            initializer: WeightInitializer(initializer)),
                    to: output, spectralNorm: spectralNorm)
                if batchNorm {
                    add(.batchNorm(momentum: 0.1, epsilon: 1e-5), to: output)
                    if activation != .linear { add(.activation(ActivationFunction(activation)), to: output) }
                }
            case let .maxout(units, pieces, initializer):
                try checkSize(Saturating.product([units, pieces]), path: "\(here).maxout", file: file)
                let inputs = Saturating.product(plan.output)
                try count(Saturating.sum([Saturating.product([inputs, units, pieces]), Saturating.product([units, pieces])]),
                          at: "\(here).maxout", found: "\(units) units × \(pieces) pieces on \(inputs) inputs")
                flatten()
                add(.maxout(units: units, pieces: pieces, initializer: WeightInitializer(initializer)), to: [units])
            case let .dropout(rate):
                add(.dropout(rate: rate), to: plan.output)
            }
            plan.specEnds.append(plan.layers.count - 1)
        }
        return plan
    }

    /// One output side of a convolution, ⌊(n + 2P − K)/S⌋ + 1, or of a transposed one,
    /// (n − 1)·S − 2P + K; nil when it is not positive (the kernel does not fit the padded
    /// input) or the arithmetic overflows.
    static func side(_ n: Int, kernel: Int, stride: Int, padding: Int, transposed: Bool) -> Int? {
        let (twoP, o1) = padding.multipliedReportingOverflow(by: 2)
        if transposed {
            let (grown, o2) = (n - 1).multipliedReportingOverflow(by: stride)
            let (shrunk, o3) = grown.subtractingReportingOverflow(twoP)
            let (side, o4) = shrunk.addingReportingOverflow(kernel)
            return o1 || o2 || o3 || o4 || side <= 0 ? nil : side
        }
        let (padded, o2) = n.addingReportingOverflow(twoP)
        guard !o1, !o2, padded >= kernel else { return nil }
        return (padded - kernel) / stride + 1
    }

    /// Throws when one example's activation would exceed `maxActivationSize` elements.
    static func checkSize(_ elements: Int, path: String, file: String) throws(SpecError) {
        guard elements <= maxActivationSize else {
            throw SpecError(file: file, path: path, expected: "at most \(maxActivationSize) elements per example",
                            found: "\(elements == Int.max ? "more than \(Int.max)" : String(elements))")
        }
    }

    /// The appended head's initializer: PyTorch's rule when every layer of `specs` that has
    /// weights asks for it (a network ported from PyTorch), Glorot otherwise.
    static func headInitializer(_ specs: [LayerSpec]) -> WeightInitializer {
        var weighted = 0, pytorch = 0
        for spec in specs {
            switch spec {
            case let .dense(_, _, _, initializer, _), let .conv(_, _, _, _, _, _, initializer, _),
                 let .deconv(_, _, _, _, _, _, initializer, _), let .maxout(_, _, initializer):
                weighted += 1
                if initializer == .pytorch { pytorch += 1 }
            default: break
            }
        }
        return weighted > 0 && pytorch == weighted ? .pytorch : .glorot
    }

    /// Whether a discriminator's appended one-logit head is spectrally normalised: when every
    /// dense, conv and deconv layer of `specs` is (and there is one), as SN-GAN normalises all of
    /// its layers, the last included; a list that normalises only some layers leaves the head plain.
    static func headSpectralNorm(_ specs: [LayerSpec]) -> Bool {
        var weighted = 0
        for spec in specs {
            switch spec {
            case let .dense(_, _, _, _, spectralNorm), let .conv(_, _, _, _, _, _, _, spectralNorm),
                 let .deconv(_, _, _, _, _, _, _, spectralNorm):
                guard spectralNorm else { return false }
                weighted += 1
            case .maxout: return false
            default: break
            }
        }
        return weighted > 0
    }

    static func head(_ layers: inout [Layer], shape: [Int], units: Int, initializer: WeightInitializer = .glorot,
                     path: String, file: String) throws(SpecError) {
        var plan = NetworkPlan(layers: [], output: shape, specEnds: [])
        try appendHead(&plan, units: units, initializer: initializer, path: path, file: file)
        layers += plan.makeLayers()
    }

    /// Appends to `plan` a linear dense head with `units` outputs (flattening first if needed);
    /// `path` names what sets its size, for the error when it would be too large.
    public static func appendHead(_ plan: inout NetworkPlan, units: Int, initializer: WeightInitializer = .glorot,
                                  spectralNorm: Bool = false, path: String, file: String) throws(SpecError) {
        let shape = plan.output
        let inputs = Saturating.product(shape)
        let (weights, overflow) = inputs.multipliedReportingOverflow(by: units)
        guard !overflow, weights <= maxParameters else {
            throw SpecError(file: file, path: path, expected: "at most \(maxParameters) parameters in the output layer",
                            found: "\(units) outputs on \(inputs) inputs")
        }
        if shape.count > 1 {
            plan.layers.append(LayerPlan(kind: .reshape, inputShape: shape, outputShape: [inputs]))
        }
        plan.layers.append(LayerPlan(kind: .dense(outputs: units, activation: .linear, initializer: initializer),
                                     inputShape: [inputs], outputShape: [units], spectralNorm: spectralNorm))
        plan.output = [units]
    }

    /// Appends to `plan` a projection head (`ProjectionHead`, Miyato & Koyama 2018) over its
    /// flattened output for `classes` classes.
    public static func appendProjectionHead(_ plan: inout NetworkPlan, classes: Int, initializer: WeightInitializer = .glorot,
                                            path: String, file: String) throws(SpecError) {
        let shape = plan.output
        let inputs = Saturating.product(shape)
        let weights = Saturating.product([inputs, Saturating.sum([classes, 1])])
        guard weights <= maxParameters else {
            throw SpecError(file: file, path: path, expected: "at most \(maxParameters) parameters in the projection head",
                            found: "\(classes) classes on \(inputs) features")
        }
        if shape.count > 1 {
            plan.layers.append(LayerPlan(kind: .reshape, inputShape: shape, outputShape: [inputs]))
        }
        plan.layers.append(LayerPlan(kind: .projection(classes: classes, initializer: initializer),
                                     inputShape: [inputs], outputShape: [1]))
        plan.output = [1]
    }

    static func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}

extension ActivationFunction {
    /// The numeric activation for a spec activation.
    public init(_ spec: Activation) {
        switch spec {
        case .linear: self = .linear
        case .relu: self = .relu
        case .leakyReLU(let slope): self = .leakyReLU(slope: slope)
        case .sigmoid: self = .sigmoid
        case .tanh: self = .tanh
        case .softplus: self = .softplus
        }
    }
}

extension WeightInitializer {
    public init(_ spec: Initializer) {
        switch spec {
        case .he: self = .he
        case .glorot: self = .glorot
        case .pytorch: self = .pytorch
        }
    }
}

extension OptimizerRule {
    /// The numeric update rule for a spec optimiser.
    public init(_ spec: OptimizerSpec) {
        switch spec {
        case let .sgd(lr, momentum, nesterov, decay): self = .sgd(lr: lr, momentum: momentum, nesterov: nesterov, weightDecay: decay)
        case let .rmsprop(lr, alpha, eps, momentum, decay): self = .rmsprop(lr: lr, alpha: alpha, epsilon: eps, momentum: momentum, weightDecay: decay)
        case let .adam(lr, b1, b2, eps, decay): self = .adam(lr: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: decay)
        case let .adamw(lr, b1, b2, eps, decay): self = .adamw(lr: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: decay)
        }
    }
}
