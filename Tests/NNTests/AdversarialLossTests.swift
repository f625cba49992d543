import Testing
@testable import NN

private func logits(_ n: Int, seed: UInt64) -> [Float] {
    var r = RandomStream(seed: seed)
    // Away from the hinge kinks at ±1, where finite differences are undefined.
    return (0..<n).map { _ in
        var x = 3 * r.nextNormal()
        while abs(abs(x) - 1) < 0.05 { x = 3 * r.nextNormal() }
        return x
    }
}

private typealias LossFunction = @Sendable (AdversarialObjective, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>?) -> Double

private let parts: [(String, LossFunction)] = [
    ("real", { o, d, n, g in o.discriminatorReal(d, count: n, smoothing: 0.1, gradient: g, scale: 0.5) }),
    ("fake", { o, d, n, g in o.discriminatorFake(d, count: n, gradient: g, scale: 0.5) }),
    ("generator", { o, d, n, g in o.generator(d, count: n, gradient: g, scale: 0.5) }),
]

@Test(arguments: AdversarialObjective.allCases)
func adversarialGradientsMatchFiniteDifferences(objective: AdversarialObjective) {
    for (name, part) in parts {
        var d = logits(16, seed: 3)
        var grad = [Float](repeating: 0, count: 16)
        _ = part(objective, d, 16, &grad)
        let report = d.withUnsafeMutableBufferPointer { dp in
            GradientCheck.compare(values: dp, analytic: grad, epsilon: 1e-3) { 0.5 * part(objective, dp.baseAddress!, 16, nil) }
        }
        #expect(report.relativeError < 1e-2, "\(objective) \(name): \(report)")
    }
}

/// Known values: at d = 0, D(x) = ½, so the log-likelihood losses are log 2.
@Test func adversarialLossesHaveTheirTextbookValues() {
    let zero: [Float] = [0]
    let log2 = 0.693_147_18
    #expect(abs(AdversarialObjective.nonSaturating.discriminatorReal(zero, count: 1, gradient: nil, scale: 1) - log2) < 1e-6)
    #expect(abs(AdversarialObjective.nonSaturating.discriminatorFake(zero, count: 1, gradient: nil, scale: 1) - log2) < 1e-6)
    #expect(abs(AdversarialObjective.nonSaturating.generator(zero, count: 1, gradient: nil, scale: 1) - log2) < 1e-6)
    #expect(abs(AdversarialObjective.minimax.generator(zero, count: 1, gradient: nil, scale: 1) + log2) < 1e-6)
    let two: [Float] = [2]
    #expect(AdversarialObjective.leastSquares.discriminatorReal(two, count: 1, gradient: nil, scale: 1) == 0.5)
    #expect(AdversarialObjective.leastSquares.generator(two, count: 1, gradient: nil, scale: 1) == 0.5)
    #expect(AdversarialObjective.hinge.discriminatorReal(two, count: 1, gradient: nil, scale: 1) == 0)
    #expect(AdversarialObjective.hinge.discriminatorFake(two, count: 1, gradient: nil, scale: 1) == 3)
    #expect(AdversarialObjective.wasserstein.discriminatorFake(two, count: 1, gradient: nil, scale: 1) == 2)
    #expect(AdversarialObjective.wasserstein.generator(two, count: 1, gradient: nil, scale: 1) == -2)
    // One-sided smoothing moves the real target to 0.9: the BCE minimum is at σ(d) = 0.9.
    var g: [Float] = [0]
    let d09: [Float] = [Float(0.9 / 0.1).logAsFloat]
    _ = AdversarialObjective.minimax.discriminatorReal(d09, count: 1, smoothing: 0.1, gradient: &g, scale: 1)
    #expect(abs(g[0]) < 1e-6)
}

extension Float {
    var logAsFloat: Float { Float(Foundation_log(Double(self))) }
}
