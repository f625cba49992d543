// Dimensions: N logits (one per discriminator example; with packing, one per pack).

/// The adversarial objectives behind one signature (as compare_gan does): each function takes the
/// discriminator's raw outputs `d` (logits; D(x) = σ(d) for the log-likelihood forms), returns the
/// *sum* of the per-example losses (double precision) and writes `scale · ∂loss/∂d` into
/// `gradient`. Formulas (docs/models.md):
///
/// | objective | discriminator, real / fake | generator |
/// |---|---|---|
/// | minimax | −y·log σ(d) − (1−y)·log(1−σ(d)) with y = 1−s / 0 | log(1 − σ(d)) = −softplus(d) |
/// | non-saturating | as minimax | −log σ(d) = softplus(−d) |
/// | least-squares | ½(d − (1−s))² / ½d² | ½(d − 1)² |
/// | hinge | max(0, 1 − d) / max(0, 1 + d) | −d |
/// | wasserstein | −d / d | −d |
///
/// `s` is one-sided label smoothing (Salimans et al. 2016); hinge and Wasserstein ignore it.
public enum AdversarialObjective: Sendable, Equatable, CaseIterable {
    case minimax, nonSaturating, leastSquares, hinge, wasserstein

    /// The discriminator's loss on real examples.
    public func discriminatorReal(_ d: UnsafePointer<Float>, count: Int, smoothing: Float = 0,
                                  gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        let target = 1 - smoothing
        return accumulate(d, count: count, gradient: gradient, scale: scale) { x in
            let loss: Float, grad: Float
            switch self {
            case .minimax, .nonSaturating:
                loss = softplus(x) - target * x            // BCE with logits against the target
                grad = sigmoid(x) - target
            case .leastSquares:
                loss = 0.5 * (x - target) * (x - target)
                grad = x - target
            case .hinge:
                loss = max(0, 1 - x)
                grad = x < 1 ? -1 : 0
            case .wasserstein:
                loss = -x
                grad = -1
            }
            return (loss, grad)
        }
    }

    /// The discriminator's loss on generated examples.
    public func discriminatorFake(_ d: UnsafePointer<Float>, count: Int,
                                  gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        return accumulate(d, count: count, gradient: gradient, scale: scale) { x in
            let loss: Float, grad: Float
            switch self {
            case .minimax, .nonSaturating:
                loss = softplus(x)                         // −log(1 − σ(d))
                grad = sigmoid(x)
            case .leastSquares:
                loss = 0.5 * x * x
                grad = x
            case .hinge:
                loss = max(0, 1 + x)
                grad = x > -1 ? 1 : 0
            case .wasserstein:
                loss = x
                grad = 1
            }
            return (loss, grad)
        }
    }

    /// The generator's loss on the discriminator's outputs for generated examples.
    public func generator(_ d: UnsafePointer<Float>, count: Int,
                          gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        return accumulate(d, count: count, gradient: gradient, scale: scale) { x in
            let loss: Float, grad: Float
            switch self {
            case .minimax:
                loss = -softplus(x)                        // log(1 − σ(d)), minimised
                grad = -sigmoid(x)
            case .nonSaturating:
                loss = softplus(-x)                        // −log σ(d)
                grad = sigmoid(x) - 1
            case .leastSquares:
                loss = 0.5 * (x - 1) * (x - 1)
                grad = x - 1
            case .hinge, .wasserstein:
                loss = -x
                grad = -1
            }
            return (loss, grad)
        }
    }

    /// Σ loss(d_i) in double precision, writing `scale · ∂loss/∂d_i` into `gradient` when given.
    @inline(__always)
    private func accumulate(_ d: UnsafePointer<Float>, count: Int, gradient: UnsafeMutablePointer<Float>?, scale: Float,
                            _ term: (Float) -> (loss: Float, grad: Float)) -> Double {
        var total = 0.0
        for i in 0..<count {
            let (loss, grad) = term(d[i])
            total += Double(loss)
            gradient?[i] = scale * grad
        }
        return total
    }

    @inline(__always) private func softplus(_ x: Float) -> Float { FastMath.softplus(x) }
    @inline(__always) private func sigmoid(_ x: Float) -> Float { FastMath.sigmoid(x) }
}
