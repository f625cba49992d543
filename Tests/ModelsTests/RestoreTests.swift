import Testing
import NN
import Spec
import Models

// The restore API: a fresh model given another's checkpoint buffers, `counters` and
// `randomStreams` continues exactly as that model does.

private let adam = OptimizerSpec.adam(lr: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
private let relu16 = LayerSpec.dense(units: 16, activation: .relu, batchNorm: true, initializer: .he)
private let leaky16 = LayerSpec.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he)

/// A VAE with dropout in both networks and a β warm-up (reads the step count).
private func vae() throws -> any GenerativeModel {
    try vae(objective: .elbo)
}

/// FactorVAE: its discriminator (with dropout), optimiser and permutations must resume too.
private func factorVAE() throws -> any GenerativeModel {
    try vae(objective: .factorVAE(gamma: 5, discriminator: [leaky16, .dropout(rate: 0.2)], optimizer: adam))
}

/// Capacity annealing reads the step count.
private func capacityVAE() throws -> any GenerativeModel {
    try vae(objective: .capacity(gamma: 10, maxCapacity: 5, steps: 20))
}

private func vae(objective: VAEObjective) throws -> any GenerativeModel {
    let warmup = objective.usesModelBeta ? 10 : 0
    let spec = VAESpec(latent: 2, beta: 1, betaWarmupSteps: warmup, likelihood: .bernoulli,
                       encoder: [relu16, .dropout(rate: 0.2)], decoder: [.dropout(rate: 0.1), relu16], objective: objective)
    return try VAE(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [6], trainingExamples: 100, seed: 3, file: "v.json")
}

/// A GAN whose every counter matters: packing 2, 2 discriminator steps per generator step,
/// decaying instance noise, EMA, dropout in the discriminator.
private func gan() throws -> any GenerativeModel {
    let schedule = AdversarialSchedule(discriminatorSteps: 2, warmupSteps: 1, instanceNoise: 0.1, instanceNoiseDecaySteps: 20,
                                       packing: 2, ema: 0.9, generatorOptimizer: adam, discriminatorOptimizer: adam,
                                       encoderOptimizer: adam)
    let spec = GANSpec(latent: 2, prior: .normal, generator: [relu16, .dense(units: 6, activation: .linear, batchNorm: false, initializer: .glorot)],
                       discriminator: [leaky16, .dropout(rate: 0.3)], loss: .nonSaturating, schedule: schedule)
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 4, optimizer: adam), dataShape: [6], seed: 3, file: "g.json")
}

/// A GAN with spectral normalisation in both networks: u and v are state the checkpoint restores.
private func spectralGAN() throws -> any GenerativeModel {
    let normed = LayerSpec.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he, spectralNorm: true)
    let spec = GANSpec(latent: 2, prior: .normal,
                       generator: [normed, .dense(units: 6, activation: .linear, batchNorm: false, initializer: .glorot, spectralNorm: true)],
                       discriminator: [normed, normed], loss: .hinge,
                       schedule: AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam))
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [6], seed: 3, file: "g.json")
}

/// WGAN-GP with packing 2 and dropout in the critic: the penalty's draws come from the noise
/// stream, its dropout masks from the layer's.
private func penalisedGAN() throws -> any GenerativeModel {
    let schedule = AdversarialSchedule(discriminatorSteps: 2, packing: 2, gradientPenalty: .wganGP(lambda: 10),
                                       generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam)
    let spec = GANSpec(latent: 2, prior: .normal, generator: [relu16, .dense(units: 6, activation: .linear, batchNorm: false, initializer: .glorot)],
                       discriminator: [leaky16, .dropout(rate: 0.3), .maxout(units: 4, pieces: 2)], loss: .wasserstein, schedule: schedule)
    return try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 4, optimizer: adam), dataShape: [6], seed: 3, file: "g.json")
}

/// A VAE-GAN with DRAGAN's penalty (draws from the noise stream).
private func penalisedVAEGAN() throws -> any GenerativeModel {
    let spec = VAEGANSpec(latent: 2, beta: 1, gamma: 0.5, featureLayer: 0, encoder: [relu16],
                          decoder: [relu16, .dense(units: 6, activation: .tanh, batchNorm: false, initializer: .glorot)],
                          discriminator: [leaky16, .dropout(rate: 0.2)], loss: .nonSaturating,
                          schedule: AdversarialSchedule(gradientPenalty: .dragan(lambda: 10, c: 0.5), generatorOptimizer: adam,
                                                        discriminatorOptimizer: adam, encoderOptimizer: adam))
    return try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [6], seed: 3, file: "v.json")
}

/// A VAE-GAN trained as Larsen et al.'s code trains it: a narrow equilibrium band (so updates are
/// skipped and the optimisers' step counts part from `steps`) and the official real : generated
/// weighting of the discriminator's terms.
private func gatedVAEGAN() throws -> any GenerativeModel {
    let spec = VAEGANSpec(latent: 2, beta: 1, gamma: 0.5, featureLayer: 0, encoder: [relu16],
                          decoder: [relu16, .dense(units: 6, activation: .tanh, batchNorm: false, initializer: .glorot)],
                          discriminator: [leaky16, .dropout(rate: 0.2)], loss: .nonSaturating,
                          schedule: AdversarialSchedule(equilibrium: EquilibriumSpec(target: 0.66, margin: 0.02), generatorOptimizer: adam,
                                                        discriminatorOptimizer: adam, encoderOptimizer: adam),
                          weights: VAEGANLossWeights(discriminatorReal: 0.5, discriminatorReconstructed: 0.25, discriminatorPrior: 0.25))
    return try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [6], seed: 3, file: "v.json")
}

