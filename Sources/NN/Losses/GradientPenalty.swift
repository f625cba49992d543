// Dimensions: N discriminator inputs, D elements per input, g_i = ∇ₓD(x̂_i) (D) the gradient of
// input i's logit with respect to that input.

/// A penalty on the norm of the discriminator's input gradient, added to the discriminator's loss
/// (formulas and defaults in docs/models.md):
///
/// - WGAN-GP (Gulrajani et al. 2017): λ·(‖g‖ − 1)² at x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per input;
/// - DRAGAN (Kodali et al. 2017, as the authors' code): λ·(‖g‖ − 1)² at x̂ = x + α·c·std(x)·u,
///   u ~ U[0, 1]^D per element, α ~ U[0, 1] per input, std over the whole real batch;
/// - R1 (Mescheder et al. 2018): γ/2·‖g‖² at the real inputs.
///
/// Each is averaged over the N inputs, as the adversarial loss is. Its parameter gradient is exact:
/// with v_i = ∂P/∂g_i held constant, ∂P/∂θ = ∂/∂θ Σ ⟨v_i, g_i⟩, and ⟨v_i, g_i⟩ is the directional
/// derivative of D at x̂_i along v_i, so one forward pass, one input-gradient backward pass (g),
/// one tangent pass (along v) and one backward pass through both (`TangentLayer`) give it.
/// x̂ is a constant: no gradient reaches the generator.
public final class GradientPenalty {
    public enum Kind: Sendable, Equatable {
        case wganGP(lambda: Float)
        case dragan(lambda: Float, c: Float)
        case r1(gamma: Float)
    }

    public let kind: Kind
    private let discriminator: Network
    private let inputSize: Int
    let points: Tensor              // (N, D)  x̂ (internal: tests read the points)
    private let direction: Tensor   // (N, D)  v_i = ∂P/∂g_i (scaled)
    private let seeds: Tensor       // (N)     ones: ∂(Σ D)/∂D for g, then ẏ̄
    private let zeros: Tensor       // (N)     ȳ = 0 at the top of the backward through both passes

    /// Prepares `discriminator`'s tangent buffers; every layer must have a tangent pass.
    public init(_ kind: Kind, discriminator: Network) {
        self.kind = kind
        self.discriminator = discriminator
        inputSize = discriminator.inputSize
        let n = discriminator.maxBatch
        points = Tensor(shape: [n, inputSize])
        direction = Tensor(shape: [n, inputSize])
        seeds = Tensor(shape: [n])
        zeros = Tensor(shape: [n])
        discriminator.prepareTangents()
    }

    /// Floats of its own buffers (the discriminator's tangent buffers count in the network's).
    public var heldFloats: Int { points.capacity + direction.capacity + seeds.capacity + zeros.capacity }

    /// Floats `init` holds for a discriminator with inputs of `inputSize` elements at `maxBatch`.
    public static func floats(maxBatch: Int, inputSize: Int) -> Int { 2 * maxBatch * inputSize + 2 * maxBatch }

    /// Draws the penalty's points from the real and generated inputs (each `batch` × D, as the
    /// discriminator saw them) and adds `scale` × ∂(Σ_i P_i)/∂θ to the discriminator's gradients.
    /// Returns Σ_i P_i and Σ_i ‖g_i‖. Draws from `rng` only for WGAN-GP and DRAGAN.
    public func apply(real: UnsafePointer<Float>, fake: UnsafePointer<Float>, batch: Int, scale: Float,
                      rng: inout RandomStream) -> (penalty: Double, norm: Double) {
        let x = points.pointer, n = batch * inputSize
        switch kind {
        case .wganGP:
            for i in 0..<batch {
                let e = rng.nextUniform(), offset = i * inputSize
                for j in offset..<(offset + inputSize) { x[j] = e * real[j] + (1 - e) * fake[j] }
            }
        case .dragan(_, let c):
            let spread = c * Self.standardDeviation(real, count: n)
            for i in 0..<batch {
                let alpha = rng.nextUniform(), offset = i * inputSize
                for j in offset..<(offset + inputSize) { x[j] = real[j] + alpha * spread * rng.nextUniform() }
            }
        case .r1:
            x.update(from: real, count: n)
        }
        return penalize(x, batch: batch, scale: scale, accumulate: true)
    }

    /// Σ_i P_i and Σ_i ‖g_i‖ at `batch` points x̂ (N, D); with `accumulate`, also adds `scale` ×
    /// ∂(Σ_i P_i)/∂θ to the discriminator's gradients. The discriminator runs in training mode
    /// (dropout draws a mask, spectral normalisation iterates), as it does for its loss.
    @discardableResult
    public func penalize(_ x: UnsafePointer<Float>, batch: Int, scale: Float, accumulate: Bool) -> (penalty: Double, norm: Double) {
        let ones = seeds.pointer, v = direction.pointer
        discriminator.forward(x, batch: batch, mode: .training)
        ones.update(repeating: 1, count: batch)
        let g = discriminator.backward(ones, batch: batch, parameterGradients: false, inputGradient: true)!
        let (penalty, norm) = Self.evaluate(kind, gradients: g, batch: batch, size: inputSize, scale: scale, direction: v)
        guard accumulate else { return (penalty, norm) }
        discriminator.forwardTangent(v, batch: batch)
        ones.update(repeating: 1, count: batch)
        zeros.pointer.update(repeating: 0, count: batch)
        discriminator.backwardTangent(zeros.pointer, ones, batch: batch)
        return (penalty, norm)
    }

    /// Σ_i P(g_i) and Σ_i ‖g_i‖ over `batch` gradients of `size` elements; writes v_i = scale ·
    /// ∂P/∂g_i into `direction`. At g_i = 0, ∂‖g‖/∂g is taken as 0.
    public static func evaluate(_ kind: Kind, gradients g: UnsafePointer<Float>, batch: Int, size: Int, scale: Float,
                                direction v: UnsafeMutablePointer<Float>) -> (penalty: Double, norm: Double) {
        var penalty = 0.0, norms = 0.0
        for i in 0..<batch {
            let gi = g + i * size, vi = v + i * size
            var squares: Float = 0
            for j in 0..<size { squares += gi[j] * gi[j] }
            let norm = squares.squareRoot()
            norms += Double(norm)
            let factor: Float   // v_i = factor · g_i
            switch kind {
            case .wganGP(let lambda), .dragan(let lambda, _):
                penalty += Double(lambda) * Double(norm - 1) * Double(norm - 1)
                factor = norm > 0 ? scale * 2 * lambda * (norm - 1) / norm : 0
            case .r1(let gamma):
                penalty += Double(gamma) / 2 * Double(squares)
                factor = scale * gamma
            }
            for j in 0..<size { vi[j] = factor * gi[j] }
        }
        return (penalty, norms)
    }

    /// The population standard deviation of `count` values (numpy's `std`, as DRAGAN's code uses).
    static func standardDeviation(_ x: UnsafePointer<Float>, count: Int) -> Float {
        guard count > 0 else { return 0 }
        var sum = 0.0
        for i in 0..<count { sum += Double(x[i]) }
        let mean = sum / Double(count)
        var squares = 0.0
        for i in 0..<count { let d = Double(x[i]) - mean; squares += d * d }
        return Float((squares / Double(count)).squareRoot())
    }
}
