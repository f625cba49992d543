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
public final class Conv2D: TeamLayer {
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
    /// Members split each chunk's examples into contiguous blocks: member m's columns are the
    /// (R, B_m·L) block at R·L·(its first example), its z the (F, B_m·L) block likewise; the
    /// weight gradient sums the blocks' products in member order, split by rows or columns of dW.
    public var team = ThreadTeam.serial
    private var scratchPlanes: Tensor!                    // (members, padded plane) for im2col and col2im

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
        [columns, dColumns, channelMajor, output, inputGradient, scratchPlanes].reduce(0) { $0 + ($1?.capacity ?? 0) } + geometry.gatherCount
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
        scratchPlanes = Tensor(shape: [team.size, geometry.scratchFloats])
    }

    /// Member `member`'s scratch plane.
    private func scratch(_ member: Int) -> UnsafeMutablePointer<Float> { scratchPlanes.pointer + member * geometry.scratchFloats }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        let weight = spectralNorm?.weight(self.weight, mode: mode) ?? UnsafePointer(self.weight!)
        forwardWeight = weight
        var first = 0
        while first < batch {                                                   // chunks of B examples
            let nb = min(chunk, batch - first)
            team.run(forwardJob, (x, first, nb))
            first += nb
        }
        input = x
        forwardBatch = batch
        columnsHoldLastChunk = true
        return output.pointer
    }

    /// One member's block of the chunk of `nb` examples at `first`: im2col, z = W·col, y = act(z + b).
    private lazy var forwardJob = TeamJob<(UnsafePointer<Float>, Int, Int)> { [unowned(unsafe) self] a, member in
        let (x, first, nb) = a, part = team.part(member, of: nb)
        guard !part.isEmpty else { return }
        let l = geometry.positions, count = part.count, e = first + part.lowerBound
        let colm = columns.pointer + rows * part.lowerBound * l, zm = channelMajor.pointer + filters * part.lowerBound * l
        geometry.im2col(x + e * geometry.imageSize, batch: count, col: colm, scratch: scratch(member))   // (R, B_m·L)
        BLAS.gemm(m: filters, n: count * l, k: rows, a: forwardWeight, b: colm, beta: 0, c: zm)         // z = W·col  (F, B_m·L)
        // y[n, f] = act(z[f, n] + b[f])
        let yc = output.pointer + e * filters * l
        for f in 0..<filters {
            let b = bias[f]
            for n in 0..<count {
                let source = zm + (f * count + n) * l, target = yc + (n * filters + f) * l
                for i in 0..<l { target[i] = source[i] + b }
            }
        }
        activation.apply(yc, count: count * filters * l)
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        precondition(forwardBatch == batch, "Conv2D.backward for batch \(batch) after a forward of \(forwardBatch)")
        guard parameterGradients || wantInput else { return nil }
        let dWeight = parameterGradients ? spectralNorm?.gradientBuffer() ?? self.dWeight! : self.dWeight!
        // Chunks in reverse: the last one's columns are still in `columns` from forward.
        let last = (batch - 1) / chunk * chunk
        for first in stride(from: last, through: 0, by: -chunk) {
            let nb = min(chunk, batch - first)
            let recompute = parameterGradients && (first != last || !columnsHoldLastChunk)
            team.run(backwardJob, (dy, first, nb, recompute, wantInput))
            if recompute { columnsHoldLastChunk = false }
            if parameterGradients { team.run(parameterJob, (nb, dWeight)) }
        }
        if parameterGradients { spectralNorm?.accumulate(into: self.dWeight) }
        return wantInput ? inputGradient.pointer : nil
    }

    /// One member's block of examples: dz, its columns again when `recompute`, and dx when asked.
    private lazy var backwardJob = TeamJob<(UnsafeMutablePointer<Float>, Int, Int, Bool, Bool)> { [unowned(unsafe) self] a, member in
        let (dy, first, nb, recompute, wantInput) = a, part = team.part(member, of: nb)
        guard !part.isEmpty else { return }
        let l = geometry.positions, imageSize = geometry.imageSize, count = part.count, e = first + part.lowerBound
        let dyc = dy + e * filters * l, dzm = channelMajor.pointer + filters * part.lowerBound * l
        activation.backward(output: output.pointer + e * filters * l, gradient: dyc, count: count * filters * l)   // dy ← dz
        swapLeadingAxes(dyc, count, filters, inner: l, into: dzm)                                                // (F, B_m·L)
        if recompute {
            geometry.im2col(input! + e * imageSize, batch: count, col: columns.pointer + rows * part.lowerBound * l, scratch: scratch(member))
        }
        if wantInput {
            let dcolm = dColumns.pointer + rows * part.lowerBound * l
            BLAS.gemm(transA: true, m: rows, n: count * l, k: filters, a: forwardWeight, b: dzm, beta: 0, c: dcolm)   // Wᵀ·dz
            geometry.col2im(dcolm, batch: count, image: inputGradient.pointer + e * imageSize, scratch: scratch(member))
        }
    }

    /// dW += Σ over the members' blocks of dz_m·col_mᵀ (in member order), db += Σ dz, for a chunk of
    /// `nb` examples; members split dW by filter rows or column-matrix rows, whichever are more,
    /// and db by filters.
    private lazy var parameterJob = TeamJob<(Int, UnsafeMutablePointer<Float>)> { [unowned(unsafe) self] a, member in
        let (nb, dWeight) = a, l = geometry.positions, dz = channelMajor.pointer
        team.addBlockProducts(member: member, examples: nb, width: l, m: filters, n: rows, a: dz, b: columns.pointer, c: dWeight)
        for f in team.part(member, of: filters) {
            for block in 0..<team.size {
                let part = team.part(block, of: nb)
                guard !part.isEmpty else { continue }
                let k = part.count * l
                dBias[f] += channelSum(dz + filters * part.lowerBound * l + f * k, count: k)
            }
        }
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
            geometry.im2col(dx + first * imageSize, batch: nb, col: col, scratch: scratch(0))
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
        geometry.im2col(x + first * imageSize, batch: nb, col: col, scratch: scratch(0))
        BLAS.gemm(transB: true, m: filters, n: rows, k: nb * l, a: dz, b: col, beta: 1, c: g)
        if biasGradient { for f in 0..<filters { dBias[f] += channelSum(dz + f * nb * l, count: nb * l) } }
        guard let dx else { return }
        BLAS.gemm(transA: true, m: rows, n: nb * l, k: filters, a: forwardWeight, b: dz, beta: 0, c: dcol)
        geometry.col2im(dcol, batch: nb, image: dx + first * imageSize, scratch: scratch(0))
    }
}
