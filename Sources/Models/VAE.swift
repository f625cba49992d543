// Dimensions: N batch, D data (pixels), Z latent.
import NN
import Spec

/// A variational auto-encoder (Kingma & Welling 2014); with β ≠ 1 a β-VAE (Higgins et al. 2017),
/// and with another `objective` one of its successors (β-TCVAE, FactorVAE, DIP-VAE, capacity
/// annealing, the IWAE bound; docs/models.md).
///
/// The encoder maps x to `[μ | log σ²]` (a linear head of 2Z units is appended to the spec's hidden
/// layers), z = μ + σ·ε with ε ~ N(0, I) from the run's `noise` stream, and the decoder maps z to
/// the likelihood's parameters (a linear head of D units: Bernoulli logits or Gaussian means).
/// Training minimises, per example, `−E_q[log p(x|z)]` plus the objective's latent term (the
/// ELBO's: `β_t · KL(q(z|x) ‖ N(0, I))` with `β_t = β · min(1, t / warm-up)`); evaluation reports
/// the negative ELBO (β = 1) and its parts whatever the objective.
///
/// With `spec.conditioning` it is a conditional VAE (Sohn et al. 2015): the encoder sees
/// [x | onehot(y)] and the decoder [z | onehot(y)] (`VAE+Conditioning.swift`).
public final class VAE: EncodingModel, ConditionalModel {
    public let spec: VAESpec
    public let encoder: Network
    public let decoder: Network
    public let dataSize: Int
    public let latent: Int
    public let maxBatch: Int
    public var examplesPerStep: Int { maxBatch }
    public let trainTerms: [String]
    public let termNetworks: [String]
    public let evaluationTerms = ["neg_elbo", "recon", "kl"]
    public private(set) var stepCount = 0
    /// Codes per example: the IWAE objective's k, else 1.
    let importanceSamples: Int

    private let encoderOptimizer: Optimizer
    private let decoderOptimizer: Optimizer
    private let clipNorm: Float?
    private let gradientBuffers: [UnsafeMutableBufferPointer<Float>]
    var noise: RandomStream
    private var regularizer: LatentRegularizer?
    /// −log p(x|z) over a batch, split among the team's members.
    private let likelihood: SplitLikelihood
    let epsilon: Tensor                // (N·k, Z)   ε
    let z: Tensor                      // (N·k, Z)   μ + σ·ε
    let dStats: Tensor                 // (N, 2Z)    ∂L/∂[μ | log σ²]
    let dOutput: Tensor                // (N·k, D)   ∂L/∂ decoder output
    let logWeights: UnsafeMutableBufferPointer<Double>   // (N·k) IWAE log-weights (empty otherwise)
    /// K for a conditional VAE, else 0.
    public let classCount: Int
    let encoderInput: LabelledInput?   // (N, D + K·P) [x | onehot(y)]
    let decoderInput: LabelledInput?   // (N, Z + K)   [z | onehot(y)], with the z part's gradient

    /// Builds the networks for examples of shape `dataShape` and initialises them from the run's
    /// `init` stream; `trainingExamples` is the training set's size (β-TCVAE's estimator of q(z)
    /// needs it). Throws a `SpecError` when the layer lists cannot take the data.
    public init(spec: VAESpec, training: TrainingSpec, dataShape: [Int], trainingExamples: Int, seed: UInt64,
                file: String) throws(SpecError) {
        let plan = try ModelPlan.vae(spec, training: training, dataShape: dataShape, file: file)
        self.spec = spec
        latent = spec.latent
        dataSize = dataShape.reduce(1, *)
        maxBatch = training.batch
        if case .iwae(let k) = spec.objective { importanceSamples = k } else { importanceSamples = 1 }
        let codes = maxBatch * importanceSamples
        let team = ThreadTeam(size: training.threads)
        switch spec.likelihood {
        case .bernoulli: likelihood = SplitLikelihood(.bernoulli, team: team)
        case .gaussian(let sigma): likelihood = SplitLikelihood(.gaussian(sigma: sigma), team: team)
        }
        encoder = Network(name: "encoder", layers: plan.network("encoder").plan.makeLayers(), maxBatch: maxBatch, team: team)
        decoder = Network(name: "decoder", layers: plan.network("decoder").plan.makeLayers(), maxBatch: codes, team: team)
        let initStream = RandomStream(seed: seed, purpose: "init")
        encoder.initialize(rng: initStream.derived("encoder"))
        decoder.initialize(rng: initStream.derived("decoder"))
        let rule = OptimizerRule(training.optimizer)
        encoderOptimizer = Optimizer(rule, for: encoder)
        decoderOptimizer = Optimizer(rule, for: decoder)
        clipNorm = training.clipNorm
        gradientBuffers = [encoder.gradients, decoder.gradients]
        noise = RandomStream(seed: seed, purpose: "noise")
        epsilon = Tensor(shape: [codes, latent])
        z = Tensor(shape: [codes, latent])
        dStats = Tensor(shape: [maxBatch, 2 * latent])
        dOutput = Tensor(shape: [codes, dataSize])
        regularizer = spec.makeRegularizer(batch: maxBatch, trainingExamples: trainingExamples, plan: plan, seed: seed)
        logWeights = .allocate(capacity: regularizer == nil ? codes : 0)
        trainTerms = ["loss", "recon"] + (regularizer?.terms ?? ["kl"])
        termNetworks = ["vae", "decoder"] + (regularizer?.termNetworks ?? ["encoder"])
        classCount = spec.conditioning?.classes ?? 0
        let n = maxBatch
        encoderInput = plan.labelInputs["encoder"].map { LabelledInput($0, maxBatch: n, withGradient: false) }
        decoderInput = plan.labelInputs["decoder"].map { LabelledInput($0, maxBatch: codes, withGradient: true) }
    }

