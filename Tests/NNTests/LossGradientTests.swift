import Testing
@testable import NN

private func randomValues(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var r = RandomStream(seed: seed)
    return (0..<n).map { _ in scale * r.nextNormal() }
}

@Test func bernoulliGradientMatchesFiniteDifferences() {
    var logits = randomValues(20, seed: 1, scale: 3)
    var r = RandomStream(seed: 2)
    let targets = (0..<20).map { _ in r.nextUniform() }   // soft targets in [0, 1]
    var grad = [Float](repeating: 0, count: 20)
    _ = BernoulliLoss.evaluate(logits: logits, targets: targets, count: 20, gradient: &grad, scale: 1)
    let report = logits.withUnsafeMutableBufferPointer { lp in
        GradientCheck.compare(values: lp, analytic: grad, epsilon: 1e-2) {
            BernoulliLoss.evaluate(logits: lp.baseAddress!, targets: targets, count: 20, gradient: nil)
        }
    }
    #expect(report.relativeError < 1e-2, "\(report)")
}

@Test func bernoulliLossMatchesTheDefinition() {
    let logits: [Float] = [-30, -2, 0, 0.5, 3, 30]
    let targets: [Float] = [0, 1, 1, 0, 1, 1]
    var expected = 0.0
    for i in 0..<6 {
        let p = 1 / (1 + Foundation_exp(-Double(logits[i])))
        let x = Double(targets[i])
        expected -= x * Foundation_log(max(p, 1e-300)) + (1 - x) * Foundation_log(max(1 - p, 1e-300))
    }
    let got = BernoulliLoss.evaluate(logits: logits, targets: targets, count: 6, gradient: nil)
    #expect(abs(got - expected) < 1e-4 * expected, "expected \(expected), got \(got)")
}

@Test func gaussianLossMatchesDefinitionAndGradient() {
    var mean = randomValues(10, seed: 3)
    let targets = randomValues(10, seed: 4)
    var grad = [Float](repeating: 0, count: 10)
    let sigma: Float = 0.5
    let got = GaussianLoss.evaluate(mean: mean, targets: targets, count: 10, sigma: sigma, gradient: &grad)
    var expected = 0.0
    for i in 0..<10 {
        let d = Double(mean[i] - targets[i])
        expected += d * d / (2 * 0.25) + Foundation_log(0.5) + 0.5 * Foundation_log(2 * Double.pi)
    }
    #expect(abs(got - expected) < 1e-4 * abs(expected))
    let report = mean.withUnsafeMutableBufferPointer { mp in
        GradientCheck.compare(values: mp, analytic: grad, epsilon: 1e-2) {
            GaussianLoss.evaluate(mean: mp.baseAddress!, targets: targets, count: 10, sigma: sigma, gradient: nil)
        }
    }
    #expect(report.relativeError < 1e-2, "\(report)")
}

@Test func gaussianKLMatchesClosedFormAndGradient() {
    let batch = 3, latent = 4
    var stats = randomValues(batch * 2 * latent, seed: 5)
    var grad = [Float](repeating: 0, count: stats.count)
    var perDim = [Double](repeating: 0, count: latent)
    let total = GaussianKL.evaluate(meanLogVariance: stats, batch: batch, latent: latent, gradient: &grad, perDimension: &perDim)
    var expected = 0.0
    for n in 0..<batch {
        for z in 0..<latent {
            let m = Double(stats[n * 8 + z]), lv = Double(stats[n * 8 + 4 + z])
            expected += 0.5 * (m * m + Foundation_exp(lv) - 1 - lv)
        }
    }
    #expect(abs(total - expected) < 1e-5 * expected)
    #expect(abs(perDim.reduce(0, +) - total) < 1e-9)
    let report = stats.withUnsafeMutableBufferPointer { sp in
        GradientCheck.compare(values: sp, analytic: grad, epsilon: 1e-2) {
            GaussianKL.evaluate(meanLogVariance: sp.baseAddress!, batch: batch, latent: latent, gradient: nil)
        }
    }
    #expect(report.relativeError < 1e-2, "\(report)")
}

@Test func klOfTheStandardNormalIsZero() {
    let stats = [Float](repeating: 0, count: 2 * 5)
    #expect(GaussianKL.evaluate(meanLogVariance: stats, batch: 1, latent: 5, gradient: nil) == 0)
}

/// The oracle itself must catch a wrong gradient: a 10 % error is reported as such.
@Test func gradientCheckFlagsAWrongGradient() {
    var logits = randomValues(10, seed: 8)
    let targets = [Float](repeating: 1, count: 10)
    var grad = [Float](repeating: 0, count: 10)
    _ = BernoulliLoss.evaluate(logits: logits, targets: targets, count: 10, gradient: &grad)
    let wrong = grad.map { $0 * 1.1 }
    let report = logits.withUnsafeMutableBufferPointer { lp in
        GradientCheck.compare(values: lp, analytic: wrong) {
            BernoulliLoss.evaluate(logits: lp.baseAddress!, targets: targets, count: 10, gradient: nil)
        }
    }
    #expect(report.relativeError > 0.05)
}

@Test func softmaxCrossEntropyMatchesDefinitionAndGradient() {
    let batch = 4, classes = 5
    var logits = randomValues(batch * classes, seed: 11, scale: 3)
    let labels: [Int32] = [0, 4, 2, 2]
    var grad = [Float](repeating: 0, count: logits.count)
    let got = SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels, batch: batch, classes: classes, gradient: &grad)
    var expected = 0.0
    for b in 0..<batch {
        let row = (0..<classes).map { Double(logits[b * classes + $0]) }
        let normaliser = row.map { Foundation_exp($0) }.reduce(0, +)
        expected -= Foundation_log(Foundation_exp(row[Int(labels[b])]) / normaliser)
    }
    #expect(abs(got - expected) < 1e-5 * expected, "expected \(expected), got \(got)")
    let report = logits.withUnsafeMutableBufferPointer { lp in
        GradientCheck.compare(values: lp, analytic: grad, epsilon: 1e-2) {
            SoftmaxCrossEntropy.evaluate(logits: lp.baseAddress!, labels: labels, batch: batch, classes: classes, gradient: nil)
        }
    }
    #expect(report.relativeError < 1e-2, "\(report)")
    var predicted = [Int32](repeating: -1, count: batch)
    SoftmaxCrossEntropy.argmax(logits: logits, batch: batch, classes: classes, into: &predicted)
    for b in 0..<batch {
        let row = logits[(b * classes)..<((b + 1) * classes)]
        #expect(Int(predicted[b]) == row.firstIndex(of: row.max()!)! - b * classes)
    }
}

@Test func logOfAtLeastOneIsAccurate() {
    for s: Float in [1, 1.5, 2, 3.7, 10, 1000, 65_000] {
        #expect(abs(Double(SoftmaxCrossEntropy.logOfAtLeastOne(s)) - Foundation_log(Double(s))) < 2e-6 * max(1, Foundation_log(Double(s))))
    }
}
