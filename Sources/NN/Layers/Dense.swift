// Dimensions: N batch, I inputs, O outputs.

/// Fully connected layer `y = f(x·Wᵀ + b)` with an optional fused activation f.
///
/// Forward is one `sgemm` followed by one pass adding b and applying f; backward is two (`dW += dzᵀ·x`,
/// `dx = dz·W`), and the input gradient is skipped for a network's first layer. With
/// `spectralNorm` the products use W / σ(W) (`SpectralNorm`).
public final class Dense: TeamLayer {
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
    public var team = ThreadTeam.serial

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
        team.run(forwardJob, (x, w, batch))
        return y
    }

    /// y = f(x·Wᵀ + b) for each member's rows of examples, or its block of outputs when there are
    /// more outputs than examples (each member then packs only its part of W, the larger operand).
    private lazy var forwardJob = TeamJob<(UnsafePointer<Float>, UnsafePointer<Float>, Int)> { [unowned(unsafe) self] a, member in
        let (x, w, batch) = a
        if team.size > 1 && outputs > batch {
            let c = team.part(member, of: outputs, granule: 16)
            guard !c.isEmpty else { return }
            let yc = output.pointer + c.lowerBound
            BLAS.gemm(transB: true, m: batch, n: c.count, k: inputs, a: x, lda: inputs, b: w + c.lowerBound * inputs, ldb: inputs,
                      beta: 0, c: yc, ldc: outputs)
            activation.applyWithBias(yc, bias: bias + c.lowerBound, rows: batch, columns: c.count, stride: outputs)
            return
        }
        let r = team.part(member, of: batch, granule: 4)
        guard !r.isEmpty else { return }
        let xr = x + r.lowerBound * inputs, yr = output.pointer + r.lowerBound * outputs
        BLAS.gemm(transB: true, m: r.count, n: outputs, k: inputs, a: xr, b: w, beta: 0, c: yr)
        activation.applyWithBias(yr, bias: bias, rows: r.count, columns: outputs)
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        guard let x = input else { preconditionFailure("Dense.backward called before forward") }
        guard team.size > 1 else { return backwardAlone(dy, x: x, batch: batch, parameterGradients: parameterGradients, inputGradient: wantInput) }
        team.run(activationBackwardJob, (dy, batch * outputs))                 // dy ← dz
        let dW = spectralNorm?.gradientBuffer() ?? dWeight!
        team.run(backwardJob, (x, UnsafePointer(dy), dW, batch, parameterGradients, wantInput))
        if parameterGradients { spectralNorm?.accumulate(into: dWeight) }
        return wantInput ? inputGradient.pointer : nil
    }

    /// dy ← f′·dy over each member's part of the elements.
    private lazy var activationBackwardJob = TeamJob<(UnsafeMutablePointer<Float>, Int)> { [unowned(unsafe) self] a, member in
        let (dy, count) = a, r = team.part(member, of: count, granule: 64)
        activation.backward(output: output.pointer + r.lowerBound, gradient: dy + r.lowerBound, count: r.count)
    }

    /// Each member: a block of dW (output rows or input columns, whichever are more), its outputs'
    /// bias gradients, and its examples' rows of dx; no two members write one float.
    private lazy var backwardJob = TeamJob<(UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Bool, Bool)> {
        [unowned(unsafe) self] a, member in
        let (x, dy, dW, batch, parameterGradients, wantInput) = a
        if parameterGradients {
            if inputs >= outputs {
                let c = team.part(member, of: inputs, granule: 16)
                BLAS.gemm(transA: true, m: outputs, n: c.count, k: batch, a: dy, lda: outputs, b: x + c.lowerBound, ldb: inputs,
                          beta: 1, c: dW + c.lowerBound, ldc: inputs)
            } else {
                let o = team.part(member, of: outputs, granule: 16)
                BLAS.gemm(transA: true, m: o.count, n: inputs, k: batch, a: dy + o.lowerBound, lda: outputs, b: x, ldb: inputs,
                          beta: 1, c: dW + o.lowerBound * inputs, ldc: inputs)
            }
            addBiasGradient(dy, batch: batch, outputs: team.part(member, of: outputs))
        }
        if wantInput && inputs > batch {                                    // a block of inputs: a part of W packed
            let c = team.part(member, of: inputs, granule: 16)
            BLAS.gemm(m: batch, n: c.count, k: outputs, a: dy, lda: outputs, b: forwardWeight + c.lowerBound, ldb: inputs,
                      beta: 0, c: inputGradient.pointer + c.lowerBound, ldc: inputs)
        } else if wantInput {                                               // rows of examples
            let rows = team.part(member, of: batch, granule: 4)
            BLAS.gemm(m: rows.count, n: inputs, k: outputs, a: dy + rows.lowerBound * outputs, lda: outputs, b: forwardWeight, ldb: inputs,
                      beta: 0, c: inputGradient.pointer + rows.lowerBound * inputs, ldc: inputs)
        }
    }

    /// The single-threaded backward pass.
    private func backwardAlone(_ dy: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, batch: Int, parameterGradients: Bool,
                               inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
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

    /// b̄ += Σ over the batch of dz (N, O), for the outputs in `range` (all by default).
    private func addBiasGradient(_ dz: UnsafePointer<Float>, batch: Int, outputs range: Range<Int>? = nil) {
        let db: UnsafeMutablePointer<Float> = dBias, range = range ?? 0..<outputs
        for row in 0..<batch {
            let r = dz + row * outputs
            for o in range { db[o] += r[o] }
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
