import Testing
@testable import NN

/// Runs `steps` updates of `rule` on f(θ) = ½ Σ c_i θ_i² (gradient c·θ) and returns θ.
private func run(_ rule: OptimizerRule, steps: Int, start: [Float], curvature: [Float]) -> [Float] {
    let n = start.count
    let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: n), g = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
    defer { p.deallocate(); g.deallocate() }
    _ = p.initialize(from: start)
    let opt = Optimizer(rule, parameters: p, gradients: g)
    for _ in 0..<steps {
        for i in 0..<n { g[i] = curvature[i] * p[i] }
        opt.step()
    }
    return Array(p)
}

/// Naive double-precision twins of the update rules (PyTorch's formulas, written out plainly).
private func reference(_ rule: OptimizerRule, steps: Int, start: [Float], curvature: [Float]) -> [Double] {
    var theta = start.map(Double.init)
    let c = curvature.map(Double.init)
    var a = [Double](repeating: 0, count: theta.count), b = a
    for t in 1...steps {
        for i in theta.indices {
            var g = c[i] * theta[i]
            switch rule {
            case let .sgd(lr, mu, nesterov, wd):
                g += Double(wd) * theta[i]
                a[i] = Double(mu) * a[i] + g
                theta[i] -= Double(lr) * (nesterov ? g + Double(mu) * a[i] : a[i])
            case let .rmsprop(lr, alpha, eps, mu, wd):
                g += Double(wd) * theta[i]
                a[i] = Double(alpha) * a[i] + (1 - Double(alpha)) * g * g
                let step = g / (a[i].squareRoot() + Double(eps))
                if mu > 0 { b[i] = Double(mu) * b[i] + step; theta[i] -= Double(lr) * b[i] } else { theta[i] -= Double(lr) * step }
            case let .adam(lr, b1, b2, eps, wd), let .adamw(lr, b1, b2, eps, wd):
                var isW = false
                if case .adamw = rule { isW = true }
                if isW { theta[i] *= 1 - Double(lr) * Double(wd) } else { g += Double(wd) * theta[i] }
                a[i] = Double(b1) * a[i] + (1 - Double(b1)) * g
                b[i] = Double(b2) * b[i] + (1 - Double(b2)) * g * g
                let mHat = a[i] / (1 - Foundation_pow(Double(b1), Double(t)))
                let vHat = b[i] / (1 - Foundation_pow(Double(b2), Double(t)))
                theta[i] -= Double(lr) * mHat / (vHat.squareRoot() + Double(eps))
            }
        }
    }
    return theta
}

let rules: [OptimizerRule] = [
    .sgd(lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0),
    .sgd(lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0.01),
    .sgd(lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0),
    .rmsprop(lr: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0),
    .rmsprop(lr: 0.01, alpha: 0.9, epsilon: 1e-8, momentum: 0.5, weightDecay: 0.1),
    .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
    .adam(lr: 0.01, beta1: 0.5, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1),
    .adamw(lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1),
]

@Test(arguments: rules)
func optimizerMatchesNaiveReference(rule: OptimizerRule) {
    let start: [Float] = [1, -2, 0.5, 3, -0.1]
    let curvature: [Float] = [1, 0.5, 2, 0.1, 4]
    let got = run(rule, steps: 25, start: start, curvature: curvature)
    let expected = reference(rule, steps: 25, start: start, curvature: curvature)
    for i in got.indices {
        #expect(abs(Double(got[i]) - expected[i]) < 1e-4 * max(1, abs(expected[i])),
                "\(rule) element \(i): expected \(expected[i]), got \(got[i])")
    }
}

@Test(arguments: rules)
func optimizerDecreasesAQuadratic(rule: OptimizerRule) {
    let start: [Float] = [1, -2, 0.5, 3, -0.1]
    let curvature: [Float] = [1, 0.5, 2, 0.1, 4]
    let loss = { (t: [Float]) in zip(t, curvature).map { 0.5 * $1 * $0 * $0 }.reduce(0, +) }
    #expect(loss(run(rule, steps: 50, start: start, curvature: curvature)) < loss(start))
}

@Test func adamFirstStepIsLearningRateTimesSign() {
    let got = run(.adam(lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-12, weightDecay: 0), steps: 1, start: [1, -1], curvature: [3, 0.01])
    #expect(abs(got[0] - 0.9) < 1e-5)
    #expect(abs(got[1] + 0.9) < 1e-5)
}

@Test func globalNormClippingScalesAllBuffersTogether() {
    let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2), b = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
    defer { a.deallocate(); b.deallocate() }
    a[0] = 3; a[1] = 0; b[0] = 4        // norm 5
    let norm = GradientClipping.clipGlobalNorm([a, b], maxNorm: 1)
    #expect(norm == 5)
    #expect(abs(a[0] - 0.6) < 1e-6 && abs(b[0] - 0.8) < 1e-6)
    let unchanged = GradientClipping.clipGlobalNorm([a, b], maxNorm: 10)
    #expect(abs(unchanged - 1) < 1e-6 && abs(a[0] - 0.6) < 1e-6)
}
