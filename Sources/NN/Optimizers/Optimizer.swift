/// An update rule and its hyper-parameters. Conventions follow PyTorch's `torch.optim` so that
/// learning rates transfer.
public enum OptimizerRule: Sendable, Equatable {
    /// `v ← μv + g; θ ← θ − η·v` (Nesterov: `θ ← θ − η·(g + μv)`); L2 weight decay added to g.
    case sgd(lr: Float, momentum: Float, nesterov: Bool, weightDecay: Float)
    /// `s ← αs + (1−α)g²; θ ← θ − η·g/(√s + ε)` (with momentum on the scaled step); L2 decay added to g.
    case rmsprop(lr: Float, alpha: Float, epsilon: Float, momentum: Float, weightDecay: Float)
    /// Kingma & Ba 2015, Algorithm 1, with bias correction; L2 weight decay added to g.
    case adam(lr: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float)
    /// Adam with decoupled weight decay `θ ← θ − η·λ·θ` (Loshchilov & Hutter 2019).
    case adamw(lr: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float)

    /// Names of the per-parameter state buffers the rule keeps.
    public var stateNames: [String] {
        switch self {
        case .sgd(_, let momentum, _, _): return momentum > 0 ? ["momentum"] : []
        case .rmsprop(_, _, _, let momentum, _): return momentum > 0 ? ["square_avg", "momentum"] : ["square_avg"]
        case .adam, .adamw: return ["exp_avg", "exp_avg_sq"]
        }
    }
}

/// Updates one network's flat parameter buffer from its flat gradient buffer: one fused loop per
/// step, with state buffers of the same size allocated once.
public final class Optimizer {
    public let rule: OptimizerRule
    /// Updates taken so far (Adam's bias correction uses it; checkpoints save it).
    public var stepCount: Int = 0
    private let parameters: UnsafeMutableBufferPointer<Float>
    private let gradients: UnsafeMutableBufferPointer<Float>
    /// Named state buffers, each `parameters.count` long.
    public let state: [(name: String, buffer: UnsafeMutableBufferPointer<Float>)]
    /// Members that update contiguous ranges of the buffer at once (the update is elementwise, so
    /// the bytes do not depend on the team's size).
    private let team: ThreadTeam
    /// The state buffers' base addresses, in `state`'s order.
    private let statePointers: [UnsafeMutablePointer<Float>]

    public init(_ rule: OptimizerRule, parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>,
                team: ThreadTeam = .serial) {
        precondition(parameters.count == gradients.count, "parameter and gradient buffers differ in size")
        self.rule = rule
        self.team = team
        self.parameters = parameters
        self.gradients = gradients
        state = rule.stateNames.map { name in
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(parameters.count, 1))
            b.initialize(repeating: 0)
            return (name, UnsafeMutableBufferPointer(rebasing: b[0..<parameters.count]))
        }
        statePointers = state.map { $0.buffer.baseAddress! }
    }

    /// Floats of the state buffers.
    public var heldFloats: Int { state.reduce(0) { $0 + $1.buffer.count } }

    /// An optimiser over all of `network`'s parameters.
    public convenience init(_ rule: OptimizerRule, for network: Network) {
        self.init(rule, parameters: network.parameters, gradients: network.gradients, team: network.team)
    }

    deinit { for s in state { s.buffer.baseAddress.map { UnsafeMutablePointer($0).deallocate() } } }

    /// Applies one update.
    public func step() {
        stepCount += 1
        guard parameters.count > 0 else { return }
        team.run(updateJob, ())
    }

    /// Each member updates its part of the buffer.
    private lazy var updateJob = TeamJob<Void> { [unowned(unsafe) self] _, member in
        let r = team.part(member, of: parameters.count, granule: 16)
        guard !r.isEmpty else { return }
        update(r)
    }

    /// The update of the elements in `range`.
    @inline(__always)
    private func update(_ range: Range<Int>) {
        let p = parameters.baseAddress! + range.lowerBound, g = gradients.baseAddress! + range.lowerBound, n = range.count
        func state(_ i: Int) -> UnsafeMutablePointer<Float> { statePointers[i] + range.lowerBound }
        switch rule {
        case let .sgd(lr, momentum, nesterov, decay):
            if momentum == 0 {
                for i in 0..<n { p[i] -= lr * (g[i] + decay * p[i]) }
            } else {
                let v = state(0)
                for i in 0..<n {
                    let d = g[i] + decay * p[i]
                    let vi = momentum * v[i] + d
                    v[i] = vi
                    p[i] -= lr * (nesterov ? d + momentum * vi : vi)
                }
            }
        case let .rmsprop(lr, alpha, eps, momentum, decay):
            let s = state(0)
            if momentum == 0 {
                for i in 0..<n {
                    let d = g[i] + decay * p[i]
                    let si = alpha * s[i] + (1 - alpha) * d * d
                    s[i] = si
                    p[i] -= lr * d / (si.squareRoot() + eps)
                }
            } else {
                let b = state(1)
                for i in 0..<n {
                    let d = g[i] + decay * p[i]
                    let si = alpha * s[i] + (1 - alpha) * d * d
                    s[i] = si
                    let bi = momentum * b[i] + d / (si.squareRoot() + eps)
                    b[i] = bi
                    p[i] -= lr * bi
                }
            }
        case let .adam(lr, beta1, beta2, eps, decay):
            adamStep(p, g, n, state(0), state(1), lr: lr, beta1: beta1, beta2: beta2, eps: eps, l2: decay, decoupled: 0)
        case let .adamw(lr, beta1, beta2, eps, decay):
            adamStep(p, g, n, state(0), state(1), lr: lr, beta1: beta1, beta2: beta2, eps: eps, l2: 0,
                     decoupled: lr * decay)
        }
    }

    @inline(__always)
    private func adamStep(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ n: Int,
                          _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                          lr: Float, beta1: Float, beta2: Float, eps: Float, l2: Float, decoupled: Float) {
        let t = Double(stepCount)
        let correction1 = 1 - _pow(Double(beta1), t)
        let correction2 = 1 - _pow(Double(beta2), t)
        let stepSize = Float(Double(lr) / correction1)
        let inverseRootCorrection2 = Float(1 / correction2.squareRoot())
        let keep = 1 - decoupled
        for i in 0..<n {
            let d = g[i] + l2 * p[i]
            let mi = beta1 * m[i] + (1 - beta1) * d
            let vi = beta2 * v[i] + (1 - beta2) * d * d
            m[i] = mi
            v[i] = vi
            p[i] = keep * p[i] - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
        }
    }
}
