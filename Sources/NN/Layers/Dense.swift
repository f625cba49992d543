// Dimensions: N batch, I inputs, O outputs.

/// Fully connected layer `y = f(x·Wᵀ + b)` with an optional fused activation f.
///
/// Forward is one `sgemm` followed by one pass adding b and applying f; backward is two (`dW += dzᵀ·x`,
/// `dx = dz·W`), and the input gradient is skipped for a network's first layer. With
/// `spectralNorm` the products use W / σ(W) (`SpectralNorm`).
public final class Dense: Layer {
    public let inputs: Int
    public let outputs: Int
    public let activation: ActivationFunction
    public let initializer: WeightInitializer
    /// Spectral normalisation of W, when asked for.
    public let spectralNorm: SpectralNorm?

    public var inputShape: [Int] { [inputs] }
    public var outputShape: [Int] { [outputs] }
    public var parameterCount: Int { outputs * inputs + outputs }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [outputs, inputs], offset: 0),
         TensorSlot(name: "bias", shape: [outputs], offset: outputs * inputs)]
    }
    public var stateCount: Int { spectralNorm?.stateCount ?? 0 }
    public var stateSlots: [TensorSlot] { spectralNorm?.stateSlots(offset: 0) ?? [] }

    private var weight: UnsafeMutablePointer<Float>!   // (O, I)
    private var bias: UnsafeMutablePointer<Float>!     // (O)
    private var dWeight: UnsafeMutablePointer<Float>!  // (O, I)
    private var dBias: UnsafeMutablePointer<Float>!    // (O)
    private var output: Tensor!                        // (N, O)  y
    private var inputGradient: Tensor!                 // (N, I)  dx
    private var input: UnsafePointer<Float>?           // (N, I)  x, kept from forward
    private var forwardWeight: UnsafePointer<Float>!   // (O, I)  W, or W / σ, of the last forward
    private var tangent: TangentBuffers?               // ẏ, ż, ẋ̄ and ẋ (`TangentLayer`)

    public init(inputs: Int, outputs: Int, activation: ActivationFunction = .linear, initializer: WeightInitializer? = nil,
                spectralNorm: Bool = false) {
        precondition(inputs > 0 && outputs > 0, "dense layer sizes must be positive (got \(inputs) → \(outputs))")
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.initializer = initializer ?? activation.defaultInitializer
        self.spectralNorm = spectralNorm ? SpectralNorm(outer: outputs, middle: inputs, inner: 1, middleIsRow: false) : nil
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        weight = parameters
        bias = parameters + outputs * inputs
        dWeight = gradients
        dBias = gradients + outputs * inputs
        spectralNorm?.bind(state: state)
    }

    public func initialize(rng: inout RandomStream) {
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: outputs * inputs), fanIn: inputs, fanOut: outputs, rng: &rng)
        initializer.fillBias(UnsafeMutableBufferPointer(start: bias, count: outputs), fanIn: inputs, rng: &rng)
        spectralNorm?.initialize(rng: &rng)
    }

    public var bufferFloats: Int {
        (output?.capacity ?? 0) + (inputGradient?.capacity ?? 0) + (spectralNorm?.bufferFloats ?? 0) + tangentBufferFloats
    }

    public func prepare(maxBatch: Int) {
        output = Tensor(shape: [maxBatch, outputs])
        inputGradient = Tensor(shape: [maxBatch, inputs])
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        input = x
        let y = output.pointer, w = spectralNorm?.weight(weight, mode: mode) ?? UnsafePointer(weight!)
        forwardWeight = w
        BLAS.gemm(transB: true, m: batch, n: outputs, k: inputs, a: x, b: w, beta: 0, c: y)
        activation.applyWithBias(y, bias: bias, rows: batch, columns: outputs)
        return y
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        guard let x = input else { preconditionFailure("Dense.backward called before forward") }
        activation.backward(output: output.pointer, gradient: dy, count: batch * outputs)   // dy ← dz
        if parameterGradients {
            BLAS.gemm(transA: true, m: outputs, n: inputs, k: batch, a: dy, b: x, beta: 1, c: spectralNorm?.gradientBuffer() ?? dWeight)
            spectralNorm?.accumulate(into: dWeight)
            addBiasGradient(dy, batch: batch)
        }
        guard wantInput else { return nil }
        let dx = inputGradient.pointer
        BLAS.gemm(m: batch, n: inputs, k: outputs, a: dy, b: forwardWeight, beta: 0, c: dx)
        return dx
    }

    /// b̄ += Σ over the batch of dz (N, O).
    private func addBiasGradient(_ dz: UnsafePointer<Float>, batch: Int) {
        let db: UnsafeMutablePointer<Float> = dBias
        for row in 0..<batch {
            let r = dz + row * outputs
            for o in 0..<outputs { db[o] += r[o] }
        }
    }
}

extension Dense: TangentLayer {
    public func prepareTangent(maxBatch: Int) {
        tangent = TangentBuffers(maxBatch: maxBatch, inputSize: inputs, outputSize: outputs, activation: activation)
    }

    public var tangentBufferFloats: Int { tangent?.floats ?? 0 }

    /// ż = ẋ·Ŵᵀ, ẏ = f′(z)·ż.
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard let t = tangent else { preconditionFailure("Dense.forwardTangent before prepareTangent") }
        BLAS.gemm(transB: true, m: batch, n: outputs, k: inputs, a: dx, b: forwardWeight, beta: 0, c: t.linearOutput)
        t.activate(activation, output: output.pointer, count: batch * outputs)
        t.input = dx
        return t.output.pointer
    }

    /// W̄ += z̄ᵀx + ż̄ᵀẋ, b̄ += Σ z̄, x̄ = z̄·Ŵ, ẋ̄ = ż̄·Ŵ.
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient wantInput: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        guard let t = tangent, let x = input, let dx = t.input else { preconditionFailure("Dense.backwardTangent before forwardTangent") }
        activation.backwardTangent(output: output.pointer, pre: t.preActivation?.pointer, dy: dy, dTangent: dTangent,
                                   count: batch * outputs)
        let g = spectralNorm?.gradientBuffer() ?? dWeight!
        BLAS.gemm(transA: true, m: outputs, n: inputs, k: batch, a: dy, b: x, beta: 1, c: g)
        BLAS.gemm(transA: true, m: outputs, n: inputs, k: batch, a: dTangent, b: dx, beta: 1, c: g)
        spectralNorm?.accumulate(into: dWeight)
        addBiasGradient(dy, batch: batch)
        guard wantInput else { return nil }
        BLAS.gemm(m: batch, n: inputs, k: outputs, a: dy, b: forwardWeight, beta: 0, c: inputGradient.pointer)
        BLAS.gemm(m: batch, n: inputs, k: outputs, a: dTangent, b: forwardWeight, beta: 0, c: t.inputGradient.pointer)
        return (inputGradient.pointer, t.inputGradient.pointer)
    }
}
