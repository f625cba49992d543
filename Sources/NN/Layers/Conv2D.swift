// Dimensions: N batch, C input channels, H, W input sides, F filters (output channels), K kernel
// side, OH, OW output sides, L = OH·OW output positions, R = C·K·K column rows.

/// 2-D convolution over NCHW images, `y[n, f] = act(b[f] + Σ_c W[f, c] ⋆ x[n, c])`, with a square
/// K×K kernel, stride S and zero padding P; the output side is ⌊(H + 2P − K)/S⌋ + 1.
///
/// im2col + one `sgemm` over the whole batch: the column matrix (R, N·L) holds every example's
/// patches, so the products have N·L columns (6 272 for the DCGAN discriminator's second layer at
/// batch 128) rather than L (49) per example, and the weight gradient is one product with inner
/// dimension N·L instead of N accumulations with inner dimension L. The price is a column buffer N
/// times larger and one transposition (F, N, L) ↔ (N, F, L) per pass.
/// Forward: `col = im2col(x)`, `z = W·col`, `y = act(z + b)`. Backward: `dW += dz·colᵀ`,
/// `db += Σ dz`, `dcol = Wᵀ·dz`, `dx = col2im(dcol)`.
///
/// Parameter slots use PyTorch's `Conv2d` layout: "weight" [F, C, K, K], "bias" [F]. Weights are
/// initialised like `Dense` (He for the ReLU family, Glorot otherwise) with fan_in = C·K·K and
/// fan_out = F·K·K. With `spectralNorm` the products use W / σ(W), W as an F × C·K·K matrix.
public final class Conv2D: Layer {
    public let geometry: ConvolutionGeometry
    public let filters: Int
    public let activation: ActivationFunction
    public let initializer: WeightInitializer
    /// Spectral normalisation of W, when asked for.
    public let spectralNorm: SpectralNorm?

