// Dimensions: N batch, D data (pixels or coordinates), Z latent, M packing (N/M discriminator examples).
import NN
import Spec

/// A generative adversarial network (Goodfellow et al. 2014) with a declarative schedule.
///
/// One call of `trainStep` is one discriminator update on a real batch of N = M·batch examples,
/// packed into `batch` discriminator inputs as PacGAN does (concatenation is a reinterpretation of
/// contiguous memory); after every `discriminatorSteps` discriminator updates, once the warm-up is over, one
/// generator update follows. `stepCount` counts generator updates; `stepCounters` reports both.
/// The generator's step backpropagates through the discriminator in `trainingFrozen` mode and
/// without parameter gradients, so the discriminator's weights, gradients and statistics do not
/// change.
///
/// With `spec.conditioning` it is a conditional GAN: the generator sees [z | onehot(y)], the
/// discriminator sees y by concatenation or projection (`GAN+Conditioning.swift`).
public final class GAN: ConditionalModel {
    public let spec: GANSpec
    public let generator: Network
    public let discriminator: Network
    public let latent: Int
    public let dataSize: Int
    public let maxBatch: Int
    /// With a gradient penalty, also `d_penalty` (its value) and `d_grad_norm` (mean ‖∇ₓD‖ at its points).
    public let trainTerms: [String]
    public let termNetworks: [String]
    public let evaluationTerms = ["d_loss", "d_real", "d_fake"]
    public private(set) var stepCount = 0
    public private(set) var discriminatorStepCount = 0
    public let usesSymmetricImages: Bool
    /// Examples per update: `training.batch` × packing.
    public var examplesPerStep: Int { maxBatch }

    private let objective: AdversarialObjective
    private let schedule: AdversarialSchedule
    private let generatorOptimizer: Optimizer
    private let discriminatorOptimizer: Optimizer
    private let penalty: GradientPenalty?
    private var noise: RandomStream
    private let ema: UnsafeMutableBufferPointer<Float>?   // EMA copy of the generator's parameters
    private let emaStatistics: UnsafeMutableBufferPointer<Float>?  // standing batch-norm statistics of `ema`
    private var emaStatisticsStep = -1                   // the generator step they were computed at
    private let seed: UInt64
    private let z: Tensor           // (N, Z)
    private let real: Tensor        // (N, D)  real batch with instance noise
    private let fake: Tensor        // (N, D)  generated batch (+ instance noise)
    private let dLogits: Tensor     // (N/M)   ∂L/∂d
    private var sinceGeneratorStep = 0
    /// K for a conditional GAN, else 0.
    public let classCount: Int
    let generatorInput: LabelledInput?       // [z | onehot(y)]
    let discriminatorInput: LabelledInput?   // [x | onehot(y)] for a concatenation discriminator
    let projection: ProjectionHead?          // the head of a projection discriminator
    let fakeLabels: UnsafeMutableBufferPointer<Int32>   // (N) labels of the generated batch
    var labelStream: RandomStream            // (seed, "labels"): labels of generated batches

