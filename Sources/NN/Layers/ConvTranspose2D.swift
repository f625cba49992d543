// Dimensions: N batch, C input channels, H, W input sides, F filters (output channels), K kernel
// side, OH, OW output sides, L = H·W input positions, R = F·K·K column rows.

/// Transposed 2-D convolution ("deconvolution") over NCHW images: the adjoint of `Conv2D` with the
/// same kernel, stride and padding, `y[n, f, i·S − P + kh, j·S − P + kw] += x[n, c, i, j]·W[c, f, kh, kw]`,
/// then `y = act(y + b[f])`. The output side is (H − 1)·S − 2P + K, so a K4 S2 P1 layer doubles it.
///
/// Forward is one `sgemm` over the whole batch and a col2im: `col = Wᵀ·x` (R, N·L), `y = col2im(col)`;
/// backward is the im2col of the output gradient and two more products: `dcol = im2col(dz)`,
/// `dW += x·dcolᵀ`, `dx = W·dcol`. The geometry is that of the convolution the layer is the adjoint
/// of: images of F×OH×OW, kernel positions H×W.
///
/// Parameter slots use PyTorch's `ConvTranspose2d` layout: "weight" [C, F, K, K], "bias" [F].
/// Weights are initialised like `Dense` (He for the ReLU family, Glorot otherwise) with
/// fan_in = C·K·K and fan_out = F·K·K.
/// With `spectralNorm` the products use W / σ(W), W as an F × C·K·K matrix (its second axis
/// first, as PyTorch's `spectral_norm` takes a transposed convolution's weight).
public final class ConvTranspose2D: TeamLayer {
    /// The adjoint convolution's geometry: its image is this layer's output (F, OH, OW).
    public let geometry: ConvolutionGeometry
    public let inputChannels: Int, inputHeight: Int, inputWidth: Int
    public let filters: Int
    public let activation: ActivationFunction
    public let initializer: WeightInitializer
    /// Spectral normalisation of W, when asked for.
    public let spectralNorm: SpectralNorm?