    public var inputShape: [Int] { [geometry.channels, geometry.height, geometry.width] }
    public var outputShape: [Int] { [filters, geometry.outputHeight, geometry.outputWidth] }
    public var parameterCount: Int { filters * rows + filters }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [filters, geometry.channels, geometry.kernel, geometry.kernel], offset: 0),
         TensorSlot(name: "bias", shape: [filters], offset: filters * rows)]
    }
    public var stateCount: Int { spectralNorm?.stateCount ?? 0 }
    public var stateSlots: [TensorSlot] { spectralNorm?.stateSlots(offset: 0) ?? [] }

    private let rows: Int                                 // R = C·K·K
    private var weight: UnsafeMutablePointer<Float>!      // (F, R)  = (F, C, K, K)
    private var bias: UnsafeMutablePointer<Float>!        // (F)
    private var dWeight: UnsafeMutablePointer<Float>!     // (F, R)
    private var dBias: UnsafeMutablePointer<Float>!       // (F)
    private var columns: Tensor!                          // (R, B·L)     im2col of one chunk of B examples
    private var dColumns: Tensor!                         // (R, B·L)     Wᵀ·dz for one chunk
    private var channelMajor: Tensor!                     // (F, B·L)     W·col in forward, dz in backward, one chunk
    private var output: Tensor!                           // (N, F, OH, OW)  y
    private var inputGradient: Tensor!                    // (N, C, H, W)    dx
    private var input: UnsafePointer<Float>?              // (N, C, H, W)    x, kept from forward
    private var forwardBatch = 0
    private var forwardWeight: UnsafePointer<Float>!      // (F, R)  W, or W / σ, of the last forward
    private var columnsHoldLastChunk = false              // `columns` is im2col of the last forward's last chunk
    private var tangent: TangentBuffers?                  // ẏ, ż, ẋ̄ and ẋ (`TangentLayer`)
    /// Examples per chunk B, set by `prepare`.
    private(set) var chunk = 0
    /// Overrides the chunk size chosen by `prepare` (tests: chunk boundaries inside a batch).
    var chunkOverride: Int?

    /// - Parameters:
    ///   - inputShape: one example, [C, H, W].
    ///   - filters: output channels F.
    ///   - kernel: side K of the square kernel; `stride` S ≥ 1; `padding` P ≥ 0 zeros on every side.
    public init(inputShape: [Int], filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                activation: ActivationFunction = .linear, initializer: WeightInitializer? = nil, spectralNorm: Bool = false) {
        precondition(inputShape.count == 3, "Conv2D input shape must be [C, H, W], got \(inputShape)")
        precondition(filters > 0, "Conv2D needs at least one filter, got \(filters)")
        geometry = ConvolutionGeometry(channels: inputShape[0], height: inputShape[1], width: inputShape[2],
                                       kernel: kernel, stride: stride, padding: padding)
        self.filters = filters
        self.activation = activation
        self.initializer = initializer ?? activation.defaultInitializer
        rows = geometry.columnRows
        self.spectralNorm = spectralNorm
            ? SpectralNorm(outer: filters, middle: inputShape[0], inner: kernel * kernel, middleIsRow: false) : nil
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        weight = parameters
        bias = parameters + filters * rows
        dWeight = gradients
        dBias = gradients + filters * rows
        spectralNorm?.bind(state: state)
    }

    public func initialize(rng: inout RandomStream) {
        let k2 = geometry.kernel * geometry.kernel
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: filters * rows), fanIn: rows, fanOut: filters * k2, rng: &rng)
        initializer.fillBias(UnsafeMutableBufferPointer(start: bias, count: filters), fanIn: rows, rng: &rng)
        spectralNorm?.initialize(rng: &rng)
    }

    /// The tensors and the geometry's Int32 gather table.
    public var bufferFloats: Int {
        [columns, dColumns, channelMajor, output, inputGradient].reduce(0) { $0 + ($1?.capacity ?? 0) } + geometry.gatherCount
            + (spectralNorm?.bufferFloats ?? 0) + tangentBufferFloats
    }

    public func prepare(maxBatch: Int) {
        let l = geometry.positions
        chunk = chunkOverride.map { max(1, min($0, maxBatch)) } ?? geometry.chunkExamples(maxBatch: maxBatch)
        columns = Tensor(shape: [rows, chunk * l])
        dColumns = Tensor(shape: [rows, chunk * l])
        channelMajor = Tensor(shape: [filters, chunk * l])
        output = Tensor(shape: [maxBatch, filters, geometry.outputHeight, geometry.outputWidth])
        inputGradient = Tensor(shape: [maxBatch] + inputShape)
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        let l = geometry.positions, col = columns.pointer, z = channelMajor.pointer, y = output.pointer
        let imageSize = geometry.imageSize, weight = spectralNorm?.weight(self.weight, mode: mode) ?? UnsafePointer(self.weight!)
        forwardWeight = weight
        var first = 0
        while first < batch {                                                   // chunks of B examples
            let nb = min(chunk, batch - first)
            geometry.im2col(x + first * imageSize, batch: nb, col: col)          // (R, B·L)
            BLAS.gemm(m: filters, n: nb * l, k: rows, a: weight, b: col, beta: 0, c: z)   // z = W·col   (F, B·L)
            // y[n, f] = act(z[f, n] + b[f])
            let yc = y + first * filters * l
            for f in 0..<filters {
                let b = bias[f]
                for n in 0..<nb {
                    let source = z + (f * nb + n) * l, target = yc + (n * filters + f) * l
                    for i in 0..<l { target[i] = source[i] + b }
                }
            }
            activation.apply(yc, count: nb * filters * l)
            first += nb
        }
        input = x
        forwardBatch = batch
        columnsHoldLastChunk = true
        return y
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        precondition(forwardBatch == batch, "Conv2D.backward for batch \(batch) after a forward of \(forwardBatch)")
        guard parameterGradients || wantInput else { return nil }
        let l = geometry.positions, dz = channelMajor.pointer, col = columns.pointer, dcol = dColumns.pointer
        let imageSize = geometry.imageSize, x = input!, y = output.pointer, dx = inputGradient.pointer
        let weight = forwardWeight!, dWeight = parameterGradients ? spectralNorm?.gradientBuffer() ?? self.dWeight! : self.dWeight!
        // Chunks in reverse: the last one's columns are still in `columns` from forward.
        let last = (batch - 1) / chunk * chunk
        for first in stride(from: last, through: 0, by: -chunk) {
            let nb = min(chunk, batch - first)
            let dyc = dy + first * filters * l
            activation.backward(output: y + first * filters * l, gradient: dyc, count: nb * filters * l)   // dy ← dz
            swapLeadingAxes(dyc, nb, filters, inner: l, into: dz)                                        // (F, B·L)
            if parameterGradients {
                if first != last || !columnsHoldLastChunk {
                    geometry.im2col(x + first * imageSize, batch: nb, col: col)
                    columnsHoldLastChunk = false
                }
                BLAS.gemm(transB: true, m: filters, n: rows, k: nb * l, a: dz, b: col, beta: 1, c: dWeight)
                for f in 0..<filters { dBias[f] += channelSum(dz + f * nb * l, count: nb * l) }
            }
            if wantInput {
                BLAS.gemm(transA: true, m: rows, n: nb * l, k: filters, a: weight, b: dz, beta: 0, c: dcol)   // Wᵀ·dz
                geometry.col2im(dcol, batch: nb, image: dx + first * imageSize)
            }
        }
        if parameterGradients { spectralNorm?.accumulate(into: self.dWeight) }
        return wantInput ? dx : nil
    }
}

