// Dimensions: N batch, I inputs, U units, P pieces per unit.

/// Maxout (Goodfellow et al. 2013, eq. 1): `h_u(x) = max_p z[u·P + p]` with `z = x·Wᵀ + b`, a dense
/// layer to U·P pieces followed by the maximum over each unit's P consecutive pieces.
///
/// Backward routes each unit's gradient to the piece that won in the forward pass (its index is
/// kept as `Int32` in a preallocated buffer; ties go to the first piece), then does the dense
/// layer's two products (`dW += dzᵀ·x`, `dx = dz·W`). Maxout is its own non-linearity, so there is
/// no fused activation. Parameter slots: "weight" [U·P, I] (unit u's pieces are rows u·P ..< u·P + P),
/// "bias" [U·P]; weights are Glorot-initialised by default with fan_in = I and fan_out = U.
public final class Maxout: Layer {
    public let inputs: Int
    public let units: Int
    public let pieces: Int
    public let initializer: WeightInitializer

    public var inputShape: [Int] { [inputs] }
    public var outputShape: [Int] { [units] }
    public var parameterCount: Int { linear * inputs + linear }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [linear, inputs], offset: 0),
         TensorSlot(name: "bias", shape: [linear], offset: linear * inputs)]
    }

    private let linear: Int                               // U·P
    private var weight: UnsafeMutablePointer<Float>!      // (U·P, I)
    private var bias: UnsafeMutablePointer<Float>!        // (U·P)
    private var dWeight: UnsafeMutablePointer<Float>!     // (U·P, I)
    private var dBias: UnsafeMutablePointer<Float>!       // (U·P)
    private var pieceValues: Tensor!                      // (N, U·P)  z in forward, dz in backward
    private var output: Tensor!                           // (N, U)    y
    private var winners: UnsafeMutablePointer<Int32>!     // (N, U)    argmax_p, kept for backward
    private var inputGradient: Tensor!                    // (N, I)    dx
    private var input: UnsafePointer<Float>?              // (N, I)    x, kept from forward

    public init(inputs: Int, units: Int, pieces: Int, initializer: WeightInitializer = .glorot) {
        precondition(inputs > 0 && units > 0 && pieces > 0,
                     "maxout sizes must be positive (got \(inputs) inputs, \(units) units, \(pieces) pieces)")
        precondition(pieces <= Int(Int32.max), "maxout pieces must fit in Int32")
        self.inputs = inputs
        self.units = units
        self.pieces = pieces
        self.initializer = initializer
        linear = units * pieces
    }

    deinit { winners?.deallocate() }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        weight = parameters
        bias = parameters + linear * inputs
        dWeight = gradients
        dBias = gradients + linear * inputs
    }

    public func initialize(rng: inout RandomStream) {
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: linear * inputs), fanIn: inputs, fanOut: units, rng: &rng)
        bias.update(repeating: 0, count: linear)
    }

    public func prepare(maxBatch: Int) {
        pieceValues = Tensor(shape: [maxBatch, linear])
        output = Tensor(shape: [maxBatch, units])
        inputGradient = Tensor(shape: [maxBatch, inputs])
        winners?.deallocate()
        winners = .allocate(capacity: max(maxBatch * units, 1))
        winners.initialize(repeating: 0, count: max(maxBatch * units, 1))
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        input = x
        let z = pieceValues.pointer, y = output.pointer
        BLAS.gemm(transB: true, m: batch, n: linear, k: inputs, a: x, b: weight, beta: 0, c: z)
        ActivationFunction.linear.applyWithBias(z, bias: bias, rows: batch, columns: linear)
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
        guard let x = input else { preconditionFailure("Maxout.backward called before forward") }
        let dz = pieceValues.pointer   // z is no longer needed: reuse its buffer for dz
        dz.update(repeating: 0, count: batch * linear)
        for u in 0..<(batch * units) { dz[u * pieces + Int(winners[u])] = dy[u] }
        if parameterGradients {
            BLAS.gemm(transA: true, m: linear, n: inputs, k: batch, a: dz, b: x, beta: 1, c: dWeight)
            let db: UnsafeMutablePointer<Float> = dBias
            for row in 0..<batch {
                let g = dz + row * linear
                for o in 0..<linear { db[o] += g[o] }
            }
        }
        guard wantInput else { return nil }
        let dx = inputGradient.pointer
        BLAS.gemm(m: batch, n: inputs, k: linear, a: dz, b: weight, beta: 0, c: dx)
        return dx
    }
}
