// Dimensions: N batch, D elements per example (any shape).

/// Inverted dropout (Srivastava et al. 2014): in `.training` each element is kept with
/// probability 1 − rate and scaled by 1/(1 − rate), so the expected output equals the input and
/// evaluation needs no rescaling.
///
/// Masks are drawn only in `.training`. `.evaluation` and `.trainingFrozen` are the identity and
/// change nothing — not even the random stream — so a pass through a frozen network (a generator's
/// step through the discriminator) leaves it exactly as it was. (PyTorch, whose "frozen" network
/// is still in train mode, would apply dropout there; GenLab keeps "frozen changes nothing".)
///
/// The mask comes from a `RandomStream` the layer owns: `initialize(rng:)` derives it from the
/// layer's init stream, so a seeded network draws the same masks every run. The stream is not in
/// the network's Float buffers; checkpoints save and restore it through `Network.randomStreams`.
/// The mask is kept as Float (0 or 1/(1 − rate)) for backward.
public final class Dropout: StochasticLayer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public var parameterCount: Int { 0 }
    /// Probability of dropping an element, 0 ≤ rate < 1.
    public let rate: Float
    /// The stream masks are drawn from; save and restore it to resume training exactly.
    public var randomStream: RandomStream

    private var mask: Tensor!      // (N, D)  0 or 1/(1 − rate)
    private var output: Tensor!    // (N, D)  y
    private var lastMode: PassMode = .evaluation
    private var tangentOutput: Tensor?   // (N, D)  ẏ (`TangentLayer`)

    public init(shape: [Int], rate: Float) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "dropout needs a positive shape, got \(shape)")
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        inputShape = shape
        self.rate = rate
        randomStream = RandomStream(seed: 0, purpose: "dropout")   // replaced by initialize(rng:)
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {}

    public func initialize(rng: inout RandomStream) {
        randomStream = rng.derived("dropout")
    }

    public var bufferFloats: Int { (mask?.capacity ?? 0) + (output?.capacity ?? 0) + tangentBufferFloats }

    public func prepare(maxBatch: Int) {
        mask = Tensor(shape: [maxBatch] + inputShape)
        output = Tensor(shape: [maxBatch] + inputShape)
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        lastMode = mode
        guard mode == .training else { return UnsafeMutablePointer(mutating: x) }
        let count = batch * inputSize, m = mask.pointer, y = output.pointer
        let keep = 1 / (1 - rate)
        for i in 0..<count { m[i] = randomStream.nextUniform() < rate ? 0 : keep }
        for i in 0..<count { y[i] = x[i] * m[i] }
        return y
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        guard lastMode == .training else { return dy }
        let m = mask.pointer
        for i in 0..<(batch * inputSize) { dy[i] *= m[i] }
        return dy
    }
}

extension Dropout: TangentLayer {
    public func prepareTangent(maxBatch: Int) { tangentOutput = Tensor(shape: [maxBatch] + inputShape) }

    public var tangentBufferFloats: Int { tangentOutput?.capacity ?? 0 }

    /// ẏ = m ⊙ ẋ with the last forward's mask (the identity outside training passes).
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard lastMode == .training else { return UnsafeMutablePointer(mutating: dx) }
        guard let out = tangentOutput?.pointer else { preconditionFailure("Dropout.forwardTangent before prepareTangent") }
        let m = mask.pointer
        for i in 0..<(batch * inputSize) { out[i] = dx[i] * m[i] }
        return out
    }

    /// Both adjoints through the same mask, in place.
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        _ = backward(dy, batch: batch, parameterGradients: false, inputGradient: true)
        _ = backward(dTangent, batch: batch, parameterGradients: false, inputGradient: true)
        return (dy, dTangent)
    }
}
