import Testing
import NN
import Spec
@testable import Models

private let adam = OptimizerSpec.adam(lr: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

private func schedule(_ change: (inout AdversarialSchedule) -> Void = { _ in }) -> AdversarialSchedule {
    var s = AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam)
    change(&s)
    return s
}

private func gan(loss: GANLoss = .nonSaturating, batch: Int = 16, discriminatorBatchNorm: Bool = false,
                 schedule s: AdversarialSchedule = schedule()) throws -> GAN {
    let spec = GANSpec(latent: 2, prior: .normal,
                       generator: [.dense(units: 16, activation: .relu, batchNorm: false, initializer: .he),
                                   .dense(units: 2, activation: .linear, batchNorm: false, initializer: .glorot)],
                       discriminator: [.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: discriminatorBatchNorm, initializer: .he)],
                       loss: loss, schedule: s)
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: batch, optimizer: adam), dataShape: [2], seed: 0, file: "g.json")
}

/// Points around (2, −1) with spread 0.1.
private func realBatch(_ n: Int, rng: inout RandomStream) -> [Float] {
    (0..<n).flatMap { _ in [2 + 0.1 * rng.nextNormal(), -1 + 0.1 * rng.nextNormal()] }
}

private func generatedMean(_ model: GAN) -> (Float, Float) {
    var rng = RandomStream(seed: 99)
    var codes = [Float](repeating: 0, count: 256 * 2)
    model.sampleLatent(into: &codes, count: 256, rng: &rng)
    var out = [Float](repeating: 0, count: 256 * 2)
    model.decodeMean(codes, count: 256, into: &out)
    var mx: Float = 0, my: Float = 0
    for i in 0..<256 { mx += out[2 * i] / 256; my += out[2 * i + 1] / 256 }
    return (mx, my)
}

@Test(arguments: GANLoss.allCases)
func generatorMovesTowardsTheData(loss: GANLoss) throws {
    let model = try gan(loss: loss, schedule: schedule { $0.weightClip = loss == .wasserstein ? 0.1 : nil })
    var rng = RandomStream(seed: 1)
    var totals = [Double](repeating: 0, count: 4)
    let (x0, y0) = generatedMean(model)
    for _ in 0..<400 { model.trainStep(realBatch(16, rng: &rng), batch: 16, totals: &totals) }
    let (x1, y1) = generatedMean(model)
    let before = ((x0 - 2) * (x0 - 2) + (y0 + 1) * (y0 + 1)).squareRoot()
    let after = ((x1 - 2) * (x1 - 2) + (y1 + 1) * (y1 + 1)).squareRoot()
    #expect(after < 0.5 * before, "\(loss): distance of the generated mean to the data mean went from \(before) to \(after)")
    #expect(totals.allSatisfy { $0.isFinite })
    #expect(model.nonFiniteNetwork == nil)
}

@Test func generatorStepLeavesTheDiscriminatorUntouched() throws {
    let model = try gan(discriminatorBatchNorm: true)
    var rng = RandomStream(seed: 2)
    _ = model.discriminatorStep(realBatch(16, rng: &rng), batch: 16)
    let parameters = Array(model.discriminator.parameters), state = Array(model.discriminator.state)
    let gradients = Array(model.discriminator.gradients), generatorBefore = Array(model.generator.parameters)
    _ = model.generatorStep(batch: 16)
    #expect(Array(model.discriminator.parameters) == parameters)
    #expect(Array(model.discriminator.state) == state, "running statistics changed")
    #expect(Array(model.discriminator.gradients) == gradients)
    #expect(Array(model.generator.parameters) != generatorBefore, "the generator did not learn")
}

@Test func scheduleCountsDiscriminatorAndGeneratorSteps() throws {
    let model = try gan(schedule: schedule { $0.discriminatorSteps = 3; $0.warmupSteps = 4 })
    var rng = RandomStream(seed: 3)
    var totals = [Double](repeating: 0, count: 4)
    for _ in 0..<4 { model.trainStep(realBatch(16, rng: &rng), batch: 16, totals: &totals) }
    #expect(model.stepCount == 0, "no generator step during the warm-up")
    for _ in 0..<9 { model.trainStep(realBatch(16, rng: &rng), batch: 16, totals: &totals) }
    #expect(model.discriminatorStepCount == 13)
    #expect(model.stepCount == 3)
    #expect(model.stepCounters.map(\.1) == [3, 13])
}

@Test func packingConcatenatesExamplesForTheDiscriminator() throws {
    // batch 4 discriminator inputs, each packing 3 examples: 12 examples per update.
    let model = try gan(batch: 4, schedule: schedule { $0.packing = 3 })
    #expect(model.discriminator.inputSize == 6)
    #expect(model.discriminator.maxBatch == 4)
    #expect(model.examplesPerStep == 12)
    var rng = RandomStream(seed: 4)
    var totals = [Double](repeating: 0, count: 4)
    for _ in 0..<5 { model.trainStep(realBatch(12, rng: &rng), batch: 12, totals: &totals) }
    #expect(totals.allSatisfy { $0.isFinite })
}

@Test func weightClippingBoundsTheCritic() throws {
    let model = try gan(loss: .wasserstein, schedule: schedule { $0.weightClip = 0.01 })
    var rng = RandomStream(seed: 5)
    var totals = [Double](repeating: 0, count: 4)
    for _ in 0..<20 { model.trainStep(realBatch(16, rng: &rng), batch: 16, totals: &totals) }
    #expect(model.discriminator.parameters.allSatisfy { abs($0) <= 0.01 })
}

