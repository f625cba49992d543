/// Elementwise non-linearities, applied in place and differentiated from their *output* `y`, so a
/// layer need not keep its pre-activation values.
public enum ActivationFunction: Sendable, Equatable {
    case linear
    case relu
    /// max(x, slope·x) for 0 ≤ slope < 1.
    case leakyReLU(slope: Float)
    case sigmoid
    case tanh
    /// log(1 + eˣ).
    case softplus

    /// y ← f(y) over `count` elements.
    public func apply(_ y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<count { y[i] = max(y[i], 0) }
        case .leakyReLU(let slope):
            for i in 0..<count { let x = y[i]; y[i] = max(x, slope * x) }
        case .sigmoid:
            for i in 0..<count { y[i] = FastMath.sigmoid(y[i]) }
        case .tanh:
            for i in 0..<count { y[i] = FastMath.tanh(y[i]) }
        case .softplus:
            for i in 0..<count { y[i] = FastMath.softplus(y[i]) }
        }
    }

    /// y ← f(y + b) for `rows` rows of `columns` elements, b broadcast over rows: the dense layer's
    /// bias and activation in one pass.
    public func applyWithBias(_ y: UnsafeMutablePointer<Float>, bias b: UnsafePointer<Float>, rows: Int, columns: Int,
                              stride: Int? = nil) {
        for r in 0..<rows {
            let row = y + r * (stride ?? columns)
            switch self {
            case .linear: for i in 0..<columns { row[i] += b[i] }
            case .relu: for i in 0..<columns { row[i] = max(row[i] + b[i], 0) }
            case .leakyReLU(let slope): for i in 0..<columns { let x = row[i] + b[i]; row[i] = max(x, slope * x) }
            default:
                for i in 0..<columns { row[i] += b[i] }
                apply(row, count: columns)
            }
        }
    }

    /// dy ← dy · f′(x), with f′ expressed through the output y = f(x).
    public func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<count { let g = dy[i]; dy[i] = y[i] > 0 ? g : 0 }
        case .leakyReLU(let slope):
            for i in 0..<count { let g = dy[i]; dy[i] = y[i] > 0 ? g : slope * g }
        case .sigmoid:
            for i in 0..<count { let s = y[i]; dy[i] *= s * (1 - s) }
        case .tanh:
            for i in 0..<count { let t = y[i]; dy[i] *= 1 - t * t }
        case .softplus:
            // f′(x) = σ(x) = 1 − e^(−y), y ≥ 0
            for i in 0..<count { dy[i] *= 1 - FastMath.expNegative(y[i]) }
        }
    }

    /// The initialiser suited to this activation: He for the ReLU family, Glorot otherwise.
    public var defaultInitializer: WeightInitializer {
        switch self {
        case .relu, .leakyReLU: return .he
        default: return .glorot
        }
    }
}

/// Weight initialisation schemes for dense and convolutional layers.
public enum WeightInitializer: Sendable, Equatable {
    /// He et al. 2015: N(0, 2 / fan_in).
    case he
    /// Glorot & Bengio 2010: U(±√(6 / (fan_in + fan_out))).
    case glorot
    /// PyTorch's default (`kaiming_uniform_(a=√5)`): U(±1/√fan_in), biases too.
    case pytorch

    /// Fills `weights` for a layer with the given fan-in and fan-out.
    public func fill(_ weights: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int, rng: inout RandomStream) {
        switch self {
        case .he:
            rng.fillNormal(weights, mean: 0, std: (2 / Float(fanIn)).squareRoot())
        case .glorot:
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            rng.fillUniform(weights, low: -limit, high: limit)
        case .pytorch:
            let limit = 1 / Float(fanIn).squareRoot()
            rng.fillUniform(weights, low: -limit, high: limit)
        }
    }

    /// Fills `bias`: zeros for He and Glorot (drawing nothing), U(±1/√fan_in) for PyTorch's rule.
    public func fillBias(_ bias: UnsafeMutableBufferPointer<Float>, fanIn: Int, rng: inout RandomStream) {
        switch self {
        case .he, .glorot:
            bias.update(repeating: 0)
        case .pytorch:
            let limit = 1 / Float(fanIn).squareRoot()
            rng.fillUniform(bias, low: -limit, high: limit)
        }
    }
}
