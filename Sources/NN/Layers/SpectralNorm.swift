// Dimensions: the weight as a matrix of M rows and Q columns (Dense: O × I; Conv2D: F × C·K·K;
// ConvTranspose2D: F × C·K·K, its weight's second axis first, as PyTorch's `spectral_norm(dim=1)`).

/// Spectral normalisation of a layer's weight (Miyato et al. 2018): the layer computes with
/// Ŵ = W / σ(W), σ estimated by power iteration with a persistent vector u.
///
/// - Training passes make one power iteration, v ← Wᵀu / ‖Wᵀu‖, u ← Wv / ‖Wv‖, and σ = uᵀWv
///   (u and v are state: in the checkpoint, so a resumed run continues exactly).
/// - `trainingFrozen` and evaluation passes use the stored u and v: σ = uᵀWv, nothing changes.
/// - The gradient treats u and v as constants, as the paper (eq. 12) and PyTorch do:
///   ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ) / σ, with G = ∂L/∂Ŵ and ⟨·,·⟩ the elementwise inner product
///   (∂σ/∂W = u vᵀ for σ = uᵀWv).
///
/// The weight is `outer` × `middle` × `inner` elements (Dense: O × I × 1; Conv2D: F × C × K²;
/// ConvTranspose2D: C × F × K²); its matrix has `middle` rows when `middleIsRow` (a transposed
/// convolution's output channels), else `outer` rows.
public final class SpectralNorm {
    public let outer: Int, middle: Int, inner: Int
    public let middleIsRow: Bool
    /// Rows M and columns Q of the normalised matrix.
    public var rows: Int { middleIsRow ? middle : outer }
    public var columns: Int { middleIsRow ? outer * inner : middle * inner }
    /// The state it keeps (u then v), for `Layer.stateCount`.
    public var stateCount: Int { rows + columns }
    /// σ of the last pass.
    public private(set) var sigma: Float = 1

    private var u: UnsafeMutablePointer<Float>!           // (M)  state
    private var v: UnsafeMutablePointer<Float>!           // (Q)  state
    private let normalized: UnsafeMutablePointer<Float>   // (weight)  Ŵ = W / σ
    private let gradient: UnsafeMutablePointer<Float>     // (weight)  G = ∂L/∂Ŵ
    private let scratch: UnsafeMutablePointer<Float>      // (max(M, Q))
    private var count: Int { outer * middle * inner }

    public init(outer: Int, middle: Int, inner: Int, middleIsRow: Bool) {
        self.outer = outer
        self.middle = middle
        self.inner = inner
        self.middleIsRow = middleIsRow
        normalized = .allocate(capacity: outer * middle * inner)
        gradient = .allocate(capacity: outer * middle * inner)
        scratch = .allocate(capacity: max(middleIsRow ? middle : outer, middleIsRow ? outer * inner : middle * inner))
    }

    deinit { normalized.deallocate(); gradient.deallocate(); scratch.deallocate() }

    /// Floats of its own buffers (Ŵ, G and a vector), for `Layer.bufferFloats`.
    public var bufferFloats: Int { 2 * count + max(rows, columns) }

    /// State slots `weight_u` and `weight_v` at `offset` in the layer's state view.
    public func stateSlots(offset: Int) -> [TensorSlot] {
        [TensorSlot(name: "weight_u", shape: [rows], offset: offset), TensorSlot(name: "weight_v", shape: [columns], offset: offset + rows)]
    }

    public func bind(state: UnsafeMutablePointer<Float>) {
        u = state
        v = state + rows
    }

    /// u and v from N(0, 1), each normalised (after the layer's weights, from the same stream).
    public func initialize(rng: inout RandomStream) {
        rng.fillNormal(UnsafeMutableBufferPointer(start: u, count: rows))
        rng.fillNormal(UnsafeMutableBufferPointer(start: v, count: columns))
        Self.normalize(u, count: rows)
        Self.normalize(v, count: columns)
    }

    /// Ŵ for this pass (one power iteration first in training mode). Valid until the next call.
    public func weight(_ w: UnsafePointer<Float>, mode: PassMode) -> UnsafePointer<Float> {
        if mode == .training {
            multiplyTransposed(w, u, into: v)          // v ← Wᵀu / ‖Wᵀu‖
            Self.normalize(v, count: columns)
            multiply(w, v, into: u)                    // u ← Wv / ‖Wv‖
            Self.normalize(u, count: rows)
        }
        multiply(w, v, into: scratch)                  // σ = uᵀ(Wv)
        var s: Float = 0
        for r in 0..<rows { s += u[r] * scratch[r] }
        sigma = s
        let scale = 1 / s
        for i in 0..<count { normalized[i] = w[i] * scale }
        return UnsafePointer(normalized)
    }

    /// A zeroed buffer (weight-shaped) for the backward pass to accumulate G = ∂L/∂Ŵ into.
    public func gradientBuffer() -> UnsafeMutablePointer<Float> {
        gradient.update(repeating: 0, count: count)
        return gradient
    }

    /// Adds ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ) / σ into `dWeight`, G being what the pass accumulated.
    public func accumulate(into dWeight: UnsafeMutablePointer<Float>) {
        var lambda: Float = 0
        for i in 0..<count { lambda += gradient[i] * normalized[i] }
        let scale = 1 / sigma
        forEach { i, r, q in dWeight[i] += (gradient[i] - lambda * u[r] * v[q]) * scale }
    }

    /// Calls `body(index, row, column)` for every weight element, in memory order.
    @inline(__always)
    private func forEach(_ body: (Int, Int, Int) -> Void) {
        var i = 0
        for a in 0..<outer {
            for b in 0..<middle {
                for k in 0..<inner {
                    if middleIsRow { body(i, b, a * inner + k) } else { body(i, a, b * inner + k) }
                    i += 1
                }
            }
        }
    }

    /// out (M) = W x, x (Q).
    private func multiply(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: rows)
        forEach { i, r, q in out[r] += w[i] * x[q] }
    }

    /// out (Q) = Wᵀ x, x (M).
    private func multiplyTransposed(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: columns)
        forEach { i, r, q in out[q] += w[i] * x[r] }
    }

    /// x ← x / max(‖x‖, 1e-12), as PyTorch's `normalize`.
    private static func normalize(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var squares: Float = 0
        for i in 0..<count { squares += x[i] * x[i] }
        let scale = 1 / max(squares.squareRoot(), 1e-12)
        for i in 0..<count { x[i] *= scale }
    }
}