    deinit { logWeights.deallocate() }

    /// Floats the model holds: networks, optimiser state and its own buffers (what `ModelPlan`
    /// estimates from shapes).
    public var heldFloats: Int {
        encoder.heldFloats + decoder.heldFloats + encoderOptimizer.heldFloats + decoderOptimizer.heldFloats
            + [epsilon, z, dStats, dOutput].reduce(0) { $0 + $1.capacity } + 2 * logWeights.count
            + (regularizer?.heldFloats ?? 0) + (encoderInput?.heldFloats ?? 0) + (decoderInput?.heldFloats ?? 0)
    }

    /// β at step `t` (1-based) under the linear warm-up.
    public func beta(atStep t: Int) -> Float {
        BetaSchedule(beta: spec.beta, warmupSteps: spec.betaWarmupSteps).value(atStep: t)
    }

    public func trainStep(_ x: UnsafePointer<Float>, batch: Int, totals: UnsafeMutablePointer<Double>) {
        trainStep(x, labels: nil, batch: batch, totals: totals)
    }

    /// One step; a conditional VAE's encoder and decoder also see the batch's `labels` (N).
    public func trainStep(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, totals: UnsafeMutablePointer<Double>) {
        let labels = required(labels)
        stepCount += 1
        guard let regularizer else {
            importanceWeightedStep(x, batch: batch, totals: totals)
            return
        }
        let scale = 1 / Float(batch)
        encoder.zeroGradients()
        decoder.zeroGradients()

        // (1) Encode and reparameterise: z = μ + exp(½ log σ²) · ε.
        let stats = encoder.forward(encoderInput(x, labels: labels, count: batch), batch: batch, mode: .training) // (N, 2Z)
        noise.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: batch * latent))
        reparameterize(stats, batch: batch)

        // (2) Reconstruction term −log p(x|z), gradient into the decoder.
        let output = decoder.forward(decoderInput(z.pointer, labels: labels, count: batch), batch: batch, mode: .training) // (N, D)
        let recon = reconstruction(output, x, count: batch * dataSize, gradient: dOutput.pointer, scale: scale)
        let dz = decoderCodeGradient(decoder.backward(dOutput.pointer, batch: batch, inputGradient: true)!, count: batch) // (N, Z)

        // (3) The objective's latent term (β·KL for the ELBO), then the reparameterisation path
        // of ∂/∂z: the decoder's and the term's.
        let latentLoss = regularizer.apply(stats: stats, z: z.pointer, batch: batch, step: stepCount, dStats: dStats.pointer,
                                           dz: dz, noise: &noise, totals: totals + 2)
        GaussianPosterior.addGradient(dz, stats: stats, epsilon: epsilon.pointer, into: dStats.pointer, batch: batch, latent: latent)
        encoder.backward(dStats.pointer, batch: batch)

        // (4) Update.
        update()
        totals[0] += recon + latentLoss
        totals[1] += recon
    }

    /// Clips (when asked) and applies the encoder's and decoder's gradients.
    func update() {
        if let clipNorm { GradientClipping.clipGlobalNorm(gradientBuffers, maxNorm: clipNorm) }
        encoderOptimizer.step()
        decoderOptimizer.step()
    }

    public func evaluate(_ x: UnsafePointer<Float>, batch: Int, rng: inout RandomStream, totals: UnsafeMutablePointer<Double>) {
        evaluate(x, labels: nil, batch: batch, rng: &rng, totals: totals)
    }

    public func evaluate(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, rng: inout RandomStream,
                         totals: UnsafeMutablePointer<Double>) {
        let labels = required(labels)
        let stats = encoder.forward(encoderInput(x, labels: labels, count: batch), batch: batch, mode: .evaluation)
        rng.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: batch * latent))
        reparameterize(stats, batch: batch)
        let output = decoder.forward(decoderInput(z.pointer, labels: labels, count: batch), batch: batch, mode: .evaluation)
        let recon = reconstruction(output, x, count: batch * dataSize, gradient: nil, scale: 1)
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: batch, latent: latent, gradient: nil)
        totals[0] += recon + kl
        totals[1] += recon
        totals[2] += kl
    }

    /// Draws `count` codes from the prior N(0, I).
    public func sampleLatent(into out: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream) {
        rng.fillNormal(UnsafeMutableBufferPointer(start: out, count: count * latent))
    }

    /// Decodes latent codes `codes` (count, Z) into the likelihood's mean (count, D): pixel
    /// probabilities for Bernoulli, means for Gaussian. Evaluation mode; changes nothing.
    /// A conditional VAE takes example i as class i mod K (`decodeMean(_:labels:count:into:)` takes labels).
    public func decodeMean(_ codes: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        withBalancedLabels(count) { decodeMean(codes, labels: $0, count: count, into: out) }
    }

    /// Encodes `x` (count, D) to posterior means μ (count, Z). Evaluation mode; changes nothing.
    /// A conditional VAE takes example i as class i mod K (`encodeMean(_:labels:count:into:)` takes labels).
    public func encodeMean(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        withBalancedLabels(count) { encodeMean(x, labels: $0, count: count, into: out) }
    }

    /// Encodes `x` (count, D) to the posterior's `[μ | log σ²]` (count, 2Z). Evaluation mode; changes nothing.
    /// A conditional VAE takes example i as class i mod K (`encodePosterior(_:labels:count:into:)` takes labels).
    public func encodePosterior(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        withBalancedLabels(count) { encodePosterior(x, labels: $0, count: count, into: out) }
    }

    public var checkpointBuffers: [NamedBuffer] {
        encoder.namedBuffers(prefix: "encoder") + decoder.namedBuffers(prefix: "decoder")
            + encoderOptimizer.namedBuffers(prefix: "optimizer.encoder") + decoderOptimizer.namedBuffers(prefix: "optimizer.decoder")
            + (regularizer?.checkpointBuffers ?? [])
    }

    /// Every network it trains: encoder, decoder and the objective's own (FactorVAE's discriminator).
    var networks: [Network] { [encoder, decoder] + (regularizer?.networks ?? []) }

    public var randomStreams: [String: RandomStream] {
        get { ModelStreams.collect(noise: noise, networks: networks) }
        set { ModelStreams.restore(newValue, noise: &noise, networks: networks) }
    }

    /// `steps` (β warm-up reads it) and the optimisers' step counts.
    public var counters: [String: Int] {
        get {
            ["steps": stepCount, "optimizer.encoder.steps": encoderOptimizer.stepCount,
             "optimizer.decoder.steps": decoderOptimizer.stepCount].merging(regularizer?.counters ?? [:]) { a, _ in a }
        }
        set {
            if let n = newValue["steps"] { stepCount = n }
            if let n = newValue["optimizer.encoder.steps"] { encoderOptimizer.stepCount = n }
            if let n = newValue["optimizer.decoder.steps"] { decoderOptimizer.stepCount = n }
            regularizer?.counters = newValue
        }
    }

    public var nonFiniteNetwork: String? { networks.first { !$0.isFinite }?.name }

    func reparameterize(_ stats: UnsafePointer<Float>, batch: Int) {
        GaussianPosterior.sample(stats, epsilon: epsilon.pointer, into: z.pointer, batch: batch, latent: latent)
    }

    func reconstruction(_ output: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int,
                                gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        likelihood.evaluate(output, targets: x, count: count, gradient: gradient, scale: scale)
    }
}