private func vaegan() throws -> any GenerativeModel {
    let spec = VAEGANSpec(latent: 2, beta: 1, gamma: 0.5, featureLayer: 0, encoder: [relu16], decoder: [relu16, .dense(units: 6, activation: .tanh, batchNorm: false, initializer: .glorot)],
                          discriminator: [leaky16, .dropout(rate: 0.2)], loss: .nonSaturating,
                          schedule: AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam))
    return try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [6], seed: 3, file: "v.json")
}

/// 8 examples of 6 values in (0, 1), fresh for each step `t`.
private func batch(_ t: Int) -> [Float] {
    var rng = RandomStream(seed: UInt64(t), purpose: "batch")
    return (0..<48).map { _ in 0.05 + 0.9 * rng.nextUniform() }
}

private func buffers(_ model: any GenerativeModel) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: model.checkpointBuffers.map { ($0.name, Array($0.buffer)) })
}

/// Steps `model` through steps `range` of the shared batch sequence.
private func train(_ model: any GenerativeModel, _ range: Range<Int>) {
    var totals = [Double](repeating: 0, count: model.trainTerms.count)
    for t in range { model.trainStep(batch(t), batch: 8, totals: &totals) }
}

/// Copies what a checkpoint holds from `source` into `target`; `counters` and `streams` can be
/// left out to show they matter.
private func copy(_ source: any GenerativeModel, into target: any GenerativeModel, counters: Bool = true, streams: Bool = true) {
    for (from, to) in zip(source.checkpointBuffers, target.checkpointBuffers) {
        precondition(from.name == to.name)
        _ = to.buffer.update(fromContentsOf: from.buffer)
    }
    if counters { target.counters = source.counters }
    if streams { target.randomStreams = source.randomStreams }
}

private func make(_ kind: String) throws -> any GenerativeModel {
    switch kind {
    case "gan": try gan()
    case "vae-gan": try vaegan()
    case "factor-vae": try factorVAE()
    case "capacity": try capacityVAE()
    case "gan-sn": try spectralGAN()
    case "gan-gp": try penalisedGAN()
    case "vae-gan-gp": try penalisedVAEGAN()
    case "vae-gan-gated": try gatedVAEGAN()
    default: try vae()
    }
}

@Test(arguments: ["vae", "gan", "vae-gan", "factor-vae", "capacity", "gan-sn", "gan-gp", "vae-gan-gp", "vae-gan-gated"])
func aRestoredModelContinuesBitForBit(kind: String) throws {
    let original = try make(kind)
    train(original, 0..<7)
    let restored = try make(kind)
    #expect(restored.counters != original.counters)
    copy(original, into: restored)
    #expect(restored.counters == original.counters)
    #expect(restored.randomStreams == original.randomStreams)
    train(original, 7..<13)
    train(restored, 7..<13)
    if kind == "vae-gan-gated" {   // the band is narrow enough that some updates were skipped
        let counters = original.counters, steps = try #require(counters["steps"])
        #expect(try #require(counters["optimizer.discriminator.steps"]) + #require(counters["optimizer.decoder.steps"]) < 2 * steps)
    }
    #expect(buffers(restored) == buffers(original))
    #expect(restored.counters == original.counters && restored.randomStreams == original.randomStreams)
}

@Test(arguments: ["vae", "gan", "vae-gan", "factor-vae", "gan-gp"])
func countersAndStreamsAreWhatMakesItExact(kind: String) throws {
    let original = try make(kind)
    train(original, 0..<7)
    let noCounters = try make(kind), noStreams = try make(kind)
    copy(original, into: noCounters, counters: false)
    copy(original, into: noStreams, streams: false)
    train(original, 7..<13)
    train(noCounters, 7..<13)
    train(noStreams, 7..<13)
    #expect(buffers(noCounters) != buffers(original))
    #expect(buffers(noStreams) != buffers(original))
}

@Test func dropoutStreamsAreNamedByNetworkAndLayer() throws {
    #expect(Set(try vae().randomStreams.keys) == ["noise", "encoder.layer3", "decoder.layer0"])
    #expect(Set(try factorVAE().randomStreams.keys) == ["noise", "encoder.layer3", "decoder.layer0", "discriminator.layer1"])
    #expect(Set(try factorVAE().counters.keys) == ["steps", "optimizer.encoder.steps", "optimizer.decoder.steps",
                                                   "optimizer.discriminator.steps"])
    #expect(Set(try gan().randomStreams.keys) == ["noise", "discriminator.layer1"])
    // Two generator layers, two discriminator layers and its head (every D layer is normalised).
    #expect(try spectralGAN().checkpointBuffers.filter { $0.name.hasSuffix("weight_u") }.count == 5)
    #expect(Set(try gan().counters.keys) == ["generator_steps", "discriminator_steps", "since_generator_step",
                                             "optimizer.generator.steps", "optimizer.discriminator.steps"])
}