    public init(spec: GANSpec, training: TrainingSpec, dataShape: [Int], seed: UInt64, file: String) throws(SpecError) {
        let plan = try ModelPlan.gan(spec, training: training, dataShape: dataShape, file: file)
        self.spec = spec
        schedule = spec.schedule
        latent = spec.latent
        dataSize = dataShape.reduce(1, *)
        // PacGAN keeps the number of discriminator inputs per update at `training.batch`: each
        // input packs M examples, so an update uses M·batch real and M·batch generated examples.
        let packing = schedule.packing
        maxBatch = training.batch * packing
        usesSymmetricImages = dataShape.count == 3
        // The discriminator sees M examples packed side by side (see `ModelPlan.gan`).
        let team = ThreadTeam(size: training.threads)
        generator = Network(name: "generator", layers: plan.network("generator").plan.makeLayers(), maxBatch: maxBatch, team: team)
        discriminator = Network(name: "discriminator", layers: plan.network("discriminator").plan.makeLayers(),
                                maxBatch: training.batch, team: team)
        let initStream = RandomStream(seed: seed, purpose: "init")
        generator.initialize(rng: initStream.derived("generator"))
        discriminator.initialize(rng: initStream.derived("discriminator"))
        generatorOptimizer = Optimizer(OptimizerRule(schedule.generatorOptimizer), for: generator)
        discriminatorOptimizer = Optimizer(OptimizerRule(schedule.discriminatorOptimizer), for: discriminator)
        objective = AdversarialObjective(spec.loss)
        if let rule = schedule.gradientPenalty {
            penalty = GradientPenalty(GradientPenalty.Kind(rule), discriminator: discriminator)
        } else {
            penalty = nil
        }
        let terms = ["d_loss", "g_loss", "d_real", "d_fake"] + (penalty == nil ? [] : ["d_penalty", "d_grad_norm"])
        trainTerms = terms
        termNetworks = ["discriminator", "generator"] + Array(repeating: "discriminator", count: terms.count - 2)
        noise = RandomStream(seed: seed, purpose: "noise")
        self.seed = seed
        if schedule.ema != nil {
            let copy = UnsafeMutableBufferPointer<Float>.allocate(capacity: generator.parameterCount)
            _ = copy.initialize(from: generator.parameters)
            ema = copy
            emaStatistics = .allocate(capacity: generator.state.count)
        } else {
            ema = nil
            emaStatistics = nil
        }
        z = Tensor(shape: [maxBatch, latent])
        real = Tensor(shape: [maxBatch, dataSize])
        fake = Tensor(shape: [maxBatch, dataSize])
        dLogits = Tensor(shape: [maxBatch / packing])
        classCount = spec.conditioning?.classes ?? 0
        let n = maxBatch
        generatorInput = plan.labelInputs["generator"].map { LabelledInput($0, maxBatch: n, withGradient: false) }
        discriminatorInput = plan.labelInputs["discriminator"].map { LabelledInput($0, maxBatch: training.batch, withGradient: true) }
        projection = discriminator.layers.last as? ProjectionHead
        fakeLabels = .allocate(capacity: classCount > 0 ? maxBatch : 0)
        labelStream = RandomStream(seed: seed, purpose: "labels")
    }

    deinit { ema?.deallocate(); emaStatistics?.deallocate(); fakeLabels.deallocate() }

    /// Floats the model holds: networks, optimiser state, the EMA copy and its own buffers (what
    /// `ModelPlan` estimates from shapes).
    public var heldFloats: Int {
        generator.heldFloats + discriminator.heldFloats + generatorOptimizer.heldFloats + discriminatorOptimizer.heldFloats
            + (ema?.count ?? 0) + (emaStatistics?.count ?? 0) + [z, real, fake, dLogits].reduce(0) { $0 + $1.capacity }
            + (penalty?.heldFloats ?? 0) + conditioningFloats
    }

    /// Batches of `examplesPerStep` prior codes whose batch-norm statistics are averaged into the
    /// EMA generator's standing statistics.
    public static let standingStatisticsBatches = 32

    /// Instance-noise σ at the current generator step (linear decay to 0 when a decay is set).
    public var instanceNoise: Float {
        guard schedule.instanceNoise > 0 else { return 0 }
        guard schedule.instanceNoiseDecaySteps > 0 else { return schedule.instanceNoise }
        return schedule.instanceNoise * max(0, 1 - Float(stepCount) / Float(schedule.instanceNoiseDecaySteps))
    }

    public func trainStep(_ x: UnsafePointer<Float>, batch: Int, totals: UnsafeMutablePointer<Double>) {
        trainStep(x, labels: nil, batch: batch, totals: totals)
    }

    public func trainStep(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, totals: UnsafeMutablePointer<Double>) {
        let perExample = Double(batch) / Double(batch / schedule.packing)
        let (loss, realScore, fakeScore, penalised) = discriminatorStep(x, labels: labels, batch: batch)
        totals[0] += loss * perExample
        totals[2] += realScore * Double(batch)
        totals[3] += fakeScore * Double(batch)
        if penalty != nil {
            totals[4] += penalised.penalty * perExample
            totals[5] += penalised.norm * perExample
        }
        sinceGeneratorStep += 1
        guard discriminatorStepCount > schedule.warmupSteps, sinceGeneratorStep >= schedule.discriminatorSteps else { return }
        sinceGeneratorStep = 0
        totals[1] += generatorStep(batch: batch) * perExample * Double(schedule.discriminatorSteps)
    }

