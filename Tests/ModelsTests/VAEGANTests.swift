import Testing
import NN
import Spec
@testable import Models

private let adam = OptimizerSpec.adam(lr: 0.005, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

private func vaegan(featureLayer: Int = 0, gamma: Float = 1) throws -> VAEGAN {
    let spec = VAEGANSpec(
        latent: 2, beta: 1, gamma: gamma, featureLayer: featureLayer,
        encoder: [.dense(units: 16, activation: .relu, batchNorm: false, initializer: .he)],
        decoder: [.dense(units: 16, activation: .relu, batchNorm: true, initializer: .he),
                  .dense(units: 12, activation: .tanh, batchNorm: false, initializer: .glorot)],
        discriminator: [.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he),
                        .dense(units: 8, activation: .leakyReLU(slope: 0.2), batchNorm: true, initializer: .he)],
        loss: .nonSaturating,
        schedule: AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam))
    return try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [12], seed: 0, file: "v.json")
}

/// 4 prototypes in [−1, 1]; example i is prototype i % 4.
private func prototypes(count: Int) -> [Float] {
    (0..<count).flatMap { i in (0..<12).map { p in (p / 3) == (i % 4) ? Float(0.9) : Float(-0.9) } }
}

@Test func vaeganTrainsAndReconstructs() throws {
    let model = try vaegan()
    let data = prototypes(count: 8)
    var totals = [Double](repeating: 0, count: 4)
    func pixelError() -> Double {
        var rng = RandomStream(seed: 1)
        var t = [Double](repeating: 0, count: 3)
        model.evaluate(data, batch: 8, rng: &rng, totals: &t)
        return t[2] / 8
    }
    let before = pixelError()
    for _ in 0..<400 { model.trainStep(data, batch: 8, totals: &totals) }
    let after = pixelError()
    #expect(after < 0.5 * before, "pixel error went from \(before) to \(after)")
    #expect(totals.allSatisfy { $0.isFinite })
    #expect(model.nonFiniteNetwork == nil)
    #expect(model.stepCount == 400)
}

@Test func vaeganIsDeterministicAndEvaluationChangesNothing() throws {
    func train() throws -> [Float] {
        let model = try vaegan(featureLayer: 1)
        var totals = [Double](repeating: 0, count: 4)
        for _ in 0..<10 { model.trainStep(prototypes(count: 8), batch: 8, totals: &totals) }
        let before = model.checkpointBuffers.flatMap { Array($0.buffer) }
        var rng = RandomStream(seed: 3)
        var t = [Double](repeating: 0, count: 3)
        model.evaluate(prototypes(count: 8), batch: 8, rng: &rng, totals: &t)
        #expect(model.checkpointBuffers.flatMap { Array($0.buffer) } == before)
        return before
    }
    #expect(try train() == train())
}

@Test func featureLayerMustExist() {
    #expect(throws: SpecError.self) { try vaegan(featureLayer: 2) }
}

/// Larsen et al.'s objective against central differences, one network at a time: with learning
/// rates of 0 a step leaves every weight alone and each network's gradient buffer holds the
/// gradient of *its* objective — discriminator L_D(x) + L_D(x̃) + L_D(x_p), decoder
/// γ·L_llike + L_G(x̃) + L_G(x_p), encoder β·L_prior + L_llike — which the reported terms
/// recompute. Restoring the noise stream before each step fixes every ε and z_p.
@Test(arguments: [GANLoss.nonSaturating, .leastSquares, .wasserstein])
func vaeganObjectivesMatchFiniteDifferences(loss: GANLoss) throws {
    try checkObjectives(loss: loss, weights: VAEGANLossWeights())
}

/// The same with the adversarial terms weighted (`discriminator_weights`, `decoder_weights`): the
/// reported d_loss and g_loss are the weighted sums each network minimises, and a weight of 0
/// drops its term (no discriminator pass on x̃ here).
@Test(arguments: [VAEGANLossWeights(discriminatorReal: 0.5, discriminatorReconstructed: 0.25, discriminatorPrior: 1.5,
                                    decoderReconstructed: 0.3, decoderPrior: 2),
                  VAEGANLossWeights(discriminatorReconstructed: 0, decoderReconstructed: 0, decoderPrior: 0.5)])
func weightedVAEGANObjectivesMatchFiniteDifferences(weights: VAEGANLossWeights) throws {
    try checkObjectives(loss: .nonSaturating, weights: weights)
}

private func checkObjectives(loss: GANLoss, weights: VAEGANLossWeights) throws {
    let frozen = OptimizerSpec.sgd(lr: 0, momentum: 0, nesterov: false, weightDecay: 0)
    let beta: Float = 2, gamma: Float = 0.5
    let spec = VAEGANSpec(
        latent: 2, beta: beta, gamma: gamma, featureLayer: 0,
        encoder: [.dense(units: 5, activation: .tanh, batchNorm: false, initializer: .glorot)],
        decoder: [.dense(units: 5, activation: .tanh, batchNorm: true, initializer: .glorot),
                  .dense(units: 6, activation: .tanh, batchNorm: false, initializer: .glorot)],
        discriminator: [.dense(units: 4, activation: .tanh, batchNorm: false, initializer: .glorot),
                        .dense(units: 3, activation: .softplus, batchNorm: false, initializer: .glorot)],
        loss: loss,
        schedule: AdversarialSchedule(generatorOptimizer: frozen, discriminatorOptimizer: frozen, encoderOptimizer: frozen),
        weights: weights)
    let model = try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 4, optimizer: frozen),
                           dataShape: [6], seed: 5, file: "v.json")
    let data = (0..<24).map { Float(($0 * 7) % 11) / 11 * 1.6 - 0.8 }
    let streams = model.randomStreams
    func terms() -> [Double] {
        model.randomStreams = streams
        var totals = [Double](repeating: 0, count: 4)   // d_loss, g_loss, recon, kl (batch sums)
        model.trainStep(data, batch: 4, totals: &totals)
        return totals.map { $0 / 4 }
    }
    let objectives: [(Network, ([Double]) -> Double)] = [
        (model.discriminator, { $0[0] }),
        (model.decoder, { Double(gamma) * $0[2] + $0[1] }),
        (model.encoder, { Double(beta) * $0[3] + $0[2] }),
    ]
    for (network, objective) in objectives {
        _ = terms()
        let analytic = Array(network.gradients)
        let report = GradientCheck.compare(values: network.parameters, analytic: analytic, epsilon: 1e-2) { objective(terms()) }
        #expect(report.relativeError < 2e-2, "\(loss) \(weights) \(network.name): \(report)")
    }
}
