import Testing
import NN
import Spec
@testable import Models

// Conditional GAN and VAE: the discriminator's gradients through one-hot concatenation (vectors
// and maps) and through the projection head against finite differences, the CVAE decoder's
// gradient with respect to z, bit-exact restores with the label stream, and the memory plan.

private let adam = OptimizerSpec.adam(lr: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
private let schedule = AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam)
private let leaky = LayerSpec.dense(units: 6, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he)
private let conv = LayerSpec.conv(filters: 3, kernel: 3, stride: 2, padding: 1, activation: .tanh, batchNorm: false, initializer: .he)

/// A conditional GAN on 1×4×4 images with 3 classes and the given discriminator.
private func gan(_ kind: ConditioningSpec.Discriminator, discriminator: [LayerSpec], batch: Int = 4) throws -> GAN {
    let spec = GANSpec(latent: 2, prior: .normal,
                       generator: [.dense(units: 16, activation: .tanh, batchNorm: false, initializer: .glorot), .reshape([1, 4, 4])],
                       discriminator: discriminator, loss: .nonSaturating, schedule: schedule,
                       conditioning: ConditioningSpec(classes: 3, discriminator: kind))
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: batch, optimizer: adam), dataShape: [1, 4, 4], seed: 5, file: "c.json")
}

private func cvae(encoder: [LayerSpec] = [leaky], batch: Int = 4) throws -> VAE {
    let spec = VAESpec(latent: 2, beta: 1, betaWarmupSteps: 0, likelihood: .bernoulli, encoder: encoder, decoder: [leaky],
                       conditioning: ConditioningSpec(classes: 3))
    return try VAE(spec: spec, training: TrainingSpec(epochs: 1, batch: batch, optimizer: adam), dataShape: [1, 4, 4],
                   trainingExamples: 100, seed: 5, file: "c.json")
}

private let labels: [Int32] = [2, 0, 1, 2]
private let weights: [Float] = [0.8, -1.1, 0.5, 1.3]

private func randomBuffer(_ count: Int, seed: UInt64) -> UnsafeMutableBufferPointer<Float> {
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    var rng = RandomStream(seed: seed)
    for i in buffer.indices { buffer[i] = 0.5 * rng.nextNormal() }
    return buffer
}