extension Conv2D: TangentLayer {
    public func prepareTangent(maxBatch: Int) {
        tangent = TangentBuffers(maxBatch: maxBatch, inputSize: inputSize, outputSize: outputSize, activation: activation)
    }

    public var tangentBufferFloats: Int { tangent?.floats ?? 0 }

    /// ż = Ŵ ⋆ ẋ (no bias), ẏ = f′(z)·ż; chunk by chunk through the forward pass's buffers.
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard let t = tangent, let weight = forwardWeight else { preconditionFailure("Conv2D.forwardTangent before forward") }
        let l = geometry.positions, col = columns.pointer, z = channelMajor.pointer, imageSize = geometry.imageSize
        var first = 0
        while first < batch {
            let nb = min(chunk, batch - first)
            geometry.im2col(dx + first * imageSize, batch: nb, col: col)
            BLAS.gemm(m: filters, n: nb * l, k: rows, a: weight, b: col, beta: 0, c: z)                  // (F, B·L)
            swapLeadingAxes(z, filters, nb, inner: l, into: t.linearOutput + first * filters * l)          // (B, F, L)
            first += nb
        }
        columnsHoldLastChunk = false
        t.activate(activation, output: output.pointer, count: batch * filters * l)
        t.input = dx
        return t.output.pointer
    }

    /// W̄ += z̄·col(x)ᵀ + ż̄·col(ẋ)ᵀ, b̄ += Σ z̄, x̄ = col2im(Ŵᵀz̄), ẋ̄ = col2im(Ŵᵀż̄).
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient wantInput: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        guard let t = tangent, let x = input, let dx = t.input else { preconditionFailure("Conv2D.backwardTangent before forwardTangent") }
        let l = geometry.positions
        activation.backwardTangent(output: output.pointer, pre: t.preActivation?.pointer, dy: dy, dTangent: dTangent,
                                   count: batch * filters * l)
        let g = spectralNorm?.gradientBuffer() ?? dWeight!
        var first = 0
        while first < batch {
            let nb = min(chunk, batch - first)
            // The primal pass (z̄ against x, with the bias) and the tangent pass (ż̄ against ẋ).
            backwardChunk(dy, input: x, first: first, count: nb, weightGradient: g, biasGradient: true,
                          inputGradient: wantInput ? inputGradient.pointer : nil)
            backwardChunk(dTangent, input: dx, first: first, count: nb, weightGradient: g, biasGradient: false,
                          inputGradient: wantInput ? t.inputGradient.pointer : nil)
            first += nb
        }
        columnsHoldLastChunk = false
        spectralNorm?.accumulate(into: dWeight)
        return wantInput ? (inputGradient.pointer, t.inputGradient.pointer) : nil
    }

    /// One chunk of one pass's backward: W̄ += dz·col(x)ᵀ, b̄ += Σ dz when asked, dx = col2im(Ŵᵀdz).
    private func backwardChunk(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, first: Int, count nb: Int,
                               weightGradient g: UnsafeMutablePointer<Float>, biasGradient: Bool,
                               inputGradient dx: UnsafeMutablePointer<Float>?) {
        let l = geometry.positions, dz = channelMajor.pointer, col = columns.pointer, dcol = dColumns.pointer
        let imageSize = geometry.imageSize
        swapLeadingAxes(dy + first * filters * l, nb, filters, inner: l, into: dz)                       // (F, B·L)
        geometry.im2col(x + first * imageSize, batch: nb, col: col)
        BLAS.gemm(transB: true, m: filters, n: rows, k: nb * l, a: dz, b: col, beta: 1, c: g)
        if biasGradient { for f in 0..<filters { dBias[f] += channelSum(dz + f * nb * l, count: nb * l) } }
        guard let dx else { return }
        BLAS.gemm(transA: true, m: rows, n: nb * l, k: filters, a: forwardWeight, b: dz, beta: 0, c: dcol)
        geometry.col2im(dcol, batch: nb, image: dx + first * imageSize)
    }
}
