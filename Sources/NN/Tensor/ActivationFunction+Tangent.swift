/// Second derivatives of the activations, for backpropagating through a tangent pass
/// (`TangentLayer`). Like f′, f″ is expressed through the output y = f(z).
extension ActivationFunction {
    /// Whether f″ is non-zero anywhere: the ReLU family and the identity are piecewise linear
    /// (f″ = 0 almost everywhere, as autograd takes it).
    public var isCurved: Bool {
        switch self {
        case .linear, .relu, .leakyReLU: return false
        case .sigmoid, .tanh, .softplus: return true
        }
    }

    /// Backpropagates through y = f(z) and ẏ = f′(z)·ż together: dy ← f′·dy + f″·ż·dTangent
    /// (z̄) and dTangent ← f′·dTangent (ż̄). `pre` is ż; it may be nil when `isCurved` is false.
    public func backwardTangent(output y: UnsafePointer<Float>, pre: UnsafePointer<Float>?, dy: UnsafeMutablePointer<Float>,
                                dTangent dt: UnsafeMutablePointer<Float>, count: Int) {
        guard isCurved, let z = pre else {
            backward(output: y, gradient: dy, count: count)
            backward(output: y, gradient: dt, count: count)
            return
        }
        for i in 0..<count {
            let (first, second) = derivatives(y[i])
            dy[i] = first * dy[i] + second * z[i] * dt[i]
            dt[i] *= first
        }
    }

    /// (f′, f″) at the point whose output is y, for the curved activations.
    @inline(__always)
    private func derivatives(_ y: Float) -> (Float, Float) {
        switch self {
        case .sigmoid:
            let d = y * (1 - y)
            return (d, d * (1 - 2 * y))
        case .tanh:
            let d = 1 - y * y
            return (d, -2 * y * d)
        case .softplus:
            let s = 1 - FastMath.expNegative(y)        // σ(z)
            return (s, s * (1 - s))
        case .linear, .relu, .leakyReLU:
            return (1, 0)
        }
    }
}