    /// (1) Discriminator: minimise L_D(x) + L_D(G(z)) (+ the gradient penalty), z from the prior.
    /// Returns the loss summed over the N/M discriminator inputs, the mean scores on real and
    /// generated inputs, and the penalty and gradient norms summed over the inputs (0 without one).
    /// A conditional GAN judges (x, y) pairs: `labels` (N) of the real batch, drawn ones for G(z).
    func discriminatorStep(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>? = nil, batch: Int)
        -> (loss: Double, real: Double, fake: Double, penalty: (penalty: Double, norm: Double)) {
        let packs = batch / schedule.packing, sigma = instanceNoise, scale = 1 / Float(packs)
        discriminator.zeroGradients()
        real.pointer.update(from: x, count: batch * dataSize)
        if sigma > 0 { addNoise(real.pointer, count: batch * dataSize, sigma: sigma) }
        var d = discriminate(real.pointer, labels: realLabels(labels), batch: packs, mode: .training)
        let realLoss = objective.discriminatorReal(d, count: packs, smoothing: schedule.labelSmoothing,
                                                   gradient: dLogits.pointer, scale: scale)
        let realScore = meanScore(d, count: packs)
        discriminator.backward(dLogits.pointer, batch: packs)
        generate(batch: batch, sigma: sigma)
        d = discriminate(fake.pointer, labels: generatedLabels, batch: packs, mode: .training)
        let fakeLoss = objective.discriminatorFake(d, count: packs, gradient: dLogits.pointer, scale: scale)
        let fakeScore = meanScore(d, count: packs)
        discriminator.backward(dLogits.pointer, batch: packs)
        // The penalty's points come from the inputs as the discriminator saw them (instance noise included).
        let penalised = penalty?.apply(real: real.pointer, fake: fake.pointer, batch: packs, scale: scale, rng: &noise) ?? (0, 0)
        discriminatorOptimizer.step()
        if let clip = schedule.weightClip { discriminator.clipParameters(to: clip) }
        discriminatorStepCount += 1
        return (realLoss + fakeLoss, realScore, fakeScore, penalised)
    }

    /// (2) Generator: minimise L_G(D(G(z))) through the discriminator in `trainingFrozen` mode,
    /// without touching its parameters, gradients or statistics. Returns the summed loss.
    func generatorStep(batch: Int) -> Double {
        let packs = batch / schedule.packing, scale = 1 / Float(packs)
        generator.zeroGradients()
        generate(batch: batch, sigma: instanceNoise)
        let d = discriminate(fake.pointer, labels: generatedLabels, batch: packs, mode: .trainingFrozen)
        let loss = objective.generator(d, count: packs, gradient: dLogits.pointer, scale: scale)
        let dFake = discriminatorInputGradient(dLogits.pointer, batch: packs)
        generator.backward(dFake, batch: batch)
        generatorOptimizer.step()
        stepCount += 1
        if let decay = schedule.ema, let ema {
            let p = generator.parameters
            for i in ema.indices { ema[i] = decay * ema[i] + (1 - decay) * p[i] }
        }
        return loss
    }

    public func evaluate(_ x: UnsafePointer<Float>, batch: Int, rng: inout RandomStream, totals: UnsafeMutablePointer<Double>) {
        evaluate(x, labels: nil, batch: batch, rng: &rng, totals: totals)
    }

    /// Test terms; a conditional GAN's generated half takes labels drawn uniformly from `rng`.
    public func evaluate(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, rng: inout RandomStream,
                         totals: UnsafeMutablePointer<Double>) {
        let packs = batch / schedule.packing
        guard packs > 0 else { return }
        let used = packs * schedule.packing
        var d = discriminate(x, labels: realLabels(labels), batch: packs, mode: .evaluation)
        let realLoss = objective.discriminatorReal(d, count: packs, gradient: nil, scale: 1)
        let realScore = meanScore(d, count: packs)
        sampleLatent(into: z.pointer, count: used, rng: &rng)
        if classCount > 0 { ClassLabels.draw(into: fakeLabels.baseAddress!, count: used, classes: classCount, rng: &rng) }
        let g = generator.forward(generatorInput(z.pointer, count: used), batch: used, mode: .evaluation)
        d = discriminate(g, labels: generatedLabels, batch: packs, mode: .evaluation)
        let fakeLoss = objective.discriminatorFake(d, count: packs, gradient: nil, scale: 1)
        let fakeScore = meanScore(d, count: packs)
        let perExample = Double(batch) / Double(packs)
        totals[0] += (realLoss + fakeLoss) * perExample
        totals[1] += realScore * Double(batch)
        totals[2] += fakeScore * Double(batch)
    }

