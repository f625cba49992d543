// Dimensions: N batch, I inputs, U units, P pieces per unit.

/// Maxout (Goodfellow et al. 2013, eq. 1): `h_u(x) = max_p z[u·P + p]` with `z = x·Wᵀ + b`, a dense
/// layer to U·P pieces followed by the maximum over each unit's P consecutive pieces.
///
/// The affine part is a linear `Dense` layer over the same parameter view. Backward routes each
/// unit's gradient to the piece that won in the forward pass (its index is kept as `Int32` in a
/// preallocated buffer; ties go to the first piece), then runs the dense layer's backward. Maxout is its own non-linearity, so there is
/// no fused activation. Parameter slots: "weight" [U·P, I] (unit u's pieces are rows u·P ..< u·P + P),
/// "bias" [U·P]; weights are Glorot-initialised by default with fan_in = I and fan_out = U.
public final class Maxout: Layer {
    public let inputs: Int
    public let units: Int
    public let pieces: Int
    public let initializer: WeightInitializer

    public var inputShape: [Int] { [inputs] }
    public var outputShape: [Int] { [units] }
    public var parameterCount: Int { affine.parameterCount }
    public var parameterSlots: [TensorSlot] { affine.parameterSlots }

    private let affine: Dense                             // x → z = x·Wᵀ + b, (N, U·P)
    private var weight: UnsafeMutablePointer<Float>!      // (U·P, I), for initialisation
    private var pieceGradient: Tensor!                    // (N, U·P)  dz
    private var output: Tensor!                           // (N, U)    y
    private var winners: UnsafeMutablePointer<Int32>!     // (N, U)    argmax_p, kept for backward
    private var tangentOutput: Tensor?                    // (N, U)    ẏ (`TangentLayer`)
    private var pieceTangentGradient: Tensor?             // (N, U·P)  ż̄

    public init(inputs: Int, units: Int, pieces: Int, initializer: WeightInitializer = .glorot) {
        precondition(inputs > 0 && units > 0 && pieces > 0,
                     "maxout sizes must be positive (got \(inputs) inputs, \(units) units, \(pieces) pieces)")
        precondition(pieces <= Int(Int32.max), "maxout pieces must fit in Int32")
        self.inputs = inputs
        self.units = units
        self.pieces = pieces
        self.initializer = initializer
        affine = Dense(inputs: inputs, outputs: units * pieces, activation: .linear, initializer: initializer)
    }

    deinit { winners?.deallocate() }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        affine.bind(parameters: parameters, gradients: gradients, state: state)
        weight = parameters
    }

    /// Glorot/He with fan_out = U (the units), not U·P, as the pieces compete for one output.
    public func initialize(rng: inout RandomStream) {
        let linear = units * pieces
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: linear * inputs), fanIn: inputs, fanOut: units, rng: &rng)
        initializer.fillBias(UnsafeMutableBufferPointer(start: weight + linear * inputs, count: linear), fanIn: inputs, rng: &rng)
    }

    /// The affine layer's buffers, dz, y and the Int32 winners (N, U).
    public var bufferFloats: Int {
        affine.bufferFloats + (pieceGradient?.capacity ?? 0) + (output?.capacity ?? 0) + (winners == nil ? 0 : output.capacity)
            + (tangentOutput?.capacity ?? 0) + (pieceTangentGradient?.capacity ?? 0)
    }

    public func prepare(maxBatch: Int) {
        affine.prepare(maxBatch: maxBatch)
        pieceGradient = Tensor(shape: [maxBatch, units * pieces])
        output = Tensor(shape: [maxBatch, units])
        winners?.deallocate()
        winners = .allocate(capacity: max(maxBatch * units, 1))
        winners.initialize(repeating: 0, count: max(maxBatch * units, 1))
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        let z = affine.forward(x, batch: batch, mode: mode), y = output.pointer
        for u in 0..<(batch * units) {
            let group = z + u * pieces
            var best = group[0], arg: Int32 = 0
            for p in 1..<pieces where group[p] > best { best = group[p]; arg = Int32(p) }
            y[u] = best
            winners[u] = arg
        }
        return y
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        scatterToWinners(dy, into: pieceGradient.pointer, batch: batch)
        return affine.backward(pieceGradient.pointer, batch: batch, parameterGradients: parameterGradients, inputGradient: wantInput)
    }

    /// dz = 0 except each unit's winning piece, which gets the unit's dy.
    private func scatterToWinners(_ dy: UnsafePointer<Float>, into dz: UnsafeMutablePointer<Float>, batch: Int) {
        dz.update(repeating: 0, count: batch * units * pieces)
        for u in 0..<(batch * units) { dz[u * pieces + Int(winners[u])] = dy[u] }
    }
}

extension Maxout: TangentLayer {
    public func prepareTangent(maxBatch: Int) {
        affine.prepareTangent(maxBatch: maxBatch)
        tangentOutput = Tensor(shape: [maxBatch, units])
        pieceTangentGradient = Tensor(shape: [maxBatch, units * pieces])
    }

    /// The affine layer's tangent buffers, ẏ and ż̄.
    public var tangentBufferFloats: Int {
        affine.tangentBufferFloats + (tangentOutput?.capacity ?? 0) + (pieceTangentGradient?.capacity ?? 0)
    }

    /// ż = ẋ·Wᵀ, ẏ_u = ż at the unit's winning piece (the max is locally the winner's identity).
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard let out = tangentOutput?.pointer else { preconditionFailure("Maxout.forwardTangent before prepareTangent") }
        let dz = affine.forwardTangent(dx, batch: batch)
        for u in 0..<(batch * units) { out[u] = dz[u * pieces + Int(winners[u])] }
        return out
    }

    /// Both adjoints go to the winning pieces, then through the affine layer's tangent backward.
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient wantInput: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        guard let dt = pieceTangentGradient?.pointer else { preconditionFailure("Maxout.backwardTangent before prepareTangent") }
        scatterToWinners(dy, into: pieceGradient.pointer, batch: batch)
        scatterToWinners(dTangent, into: dt, batch: batch)
        return affine.backwardTangent(pieceGradient.pointer, dt, batch: batch, inputGradient: wantInput)
    }
}