    public var inputShape: [Int] { [inputChannels, inputHeight, inputWidth] }
    public var outputShape: [Int] { [filters, geometry.height, geometry.width] }
    public var parameterCount: Int { inputChannels * rows + filters }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [inputChannels, filters, geometry.kernel, geometry.kernel], offset: 0),
         TensorSlot(name: "bias", shape: [filters], offset: inputChannels * rows)]
    }
    public var stateCount: Int { spectralNorm?.stateCount ?? 0 }
    public var stateSlots: [TensorSlot] { spectralNorm?.stateSlots(offset: 0) ?? [] }

    private let rows: Int                                 // R = F·K·K
    private var weight: UnsafeMutablePointer<Float>!      // (C, R)  = (C, F, K, K)
    private var bias: UnsafeMutablePointer<Float>!        // (F)
    private var dWeight: UnsafeMutablePointer<Float>!     // (C, R)
    private var dBias: UnsafeMutablePointer<Float>!       // (F)
    private var channelMajorInput: Tensor!                // (C, B·L)   x of one chunk of B examples with channels first
    private var columns: Tensor!                          // (R, B·L)   Wᵀ·x in forward, im2col(dz) in backward, one chunk
    private var channelMajorGradient: Tensor!             // (C, B·L)   W·dcol for one chunk
    private var output: Tensor!                           // (N, F, OH, OW)  y
    private var inputGradient: Tensor!                    // (N, C, H, W)    dx
    private var input: UnsafePointer<Float>?              // (N, C, H, W)    x, kept from forward
    private var forwardBatch = 0
    private var forwardWeight: UnsafePointer<Float>!      // (C, R)  W, or W / σ, of the last forward
    private var inputHoldsLastChunk = false               // `channelMajorInput` is the last forward's last chunk
    private var tangent: TangentBuffers?                  // ẏ, ż, ẋ̄ and ẋ (`TangentLayer`)
    /// Examples per chunk B, set by `prepare`.
    private(set) var chunk = 0
    /// Overrides the chunk size chosen by `prepare` (tests: chunk boundaries inside a batch).
    var chunkOverride: Int?
    /// Members split each chunk's examples into contiguous blocks (as `Conv2D`): member m's
    /// channel-major input, columns and channel-major gradient are the blocks at its first
    /// example; the weight gradient sums the blocks' products in member order.
    public var team = ThreadTeam.serial
    private var scratchPlanes: Tensor!                    // (members, padded plane) for im2col and col2im

    /// - Parameters:
    ///   - inputShape: one example, [C, H, W].
    ///   - filters: output channels F.
    ///   - kernel: side K of the square kernel; `stride` S ≥ 1; `padding` P ≥ 0 (as in the adjoint
    ///     convolution: the output is cropped by P on every side).
    public init(inputShape: [Int], filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                activation: ActivationFunction = .linear, initializer: WeightInitializer? = nil, spectralNorm: Bool = false) {
        precondition(inputShape.count == 3, "ConvTranspose2D input shape must be [C, H, W], got \(inputShape)")
        precondition(inputShape.allSatisfy { $0 > 0 } && filters > 0,
                     "ConvTranspose2D needs positive input sides and filters, got \(inputShape) → \(filters)")
        precondition(kernel > 0 && stride > 0 && padding >= 0,
                     "ConvTranspose2D needs kernel ≥ 1, stride ≥ 1 and padding ≥ 0 (got K \(kernel), S \(stride), P \(padding))")
        let outH = (inputShape[1] - 1) * stride - 2 * padding + kernel
        let outW = (inputShape[2] - 1) * stride - 2 * padding + kernel
        precondition(outH > 0 && outW > 0,
                     "ConvTranspose2D output (H − 1)·S − 2P + K is not positive for input \(inputShape) with K \(kernel), S \(stride), P \(padding)")
        geometry = ConvolutionGeometry(channels: filters, height: outH, width: outW, kernel: kernel, stride: stride, padding: padding)
        precondition(geometry.outputHeight == inputShape[1] && geometry.outputWidth == inputShape[2],
                     "ConvTranspose2D geometry mismatch")
        inputChannels = inputShape[0]; inputHeight = inputShape[1]; inputWidth = inputShape[2]
        self.filters = filters
        self.activation = activation
        self.initializer = initializer ?? activation.defaultInitializer
        rows = geometry.columnRows
        self.spectralNorm = spectralNorm
            ? SpectralNorm(outer: inputShape[0], middle: filters, inner: kernel * kernel, middleIsRow: true) : nil
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        weight = parameters
        bias = parameters + inputChannels * rows
        dWeight = gradients
        dBias = gradients + inputChannels * rows
        spectralNorm?.bind(state: state)
    }

    public func initialize(rng: inout RandomStream) {
        let k2 = geometry.kernel * geometry.kernel
        // PyTorch computes a transposed convolution's fan_in from its weight's second axis (F·K·K).
        let fanIn = initializer == .pytorch ? filters * k2 : inputChannels * k2
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: inputChannels * rows),
                         fanIn: fanIn, fanOut: rows, rng: &rng)
        initializer.fillBias(UnsafeMutableBufferPointer(start: bias, count: filters), fanIn: fanIn, rng: &rng)
        spectralNorm?.initialize(rng: &rng)
    }

    /// The tensors and the geometry's Int32 gather table.
    public var bufferFloats: Int {
        [channelMajorInput, columns, channelMajorGradient, output, inputGradient, scratchPlanes].reduce(0) { $0 + ($1?.capacity ?? 0) }
            + geometry.gatherCount + (spectralNorm?.bufferFloats ?? 0) + tangentBufferFloats
    }

    public func prepare(maxBatch: Int) {
        let l = geometry.positions
        chunk = chunkOverride.map { max(1, min($0, maxBatch)) } ?? geometry.chunkExamples(maxBatch: maxBatch)
        channelMajorInput = Tensor(shape: [inputChannels, chunk * l])
        columns = Tensor(shape: [rows, chunk * l])
        channelMajorGradient = Tensor(shape: [inputChannels, chunk * l])
        output = Tensor(shape: [maxBatch] + outputShape)
        inputGradient = Tensor(shape: [maxBatch] + inputShape)
        scratchPlanes = Tensor(shape: [team.size, geometry.scratchFloats])
    }

    /// Member `member`'s scratch plane.
    private func scratch(_ member: Int) -> UnsafeMutablePointer<Float> { scratchPlanes.pointer + member * geometry.scratchFloats }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        forwardWeight = spectralNorm?.weight(self.weight, mode: mode) ?? UnsafePointer(self.weight!)
        var first = 0
        while first < batch {                                                                   // chunks of B examples
            let nb = min(chunk, batch - first)
            team.run(forwardJob, (x, first, nb))
            first += nb
        }
        input = x
        forwardBatch = batch
        inputHoldsLastChunk = true
        return output.pointer
    }

    /// One member's block of the chunk of `nb` examples at `first`: x channel-major, col = Wᵀ·x,
    /// y = act(col2im(col) + b).
    private lazy var forwardJob = TeamJob<(UnsafePointer<Float>, Int, Int)> { [unowned(unsafe) self] a, member in
        let (x, first, nb) = a, part = team.part(member, of: nb)
        guard !part.isEmpty else { return }
        let l = geometry.positions, plane = geometry.height * geometry.width, count = part.count, e = first + part.lowerBound
        let xcm = channelMajorInput.pointer + inputChannels * part.lowerBound * l, colm = columns.pointer + rows * part.lowerBound * l
        swapLeadingAxes(x + e * inputChannels * l, count, inputChannels, inner: l, into: xcm)                 // (C, B_m·L)
        BLAS.gemm(transA: true, m: rows, n: count * l, k: inputChannels, a: forwardWeight, b: xcm, beta: 0, c: colm)  // Wᵀ·x
        let yc = output.pointer + e * filters * plane
        geometry.col2im(colm, batch: count, image: yc, scratch: scratch(member))
        for n in 0..<count {
            for f in 0..<filters {
                let target = yc + (n * filters + f) * plane, b = bias[f]
                for i in 0..<plane { target[i] += b }
            }
        }
        activation.apply(yc, count: count * filters * plane)
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        precondition(forwardBatch == batch, "ConvTranspose2D.backward for batch \(batch) after a forward of \(forwardBatch)")
        guard parameterGradients || wantInput else { return nil }
        let plane = geometry.height * geometry.width
        let dWeight = parameterGradients ? spectralNorm?.gradientBuffer() ?? self.dWeight! : self.dWeight!
        // Chunks in reverse: the last one's channel-major input is still in `channelMajorInput`.
        let last = (batch - 1) / chunk * chunk
        for first in stride(from: last, through: 0, by: -chunk) {
            let nb = min(chunk, batch - first)
            let recompute = parameterGradients && (first != last || !inputHoldsLastChunk)
            team.run(backwardJob, (dy, first, nb, recompute, wantInput))
            if recompute { inputHoldsLastChunk = false }
            if parameterGradients { team.run(parameterJob, (UnsafePointer(dy + first * filters * plane), nb, dWeight)) }
        }
        if parameterGradients { spectralNorm?.accumulate(into: self.dWeight) }
        return wantInput ? inputGradient.pointer : nil
    }

    /// One member's block of examples: dz and its columns, x channel-major again when
    /// `recompute`, and dx when asked.
    private lazy var backwardJob = TeamJob<(UnsafeMutablePointer<Float>, Int, Int, Bool, Bool)> { [unowned(unsafe) self] a, member in
        let (dy, first, nb, recompute, wantInput) = a, part = team.part(member, of: nb)
        guard !part.isEmpty else { return }
        let l = geometry.positions, plane = geometry.height * geometry.width, inputSize = inputChannels * l
        let count = part.count, e = first + part.lowerBound, dyc = dy + e * filters * plane
        let dcolm = columns.pointer + rows * part.lowerBound * l
        activation.backward(output: output.pointer + e * filters * plane, gradient: dyc, count: count * filters * plane)   // dy ← dz
        geometry.im2col(dyc, batch: count, col: dcolm, scratch: scratch(member))                                     // (R, B_m·L)
        if recompute {
            swapLeadingAxes(input! + e * inputSize, count, inputChannels, inner: l,
                            into: channelMajorInput.pointer + inputChannels * part.lowerBound * l)
        }
        if wantInput {
            let dxcm = channelMajorGradient.pointer + inputChannels * part.lowerBound * l
            BLAS.gemm(m: inputChannels, n: count * l, k: rows, a: forwardWeight, b: dcolm, beta: 0, c: dxcm)        // W·dcol  (C, B_m·L)
            swapLeadingAxes(dxcm, inputChannels, count, inner: l, into: inputGradient.pointer + e * inputSize)    // (B_m, C, H, W)
        }
    }

    /// dW += Σ over the members' blocks of x_m·dcol_mᵀ (in member order) and db += Σ dz for a chunk
    /// of `nb` examples starting at `dyc`; members split dW by input channels or column rows,
    /// whichever are more, and db by filters.
    private lazy var parameterJob = TeamJob<(UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>)> { [unowned(unsafe) self] a, member in
        let (dyc, nb, dWeight) = a, l = geometry.positions, plane = geometry.height * geometry.width
        team.addBlockProducts(member: member, examples: nb, width: l, m: inputChannels, n: rows, a: channelMajorInput.pointer,
                              b: columns.pointer, c: dWeight)
        let mine = team.part(member, of: filters)
        for n in 0..<nb {
            for f in mine { dBias[f] += channelSum(dyc + (n * filters + f) * plane, count: plane) }
        }
    }
}