    /// Generator outputs for `codes` (count, Z), with the EMA weights when enabled. Changes nothing.
    public func decodeMean(_ codes: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        guard classCount > 0 else { withSamplingWeights { generator.evaluate(codes, count: count, into: out) }; return }
        ClassLabels.balanced(count: count, classes: classCount).withUnsafeBufferPointer {
            decodeMean(codes, labels: $0.baseAddress!, count: count, into: out)
        }
    }

    /// Generator outputs for codes (count, Z) and labels (count), with the EMA weights when
    /// enabled. Changes nothing.
    public func decodeMean(_ codes: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int,
                           into out: UnsafeMutablePointer<Float>) {
        guard let generatorInput, let labels else { decodeMean(codes, count: count, into: out); return }
        withSamplingWeights {
            var start = 0
            while start < count {
                let n = min(maxBatch, count - start)
                let input = generatorInput.fill(codes + start * latent, labels: labels + start, count: n)
                (out + start * dataSize).update(from: generator.forward(input, batch: n, mode: .evaluation), count: n * dataSize)
                start += n
            }
        }
    }

    /// Draws `count` codes from the prior into `out`.
    public func sampleLatent(into out: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream) {
        let codes = UnsafeMutableBufferPointer(start: out, count: count * latent)
        switch spec.prior {
        case .normal: rng.fillNormal(codes)
        case .uniform: rng.fillUniform(codes, low: -1, high: 1)
        }
    }

    public var checkpointBuffers: [NamedBuffer] {
        var buffers = generator.namedBuffers(prefix: "generator") + discriminator.namedBuffers(prefix: "discriminator")
            + generatorOptimizer.namedBuffers(prefix: "optimizer.generator")
            + discriminatorOptimizer.namedBuffers(prefix: "optimizer.discriminator")
        if let ema { buffers.append(NamedBuffer(name: "generator_ema", shape: [ema.count], buffer: ema)) }
        return buffers
    }

    public var randomStreams: [String: RandomStream] {
        get {
            var streams = ModelStreams.collect(noise: noise, networks: [generator, discriminator])
            if classCount > 0 { streams["labels"] = labelStream }
            return streams
        }
        set {
            ModelStreams.restore(newValue, noise: &noise, networks: [generator, discriminator])
            if let s = newValue["labels"] { labelStream = s }
        }
    }

    /// Both update counts, the discriminator updates since the last generator update (the
    /// schedule's position) and the optimisers' step counts.
    public var counters: [String: Int] {
        get { ["generator_steps": stepCount, "discriminator_steps": discriminatorStepCount,
               "since_generator_step": sinceGeneratorStep, "optimizer.generator.steps": generatorOptimizer.stepCount,
               "optimizer.discriminator.steps": discriminatorOptimizer.stepCount] }
        set {
            emaStatisticsStep = -1   // a restore rewrites the EMA weights behind the cache
            if let n = newValue["generator_steps"] { stepCount = n }
            if let n = newValue["discriminator_steps"] { discriminatorStepCount = n }
            if let n = newValue["since_generator_step"] { sinceGeneratorStep = n }
            if let n = newValue["optimizer.generator.steps"] { generatorOptimizer.stepCount = n }
            if let n = newValue["optimizer.discriminator.steps"] { discriminatorOptimizer.stepCount = n }
        }
    }

    public var nonFiniteNetwork: String? { !generator.isFinite ? "generator" : !discriminator.isFinite ? "discriminator" : nil }

    public var stepCounters: [(String, Int)] { [("generator_steps", stepCount), ("discriminator_steps", discriminatorStepCount)] }

