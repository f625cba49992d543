import NN

/// A planned layer in the words of the experiment file: its kind and main options, e.g.
/// `dense 512 relu`, `conv 32 k4 s2 p1 leaky_relu 0.2`, `batch_norm`, `reshape`, `maxout 240×5`,
/// `dropout 0.5` (linear activations and initialisers are left out); `sn` marks spectral
/// normalisation.
extension LayerPlan: CustomStringConvertible {
    public var description: String {
        switch kind {
        case let .dense(outputs, activation, _):
            return Self.joined(["dense \(outputs)", activation.specName, spectralNorm ? "sn" : nil])
        case .batchNorm:
            return "batch_norm"
        case .activation(let function):
            return function.specName ?? "linear"
        case .reshape:
            return "reshape"
        case let .conv(filters, kernel, stride, padding, activation, _):
            return Self.joined(["conv \(filters) k\(kernel) s\(stride) p\(padding)", activation.specName, spectralNorm ? "sn" : nil])
        case let .deconv(filters, kernel, stride, padding, activation, _):
            return Self.joined(["deconv \(filters) k\(kernel) s\(stride) p\(padding)", activation.specName,
                                spectralNorm ? "sn" : nil])
        case let .maxout(units, pieces, _):
            return "maxout \(units)×\(pieces)"
        case .dropout(let rate):
            return "dropout \(rate)"
        case .projection(let classes, _):
            return "projection \(classes) classes"
        }
    }

    private static func joined(_ parts: [String?]) -> String { parts.compactMap { $0 }.joined(separator: " ") }
}

extension ActivationFunction {
    /// The spec's name (`relu`, `leaky_relu 0.2`, …); nil for `linear`.
    var specName: String? {
        switch self {
        case .linear: return nil
        case .relu: return "relu"
        case .leakyReLU(let slope): return "leaky_relu \(slope)"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softplus: return "softplus"
        }
    }
}