@Test func emaWeightsAreUsedForSamplesAndLagTheTrainedOnes() throws {
    let plain = try gan(), averaged = try gan(schedule: schedule { $0.ema = 0.9 })
    var r1 = RandomStream(seed: 6), r2 = RandomStream(seed: 6)
    var t1 = [Double](repeating: 0, count: 4), t2 = t1
    for _ in 0..<50 {
        plain.trainStep(realBatch(16, rng: &r1), batch: 16, totals: &t1)
        averaged.trainStep(realBatch(16, rng: &r2), batch: 16, totals: &t2)
    }
    // The same training (EMA does not feed back), different samples.
    #expect(Array(plain.generator.parameters) == Array(averaged.generator.parameters))
    let (a, _) = generatedMean(plain), (b, _) = generatedMean(averaged)
    #expect(a != b)
    #expect(averaged.checkpointBuffers.contains { $0.name == "generator_ema" })
}

/// A generator with batch norm (and, optionally, dropout): dense 16 + BN + ReLU [→ dropout] → dense 2.
private func batchNormGAN(ema: Float?, batch: Int, dropout: Bool = false) throws -> GAN {
    let hidden: [LayerSpec] = [.dense(units: 16, activation: .relu, batchNorm: true, initializer: .he)] + (dropout ? [.dropout(rate: 0.25)] : [])
    let spec = GANSpec(latent: 2, prior: .normal,
                       generator: hidden + [.dense(units: 2, activation: .linear, batchNorm: false, initializer: .glorot)],
                       discriminator: [.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he)],
                       loss: .nonSaturating, schedule: schedule { $0.ema = ema })
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: batch, optimizer: adam), dataShape: [2], seed: 0, file: "g.json")
}

private func relativeDistance(_ a: [Float], _ b: [Float]) -> Float {
    var d: Float = 0, n: Float = 0
    for i in a.indices { d += (a[i] - b[i]) * (a[i] - b[i]); n += b[i] * b[i] }
    return (d / n).squareRoot()
}

@Test func emaSamplesUseBatchNormStatisticsOfTheAveragedWeights() throws {
    // Untrained, so the EMA weights are the trained ones, while the running statistics are still
    // their initial (0, 1): sampling must use statistics of the weights, not those.
    let averaged = try batchNormGAN(ema: 0.9, batch: 256), plain = try batchNormGAN(ema: nil, batch: 256)
    var rng = RandomStream(seed: 11)
    var codes = [Float](repeating: 0, count: 256 * 2)
    averaged.sampleLatent(into: &codes, count: 256, rng: &rng)
    let reference = codes.withUnsafeBufferPointer {   // batch statistics of these very codes
        Array(UnsafeBufferPointer(start: averaged.generator.forward($0.baseAddress!, batch: 256, mode: .trainingFrozen), count: 512))
    }
    var withStanding = [Float](repeating: 0, count: 512), withRunning = withStanding
    averaged.decodeMean(codes, count: 256, into: &withStanding)
    plain.decodeMean(codes, count: 256, into: &withRunning)
    let standingError = relativeDistance(withStanding, reference), runningError = relativeDistance(withRunning, reference)
    #expect(standingError < 0.1, "EMA samples are \(standingError) away from the batch-statistics output")
    #expect(runningError > 3 * standingError, "the initial running statistics (\(runningError)) should be far worse")
}

@Test func emaSamplingIsRepeatableAndLeavesTrainingUnchanged() throws {
    let sampled = try batchNormGAN(ema: 0.9, batch: 32, dropout: true), twin = try batchNormGAN(ema: 0.9, batch: 32, dropout: true)
    var r1 = RandomStream(seed: 12), r2 = RandomStream(seed: 12)
    var t1 = [Double](repeating: 0, count: 4), t2 = t1
    func state(_ m: GAN) -> [Float] { m.checkpointBuffers.flatMap { Array($0.buffer) } }
    for _ in 0..<20 {
        sampled.trainStep(realBatch(32, rng: &r1), batch: 32, totals: &t1)
        twin.trainStep(realBatch(32, rng: &r2), batch: 32, totals: &t2)
    }
    let before = state(sampled), streams = sampled.randomStreams
    let first = generatedMean(sampled), second = generatedMean(sampled)
    #expect(first == second, "two samplings at one step differ")
    #expect(state(sampled) == before, "sampling changed weights, statistics or optimiser state")
    #expect(sampled.randomStreams == streams, "sampling advanced a random stream")
    for _ in 0..<5 {
        sampled.trainStep(realBatch(32, rng: &r1), batch: 32, totals: &t1)
        twin.trainStep(realBatch(32, rng: &r2), batch: 32, totals: &t2)
    }
    #expect(state(sampled) == state(twin), "sampling fed back into training")
}

@Test func sameSeedGivesIdenticalAdversarialTraining() throws {
    func train() throws -> [Float] {
        let model = try gan(schedule: schedule { $0.instanceNoise = 0.1; $0.instanceNoiseDecaySteps = 10; $0.labelSmoothing = 0.1 })
        var rng = RandomStream(seed: 7)
        var totals = [Double](repeating: 0, count: 4)
        for _ in 0..<30 { model.trainStep(realBatch(16, rng: &rng), batch: 16, totals: &totals) }
        return model.checkpointBuffers.flatMap { Array($0.buffer) }
    }
    #expect(try train() == train())
}

@Test func aGeneratorThatMissesTheDataShapeIsASpecError() {
    let spec = GANSpec(latent: 2, prior: .uniform, generator: [.dense(units: 3, activation: .tanh, batchNorm: false, initializer: .glorot)],
                       discriminator: [], loss: .hinge, schedule: schedule())
    #expect(throws: SpecError(file: "g.json", path: "model.generator", expected: "layers ending at the data's shape [2] (2 elements)",
                              found: "an output of shape [3]")) {
        try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 4, optimizer: adam), dataShape: [2], seed: 0, file: "g.json")
    }
}
