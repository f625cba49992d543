// Dimensions: N batch, C channels (features), S spatial positions per channel (1 for vectors).

/// Batch normalisation (Ioffe & Szegedy 2015) over features of vectors `[C]` or channels of images
/// `[C, H, W]`: `y = γ · (x − μ_B) / √(σ²_B + ε) + β`.
///
/// Training uses batch statistics and updates running statistics with `momentum`
/// (`r ← (1 − m)·r + m·stat`, unbiased variance, as PyTorch); evaluation uses the running ones and
/// changes nothing; `trainingFrozen` uses batch statistics without touching the running ones.
public final class BatchNorm: Layer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let momentum: Float
    public let epsilon: Float
    public var parameterCount: Int { 2 * channels }
    public var stateCount: Int { 2 * channels }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [channels], offset: 0), TensorSlot(name: "bias", shape: [channels], offset: channels)]
    }
    public var stateSlots: [TensorSlot] {
        [TensorSlot(name: "running_mean", shape: [channels], offset: 0), TensorSlot(name: "running_var", shape: [channels], offset: channels)]
    }

    private let channels: Int
    private let spatial: Int
    private var gamma: UnsafeMutablePointer<Float>!, beta: UnsafeMutablePointer<Float>!     // (C)
    private var dGamma: UnsafeMutablePointer<Float>!, dBeta: UnsafeMutablePointer<Float>!   // (C)
    private var runningMean: UnsafeMutablePointer<Float>!, runningVar: UnsafeMutablePointer<Float>!  // (C)
    private var normalized: Tensor!     // (N, C, S)  x̂
    private var output: Tensor!         // (N, C, S)  y
    private var inverseStd: Tensor!     // (C)        1/√(σ² + ε) used in the last forward
    private var lastMode: PassMode = .training

    public init(shape: [Int], momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "batch norm needs a positive shape, got \(shape)")
        precondition(momentum > 0 && momentum < 1 && epsilon > 0, "batch norm needs 0 < momentum < 1 and epsilon > 0")
        inputShape = shape
        channels = shape[0]
        spatial = shape.dropFirst().reduce(1, *)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        gamma = parameters; beta = parameters + channels
        dGamma = gradients; dBeta = gradients + channels
        runningMean = state; runningVar = state + channels
    }

    public func initialize(rng: inout RandomStream) {
        gamma.update(repeating: 1, count: channels)
        beta.update(repeating: 0, count: channels)
        runningMean.update(repeating: 0, count: channels)
        runningVar.update(repeating: 1, count: channels)
    }

    public func prepare(maxBatch: Int) {
        normalized = Tensor(shape: [maxBatch, channels, spatial])
        output = Tensor(shape: [maxBatch, channels, spatial])
        inverseStd = Tensor(shape: [channels])
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        lastMode = mode
        let xh = normalized.pointer, y = output.pointer, inv = inverseStd.pointer
        let m = batch * spatial
        for c in 0..<channels {
            var mean: Float, variance: Float
            if mode == .evaluation {
                mean = runningMean[c]
                variance = runningVar[c]
            } else {
                var sum = 0.0, sumSq = 0.0
                for n in 0..<batch {
                    let p = x + (n * channels + c) * spatial
                    for s in 0..<spatial { let v = Double(p[s]); sum += v; sumSq += v * v }
                }
                let mu = sum / Double(m)
                let v = max(sumSq / Double(m) - mu * mu, 0)
                mean = Float(mu)
                variance = Float(v)
                if mode == .training {
                    let unbiased = m > 1 ? Float(v * Double(m) / Double(m - 1)) : Float(v)
                    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean
                    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased
                }
            }
            let s = 1 / (variance + epsilon).squareRoot()
            inv[c] = s
            let g = gamma[c], b = beta[c]
            for n in 0..<batch {
                let o = (n * channels + c) * spatial
                for i in 0..<spatial {
                    let h = (x[o + i] - mean) * s
                    xh[o + i] = h
                    y[o + i] = g * h + b
                }
            }
        }
        return y
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        let xh = normalized.pointer, inv = inverseStd.pointer
        let m = batch * spatial
        for c in 0..<channels {
            var sumDy = 0.0, sumDyXh = 0.0
            for n in 0..<batch {
                let o = (n * channels + c) * spatial
                for i in 0..<spatial { let g = Double(dy[o + i]); sumDy += g; sumDyXh += g * Double(xh[o + i]) }
            }
            if parameterGradients {
                dGamma[c] += Float(sumDyXh)
                dBeta[c] += Float(sumDy)
            }
            guard inputGradient else { continue }
            let scale = gamma[c] * inv[c]
            if lastMode == .evaluation {
                // Running statistics are constants: dx = γ/√(σ²+ε) · dy.
                for n in 0..<batch {
                    let o = (n * channels + c) * spatial
                    for i in 0..<spatial { dy[o + i] *= scale }
                }
            } else {
                // dx = γ/(M√(σ²+ε)) · (M·dy − Σdy − x̂·Σ(dy·x̂)); written over dy.
                let meanDy = Float(sumDy / Double(m)), meanDyXh = Float(sumDyXh / Double(m))
                for n in 0..<batch {
                    let o = (n * channels + c) * spatial
                    for i in 0..<spatial { dy[o + i] = scale * (dy[o + i] - meanDy - xh[o + i] * meanDyXh) }
                }
            }
        }
        return inputGradient ? dy : nil
    }
}
