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
