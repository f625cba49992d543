import Testing
import NN
import Spec
@testable import Models

private func tinySpec(latent: Int = 2, beta: Float = 1, warmup: Int = 0, likelihood: Likelihood = .bernoulli,
                      encoder: [LayerSpec]? = nil) -> VAESpec {
    VAESpec(latent: latent, beta: beta, betaWarmupSteps: warmup, likelihood: likelihood,
            encoder: encoder ?? [.dense(units: 16, activation: .relu, batchNorm: false, initializer: .he)],
            decoder: [.dense(units: 16, activation: .relu, batchNorm: true, initializer: .he)])
}

private let adam = TrainingSpec(epochs: 1, batch: 8, optimizer: .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0))

/// 4 binary prototypes of 12 pixels; example i is prototype i % 4.
private func prototypes(count: Int) -> [Float] {
    (0..<count).flatMap { i in (0..<12).map { p in Float(((p / 3) == (i % 4)) ? 1 : 0) } }
}

@Test func tinyVAELossFalls() throws {
    let vae = try VAE(spec: tinySpec(), training: adam, dataShape: [12], trainingExamples: 100, seed: 0, file: "t.json")
    let data = prototypes(count: 8)
    var totals = [Double](repeating: 0, count: 3)
    var first = 0.0, last = 0.0
    for step in 0..<300 {
        totals = [0, 0, 0]
        vae.trainStep(data, batch: 8, totals: &totals)
        if step == 0 { first = totals[0] / 8 }
        last = totals[0] / 8
    }
    #expect(first > 6, "initial loss \(first) should be near 12·log 2 ≈ 8.3")
    #expect(last < 0.3 * first, "loss fell only from \(first) to \(last)")
    #expect(vae.stepCount == 300)
    #expect(vae.nonFiniteNetwork == nil)
}

@Test func sameSeedGivesIdenticalTraining() throws {
    func train() throws -> [Float] {
        let vae = try VAE(spec: tinySpec(), training: adam, dataShape: [12], trainingExamples: 100, seed: 5, file: "t.json")
        let data = prototypes(count: 8)
        var totals = [Double](repeating: 0, count: 3)
        for _ in 0..<20 { vae.trainStep(data, batch: 8, totals: &totals) }
        return vae.checkpointBuffers.flatMap { Array($0.buffer) }
    }
    #expect(try train() == train())
}

@Test func evaluationChangesNothing() throws {
    let vae = try VAE(spec: tinySpec(), training: adam, dataShape: [12], trainingExamples: 100, seed: 1, file: "t.json")
    let data = prototypes(count: 8)
    var totals = [Double](repeating: 0, count: 3)
    vae.trainStep(data, batch: 8, totals: &totals)
    let before = vae.checkpointBuffers.flatMap { Array($0.buffer) }
    var rng = RandomStream(seed: 1, purpose: "eval")
    vae.evaluate(data, batch: 8, rng: &rng, totals: &totals)
    var out = [Float](repeating: 0, count: 8 * 12)
    vae.decodeMean([Float](repeating: 0.5, count: 16), count: 8, into: &out)
    #expect(vae.checkpointBuffers.flatMap { Array($0.buffer) } == before)
    #expect(out.allSatisfy { $0 > 0 && $0 < 1 })
}

@Test func betaWarmsUpLinearly() throws {
    let vae = try VAE(spec: tinySpec(beta: 4, warmup: 100), training: adam, dataShape: [12], trainingExamples: 100, seed: 0, file: "t.json")
    #expect(vae.beta(atStep: 25) == 1)
    #expect(vae.beta(atStep: 100) == 4)
    #expect(vae.beta(atStep: 1000) == 4)
}

@Test func gaussianLikelihoodTrains() throws {
    let vae = try VAE(spec: tinySpec(likelihood: .gaussian(sigma: 0.5)), training: adam, dataShape: [12], trainingExamples: 100, seed: 0, file: "t.json")
    let data = prototypes(count: 8)
    var totals = [Double](repeating: 0, count: 3)
    vae.trainStep(data, batch: 8, totals: &totals)
    let first = totals[1]
    for _ in 0..<200 { totals = [0, 0, 0]; vae.trainStep(data, batch: 8, totals: &totals) }
    #expect(totals[1] < first)
}

@Test func aReshapeThatDoesNotFitTheDataIsASpecError() {
    let spec = tinySpec(encoder: [.reshape([1, 5, 5])])
    #expect(throws: SpecError(file: "x.json", path: "model.encoder[0].reshape",
                              expected: "a shape with 12 elements (the input is [12])", found: "[1, 5, 5] with 25 elements")) {
        try VAE(spec: spec, training: adam, dataShape: [12], trainingExamples: 100, seed: 0, file: "x.json")
    }
}

@Test func encoderAndDecoderHaveTheDeclaredShapes() throws {
    let vae = try VAE(spec: tinySpec(latent: 3), training: adam, dataShape: [1, 3, 4], trainingExamples: 100, seed: 0, file: "t.json")
    #expect(vae.encoder.outputSize == 6)
    #expect(vae.decoder.inputSize == 3)
    #expect(vae.decoder.outputSize == 12)
    // encoder: flatten, dense 12→16 relu, head 16→6; decoder: dense 3→16, BN, relu, head 16→12
    #expect(vae.encoder.parameterCount == 12 * 16 + 16 + 16 * 6 + 6)
    #expect(vae.decoder.parameterCount == 3 * 16 + 16 + 2 * 16 + 16 * 12 + 12)
}

/// The whole VAE objective, reparameterisation path included, against central differences: with a
/// learning rate of 0 a step leaves the weights alone and its gradients in the networks' buffers,
/// and restoring the noise stream before each step fixes ε.
@Test(arguments: [Float(1), 3])
func vaeObjectiveGradientMatchesFiniteDifferences(beta: Float) throws {
    let frozen = TrainingSpec(epochs: 1, batch: 4, optimizer: .sgd(lr: 0, momentum: 0, nesterov: false, weightDecay: 0))
    let spec = VAESpec(latent: 2, beta: beta, betaWarmupSteps: 0, likelihood: .bernoulli,
                       encoder: [.dense(units: 5, activation: .tanh, batchNorm: false, initializer: .glorot)],
                       decoder: [.dense(units: 5, activation: .softplus, batchNorm: false, initializer: .glorot)])
    let vae = try VAE(spec: spec, training: frozen, dataShape: [6], trainingExamples: 100, seed: 3, file: "t.json")
    let data = prototypes(count: 4).prefix(24).map { $0 * 0.8 + 0.1 }
    let streams = vae.randomStreams
    func loss() -> Double {
        vae.randomStreams = streams
        var totals = [Double](repeating: 0, count: 3)
        vae.trainStep(Array(data), batch: 4, totals: &totals)
        return totals[0] / 4
    }
    _ = loss()
    for network in [vae.encoder, vae.decoder] {
        let analytic = Array(network.gradients)
        let report = GradientCheck.compare(values: network.parameters, analytic: analytic, epsilon: 1e-2, loss: loss)
        #expect(report.relativeError < 2e-2, "\(network.name): \(report)")
    }
}