extension ConvTranspose2D: TangentLayer {
    public func prepareTangent(maxBatch: Int) {
        tangent = TangentBuffers(maxBatch: maxBatch, inputSize: inputSize, outputSize: outputSize, activation: activation)
    }

    public var tangentBufferFloats: Int { tangent?.floats ?? 0 }

    /// ż = col2im(Ŵᵀ·ẋ) (no bias), ẏ = f′(z)·ż; chunk by chunk through the forward pass's buffers.
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard let t = tangent, let weight = forwardWeight else { preconditionFailure("ConvTranspose2D.forwardTangent before forward") }
        let l = geometry.positions, xc = channelMajorInput.pointer, col = columns.pointer
        let plane = geometry.height * geometry.width, inputSize = inputChannels * l
        var first = 0
        while first < batch {
            let nb = min(chunk, batch - first)
            swapLeadingAxes(dx + first * inputSize, nb, inputChannels, inner: l, into: xc)                  // (C, B·L)
            BLAS.gemm(transA: true, m: rows, n: nb * l, k: inputChannels, a: weight, b: xc, beta: 0, c: col)
            geometry.col2im(col, batch: nb, image: t.linearOutput + first * filters * plane, scratch: scratch(0))
            first += nb
        }
        inputHoldsLastChunk = false
        t.activate(activation, output: output.pointer, count: batch * filters * plane)
        t.input = dx
        return t.output.pointer
    }

    /// W̄ += x·im2col(z̄)ᵀ + ẋ·im2col(ż̄)ᵀ, b̄ += Σ z̄, x̄ = Ŵ·im2col(z̄), ẋ̄ = Ŵ·im2col(ż̄).
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient wantInput: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        guard let t = tangent, let x = input, let dx = t.input else {
            preconditionFailure("ConvTranspose2D.backwardTangent before forwardTangent")
        }
        let plane = geometry.height * geometry.width
        activation.backwardTangent(output: output.pointer, pre: t.preActivation?.pointer, dy: dy, dTangent: dTangent,
                                   count: batch * filters * plane)
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
        inputHoldsLastChunk = false
        spectralNorm?.accumulate(into: dWeight)
        return wantInput ? (inputGradient.pointer, t.inputGradient.pointer) : nil
    }

    /// One chunk of one pass's backward: dcol = im2col(dz), W̄ += x·dcolᵀ, b̄ += Σ dz when asked,
    /// dx = Ŵ·dcol.
    private func backwardChunk(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, first: Int, count nb: Int,
                               weightGradient g: UnsafeMutablePointer<Float>, biasGradient: Bool,
                               inputGradient dx: UnsafeMutablePointer<Float>?) {
        let l = geometry.positions, plane = geometry.height * geometry.width, inputSize = inputChannels * l
        let xc = channelMajorInput.pointer, dcol = columns.pointer, dxc = channelMajorGradient.pointer
        let dyc = dy + first * filters * plane
        geometry.im2col(dyc, batch: nb, col: dcol, scratch: scratch(0))                                  // (R, B·L)
        swapLeadingAxes(x + first * inputSize, nb, inputChannels, inner: l, into: xc)                    // (C, B·L)
        BLAS.gemm(transB: true, m: inputChannels, n: rows, k: nb * l, a: xc, b: dcol, beta: 1, c: g)
        if biasGradient {
            for n in 0..<nb {
                for f in 0..<filters { dBias[f] += channelSum(dyc + (n * filters + f) * plane, count: plane) }
            }
        }
        guard let dx else { return }
        BLAS.gemm(m: inputChannels, n: nb * l, k: rows, a: forwardWeight, b: dcol, beta: 0, c: dxc)       // (C, B·L)
        swapLeadingAxes(dxc, inputChannels, nb, inner: l, into: dx + first * inputSize)
    }
}