    /// z from the prior (and, conditional, labels from the label stream), fake = G(z) in training
    /// mode, plus instance noise.
    private func generate(batch: Int, sigma: Float) {
        sampleLatent(into: z.pointer, count: batch, rng: &noise)
        if classCount > 0 { ClassLabels.draw(into: fakeLabels.baseAddress!, count: batch, classes: classCount, rng: &labelStream) }
        let g = generator.forward(generatorInput(z.pointer, count: batch), batch: batch, mode: .training)
        fake.pointer.update(from: g, count: batch * dataSize)
        if sigma > 0 { addNoise(fake.pointer, count: batch * dataSize, sigma: sigma) }
    }

    private func addNoise(_ p: UnsafeMutablePointer<Float>, count: Int, sigma: Float) {
        for i in 0..<count { p[i] += sigma * noise.nextNormal() }
    }

    /// Mean D(x) over `count` logits: σ(d) for the likelihood forms, the raw critic value otherwise.
    private func meanScore(_ d: UnsafePointer<Float>, count: Int) -> Double {
        var s = 0.0
        switch objective {
        case .minimax, .nonSaturating: for i in 0..<count { s += Double(FastMath.sigmoid(d[i])) }
        default: for i in 0..<count { s += Double(d[i]) }
        }
        return s / Double(max(count, 1))
    }

    /// Runs `body` with the EMA weights in the generator when enabled, restoring the trained
    /// weights and running statistics after. Batch norm then uses the EMA weights' own standing
    /// statistics: the running statistics track the trained weights, and with averaged weights
    /// they shift every layer's inputs (on the ring benchmark they cut the high-quality fraction
    /// from 0.92 to 0.47; docs/models.md).
    private func withSamplingWeights(_ body: () -> Void) {
        guard let ema else { body(); return }
        let trained = Array(generator.parameters), trainedStatistics = Array(generator.state)
        _ = generator.parameters.update(fromContentsOf: ema)
        useStandingStatistics()
        body()
        _ = generator.parameters.update(fromContentsOf: trained)
        _ = generator.state.update(fromContentsOf: trainedStatistics)
    }

    /// Puts the standing statistics of the generator's current (EMA) weights into its batch-norm
    /// layers: the equal-weight mean of the batch statistics of `standingStatisticsBatches` training
    /// passes over codes from the stream (seed, "ema.statistics"), restarted each time, so they are
    /// a function of the EMA weights alone (the same after a resume). Cached per generator step;
    /// the generator's random streams (dropout) are left as they were.
    private func useStandingStatistics() {
        let norms = generator.layers.compactMap { $0 as? BatchNorm }
        guard !norms.isEmpty, let cache = emaStatistics else { return }
        if emaStatisticsStep == stepCount {
            _ = generator.state.update(fromContentsOf: cache)
            return
        }
        let streams = generator.randomStreams
        var rng = RandomStream(seed: seed, purpose: "ema.statistics")
        norms.forEach { $0.beginAveragingStatistics() }
        for _ in 0..<Self.standingStatisticsBatches {
            sampleLatent(into: z.pointer, count: maxBatch, rng: &rng)
            balanceGeneratedLabels(count: maxBatch)
            _ = generator.forward(generatorInput(z.pointer, count: maxBatch), batch: maxBatch, mode: .training)
        }
        norms.forEach { $0.endAveragingStatistics() }
        generator.randomStreams = streams
        _ = cache.update(fromContentsOf: generator.state)
        emaStatisticsStep = stepCount
    }
}

extension GradientPenalty.Kind {
    /// The numeric penalty for a spec penalty.
    public init(_ spec: GradientPenaltySpec) {
        switch spec {
        case .wganGP(let lambda): self = .wganGP(lambda: lambda)
        case let .dragan(lambda, c): self = .dragan(lambda: lambda, c: c)
        case .r1(let gamma): self = .r1(gamma: gamma)
        }
    }
}

extension AdversarialObjective {
    /// The numeric objective for a spec loss.
    public init(_ loss: GANLoss) {
        switch loss {
        case .minimax: self = .minimax
        case .nonSaturating: self = .nonSaturating
        case .leastSquares: self = .leastSquares
        case .hinge: self = .hinge
        case .wasserstein: self = .wasserstein
        }
    }
}
