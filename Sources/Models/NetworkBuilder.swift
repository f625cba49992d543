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
        let built = try build(specs, input: input, path: path, file: file)
        return (built.layers, built.output)
    }

    /// As `layers`, also returning for each spec entry the index of the last built layer it
    /// produced (a spec entry may become several layers: flatten, dense, batch norm, activation).
    public static func build(_ specs: [LayerSpec], input: [Int], path: String, file: String) throws(SpecError)
        -> (layers: [Layer], output: [Int], specEnds: [Int]) {
        var specEnds: [Int] = []
        var shape = input
        var layers: [Layer] = []
        var parameters = 0
        for (i, spec) in specs.enumerated() {
            let here = "\(path)[\(i)]"
            switch spec {
            case let .dense(units, activation, batchNorm, initializer):
                try checkSize(units, path: "\(here).dense", file: file)
                let inputs = shape.reduce(1, *)
                let (weights, overflow) = inputs.multipliedReportingOverflow(by: units)
                parameters += overflow ? maxParameters + 1 : weights + units
                if parameters > maxParameters {
                    throw SpecError(file: file, path: "\(here).dense",
                                    expected: "at most \(maxParameters) parameters in \(path)",
                                    found: "\(units) units on \(inputs) inputs")
                }
                if shape.count > 1 {
                    layers.append(Reshape(flattening: shape))
                    shape = [shape.reduce(1, *)]
                }
                if batchNorm {
                    layers.append(Dense(inputs: shape[0], outputs: units, activation: .linear, initializer: WeightInitializer(initializer)))
                    layers.append(BatchNorm(shape: [units]))
                    if activation != .linear { layers.append(ActivationLayer(ActivationFunction(activation), shape: [units])) }
                } else {
                    layers.append(Dense(inputs: shape[0], outputs: units, activation: ActivationFunction(activation),
                                        initializer: WeightInitializer(initializer)))
                }
                shape = [units]
            case let .activation(activation):
                layers.append(ActivationLayer(ActivationFunction(activation), shape: shape))
            case let .batchNorm(momentum, epsilon):
                layers.append(BatchNorm(shape: shape, momentum: momentum, epsilon: epsilon))
            case .flatten:
                layers.append(Reshape(flattening: shape))
                shape = [shape.reduce(1, *)]
            case let .reshape(target):
                let want = saturatingProduct(target)
                try checkSize(want, path: "\(here).reshape", file: file)
                let have = shape.reduce(1, *)
                guard have == want else {
                    throw SpecError(file: file, path: "\(here).reshape",
                                    expected: "a shape with \(have) elements (the input is \(describe(shape)))",
                                    found: "\(describe(target)) with \(want) elements")
                }
                layers.append(Reshape(from: shape, to: target))
                shape = target
            case let .conv(filters, kernel, stride, padding, activation, batchNorm, initializer),
                 let .deconv(filters, kernel, stride, padding, activation, batchNorm, initializer):
                let transposed: Bool
                if case .deconv = spec { transposed = true } else { transposed = false }
                let key = transposed ? "deconv" : "conv"
                guard shape.count == 3 else {
                    throw SpecError(file: file, path: "\(here).\(key)", expected: "an image input [C, H, W] (add a reshape before it)",
                                    found: "an input of shape \(describe(shape))")
                }
                let (channels, height, width) = (shape[0], shape[1], shape[2])
                let side = { (n: Int) in transposed ? (n - 1) * stride - 2 * padding + kernel : (n + 2 * padding - kernel) / stride + 1 }
                let (outH, outW) = (side(height), side(width))
                guard outH > 0, outW > 0, transposed || height + 2 * padding >= kernel else {
                    throw SpecError(file: file, path: "\(here).kernel",
                                    expected: "a kernel that fits the \(height)×\(width) input with padding \(padding)",
                                    found: "kernel \(kernel), stride \(stride)")
                }
                try checkSize(saturatingProduct([filters, outH, outW]), path: "\(here).\(key)", file: file)
                parameters = min(parameters + saturatingProduct([channels, filters, kernel, kernel]) + filters, maxParameters + 1)
                if parameters > maxParameters {
                    throw SpecError(file: file, path: "\(here).\(key)", expected: "at most \(maxParameters) parameters in \(path)",
                                    found: "\(filters) filters of \(channels)×\(kernel)×\(kernel)")
                }
                let function = batchNorm ? ActivationFunction.linear : ActivationFunction(activation)
                let layer: Layer = transposed
                    ? ConvTranspose2D(inputShape: shape, filters: filters, kernel: kernel, stride: stride, padding: padding,
                                      activation: function, initializer: WeightInitializer(initializer))
                    : Conv2D(inputShape: shape, filters: filters, kernel: kernel, stride: stride, padding: padding,
                             activation: function, initializer: WeightInitializer(initializer))
                layers.append(layer)
                shape = layer.outputShape
                if batchNorm {
                    layers.append(BatchNorm(shape: shape))
                    if activation != .linear { layers.append(ActivationLayer(ActivationFunction(activation), shape: shape)) }
                }
            case let .maxout(units, pieces, initializer):
                try checkSize(saturatingProduct([units, pieces]), path: "\(here).maxout", file: file)
                let inputs = shape.reduce(1, *)
                parameters = min(parameters + saturatingProduct([inputs, units, pieces]) + units * pieces, maxParameters + 1)
                if parameters > maxParameters {
                    throw SpecError(file: file, path: "\(here).maxout", expected: "at most \(maxParameters) parameters in \(path)",
                                    found: "\(units) units × \(pieces) pieces on \(inputs) inputs")
                }
                if shape.count > 1 { layers.append(Reshape(flattening: shape)) }
                layers.append(Maxout(inputs: inputs, units: units, pieces: pieces, initializer: WeightInitializer(initializer)))
                shape = [units]
            case let .dropout(rate):
                layers.append(Dropout(shape: shape, rate: rate))
            }
            specEnds.append(layers.count - 1)
        }
        return (layers, shape, specEnds)
    }

    /// The product of `factors`, or `Int.max` when it overflows.
    static func saturatingProduct(_ factors: [Int]) -> Int {
        var result = 1
        for f in factors {
            let (product, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return Int.max }
            result = product
        }
        return result
    }

    /// Throws when one example's activation would exceed `maxActivationSize` elements.
    static func checkSize(_ elements: Int, path: String, file: String) throws(SpecError) {
        guard elements <= maxActivationSize else {
            throw SpecError(file: file, path: path, expected: "at most \(maxActivationSize) elements per example",
                            found: "\(elements == Int.max ? "more than \(Int.max)" : String(elements))")
        }
    }

    /// Appends a linear dense head with `units` outputs (flattening first if needed); `path` names
    /// what sets its size, for the error when it would be too large.
    /// The appended head's initializer: PyTorch's rule when every layer of `specs` that has
    /// weights asks for it (a network ported from PyTorch), Glorot otherwise.
    static func headInitializer(_ specs: [LayerSpec]) -> WeightInitializer {
        var weighted = 0, pytorch = 0
        for spec in specs {
            switch spec {
            case let .dense(_, _, _, initializer), let .conv(_, _, _, _, _, _, initializer),
                 let .deconv(_, _, _, _, _, _, initializer), let .maxout(_, _, initializer):
                weighted += 1
                if initializer == .pytorch { pytorch += 1 }
            default: break
            }
        }
        return weighted > 0 && pytorch == weighted ? .pytorch : .glorot
    }

    static func head(_ layers: inout [Layer], shape: [Int], units: Int, initializer: WeightInitializer = .glorot,
                     path: String, file: String) throws(SpecError) {
        let inputs = shape.reduce(1, *)
        let (weights, overflow) = inputs.multipliedReportingOverflow(by: units)
        guard !overflow, weights <= maxParameters else {
            throw SpecError(file: file, path: path, expected: "at most \(maxParameters) parameters in the output layer",
                            found: "\(units) outputs on \(inputs) inputs")
        }
        if shape.count > 1 { layers.append(Reshape(flattening: shape)) }
        layers.append(Dense(inputs: shape.reduce(1, *), outputs: units, activation: .linear, initializer: initializer))
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