@Test(arguments: ["concat-dense", "concat-conv", "projection", "projection-conv"])
func conditionalDiscriminatorGradientsMatchFiniteDifferences(kind: String) throws {
    let layers = kind.hasSuffix("conv") ? [conv] : [leaky]
    let model = try gan(kind.hasPrefix("concat") ? .concat : .projection, discriminator: layers)
    if kind == "concat-conv" { #expect(model.discriminator.inputShape == [4, 4, 4]) }   // C + K maps
    if kind == "concat-dense" { #expect(model.discriminator.inputShape == [16 + 3]) }
    let x = randomBuffer(4 * 16, seed: 1)                                         // (N, D)
    defer { x.deallocate() }
    let y = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 4)
    defer { y.deallocate() }
    _ = y.initialize(from: labels)
    func loss() -> Double {
        let d = model.discriminate(x.baseAddress!, labels: y.baseAddress!, batch: 4, mode: .evaluation)
        return (0..<4).reduce(0) { $0 + Double(weights[$1] * d[$1]) }
    }
    _ = loss()
    var dLogits = weights
    let dx = Array(UnsafeBufferPointer(start: model.discriminatorInputGradient(&dLogits, batch: 4), count: 4 * 16))
    let input = GradientCheck.compare(values: x, analytic: dx, loss: loss)
    #expect(input.relativeError < 1e-2, "∂L/∂x: \(input)")

    _ = loss()
    model.discriminator.zeroGradients()
    dLogits = weights
    _ = model.discriminator.backward(&dLogits, batch: 4, parameterGradients: true, inputGradient: false)
    let analytic = Array(model.discriminator.gradients)
    let parameters = GradientCheck.compare(values: model.discriminator.parameters, analytic: analytic, loss: loss)
    #expect(parameters.relativeError < 1e-2, "∂L/∂θ: \(parameters)")
    if kind.hasPrefix("projection") {
        let embedding = model.discriminator.namedBuffers(prefix: "d").first { $0.name.hasSuffix("embedding") }
        #expect(embedding?.shape == [3, model.discriminator.layers.last!.inputSize])
    }
}

@Test func theConditionalDecodersCodeGradientMatchesFiniteDifferences() throws {
    let model = try cvae()
    let z = randomBuffer(4 * 2, seed: 2), x = randomBuffer(4 * 16, seed: 3)
    defer { z.deallocate(); x.deallocate() }
    for i in x.indices { x[i] = x[i] > 0 ? 1 : 0 }
    func loss(gradient: UnsafeMutablePointer<Float>?) -> Double {
        labels.withUnsafeBufferPointer { y in
            let out = model.decoder.forward(model.decoderInput(z.baseAddress!, labels: y.baseAddress!, count: 4), batch: 4, mode: .evaluation)
            return BernoulliLoss.evaluate(logits: out, targets: x.baseAddress!, count: 64, gradient: gradient, scale: 1)
        }
    }
    let dOut = UnsafeMutablePointer<Float>.allocate(capacity: 64)
    defer { dOut.deallocate() }
    _ = loss(gradient: dOut)
    let dz = Array(UnsafeBufferPointer(start: model.decoderCodeGradient(model.decoder.backward(dOut, batch: 4, inputGradient: true)!, count: 4),
                                       count: 8))
    let report = GradientCheck.compare(values: z, analytic: dz) { loss(gradient: nil) }
    #expect(report.relativeError < 1e-2, "\(report)")
}

@Test func labelsChangeWhatIsGenerated() throws {
    let model = try gan(.projection, discriminator: [leaky])
    let codes: [Float] = [0.3, -0.7, 0.3, -0.7]
    var out = [Float](repeating: 0, count: 32)
    model.decodeMean(codes, labels: [Int32]([0, 1]), count: 2, into: &out)
    #expect(Array(out[0..<16]) != Array(out[16..<32]))
    var balanced = [Float](repeating: 0, count: 32)
    model.decodeMean(codes, count: 2, into: &balanced)   // classes 0, 1
    #expect(balanced == out)
}

/// A batch of 4 examples in (0, 1) with labels, fresh for each step `t`.
private func step(_ model: any ConditionalModel, _ t: Int) {
    var rng = RandomStream(seed: UInt64(t), purpose: "batch")
    let x = (0..<64).map { _ in 0.05 + 0.9 * rng.nextUniform() }
    let y = (0..<4).map { _ in Int32(rng.nextInt(below: 3)) }
    var totals = [Double](repeating: 0, count: model.trainTerms.count)
    model.trainStep(x, labels: y, batch: 4, totals: &totals)
}

@Test(arguments: ["gan", "cvae"])
func aRestoredConditionalModelContinuesBitForBit(kind: String) throws {
    func make() throws -> any ConditionalModel { kind == "gan" ? try gan(.projection, discriminator: [leaky]) : try cvae(encoder: [conv]) }
    let original = try make()
    for t in 0..<5 { step(original, t) }
    if kind == "gan" { #expect(original.randomStreams["labels"] != nil) }
    let restored = try make()
    for (from, to) in zip(original.checkpointBuffers, restored.checkpointBuffers) { _ = to.buffer.update(fromContentsOf: from.buffer) }
    restored.counters = original.counters
    restored.randomStreams = original.randomStreams
    for t in 5..<9 { step(original, t); step(restored, t) }
    let a = original.checkpointBuffers.map { Array($0.buffer) }, b = restored.checkpointBuffers.map { Array($0.buffer) }
    #expect(a == b)
}

@Test func thePlanCountsTheConditionalBuffers() throws {
    for model in [try gan(.concat, discriminator: [conv], batch: 5), try gan(.projection, discriminator: [leaky], batch: 5)] as [GAN] {
        let plan = try ModelPlan.gan(model.spec, training: TrainingSpec(epochs: 1, batch: 5, optimizer: adam), dataShape: [1, 4, 4], file: "c.json")
        #expect(plan.floats == model.heldFloats)
    }
    let vae = try cvae(encoder: [conv], batch: 5)
    let plan = try ModelPlan.vae(vae.spec, training: TrainingSpec(epochs: 1, batch: 5, optimizer: adam), dataShape: [1, 4, 4], file: "c.json")
    #expect(plan.floats == vae.heldFloats)
}
