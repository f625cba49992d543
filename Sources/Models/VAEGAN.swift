// Dimensions: N batch, D data, Z latent, F features of the discriminator's feature layer.
import NN
import Spec

/// VAE-GAN (Larsen et al. 2016, Algorithm 1): a VAE whose reconstruction error is measured on the
/// features of a discriminator layer, trained together with that discriminator.
///
/// With x̃ = Dec(z), z ~ q(z|x), and x_p = Dec(z_p), z_p ~ p(z), and Dis_l the features after
/// discriminator layer l (`feature_layer`):
///
/// - L_prior = KL(q(z|x) ‖ N(0, I)),  L_llike = ½‖Dis_l(x̃) − Dis_l(x)‖² (a Gaussian on features),
/// - the discriminator minimises L_D(x) + L_D(x̃) + L_D(x_p) for the chosen adversarial loss,
/// - the decoder minimises γ·L_llike + L_G(x̃) + L_G(x_p),
/// - the encoder minimises β·L_prior + L_llike.
///
/// The reconstruction term is backpropagated through the discriminator without touching its
/// parameters, gradients or statistics (`trainingFrozen`). A step updates all three networks,
/// each with its own optimiser (discriminator first, on inputs generated before the step). The
/// adversarial terms carry `spec.weights`; with `schedule.equilibrium` (`EquilibriumGate`) the
/// discriminator's and the decoder's updates are skipped by Larsen et al.'s rule.
public final class VAEGAN: EncodingModel {
    public let spec: VAEGANSpec
    public let encoder: Network
    public let decoder: Network
    public let discriminator: Network
    public let latent: Int
    public let dataSize: Int
    public let maxBatch: Int
    /// With a gradient penalty, also `d_penalty` and `d_grad_norm` (as `GAN`'s); with the
    /// equilibrium rule, `d_updated` and `decoder_updated` (the fraction of steps that updated them).
    public let trainTerms: [String]
    public let termNetworks: [String]
    public let evaluationTerms = ["recon", "kl", "pixel_mse"]
    public private(set) var stepCount = 0
    public let usesSymmetricImages: Bool
    public var examplesPerStep: Int { maxBatch }

    private let featureLayer: Int      // index of Dis_l in the built discriminator
    private let featureSize: Int       // F
    private let objective: AdversarialObjective
    private let encoderOptimizer: Optimizer, decoderOptimizer: Optimizer, discriminatorOptimizer: Optimizer
    private let penalty: GradientPenalty?   // on real inputs and prior samples x_p
    private let gate: EquilibriumGate?
    private let weights: VAEGANLossWeights
    private let clipNorm: Float?
    private let clippedGradients: [UnsafeMutableBufferPointer<Float>]
    private var noise: RandomStream
    private let epsilon: Tensor        // (N, Z)
    private let z: Tensor              // (N, Z)   μ + σ·ε, then prior codes
    private let reconstructed: Tensor  // (N, D)   x̃
    private let prior: Tensor          // (N, D)   x_p
    private let realFeatures: Tensor   // (N, F)   Dis_l(x)
    private let dFeatures: Tensor      // (N, F)   ∂L_llike/∂Dis_l(x̃)
    private let dLogits: Tensor        // (N)
    private let dAdversarial: Tensor   // (N, D)   ∂L_G/∂x̃
    private let dReconstruction: Tensor // (N, D)  ∂L_llike/∂x̃
    private let dStats: Tensor         // (N, 2Z)

    public init(spec: VAEGANSpec, training: TrainingSpec, dataShape: [Int], seed: UInt64, file: String) throws(SpecError) {
        let plan = try ModelPlan.vaeGAN(spec, training: training, dataShape: dataShape, file: file)
        self.spec = spec
        latent = spec.latent
        dataSize = dataShape.reduce(1, *)
        maxBatch = training.batch
        usesSymmetricImages = dataShape.count == 3
        let judge = plan.network("discriminator").plan
        featureLayer = plan.featureLayer!
        featureSize = judge.layers[featureLayer].outputSize
        let team = ThreadTeam(size: training.threads)
        encoder = Network(name: "encoder", layers: plan.network("encoder").plan.makeLayers(), maxBatch: maxBatch, team: team)
        decoder = Network(name: "decoder", layers: plan.network("decoder").plan.makeLayers(), maxBatch: maxBatch, team: team)
        discriminator = Network(name: "discriminator", layers: judge.makeLayers(), maxBatch: maxBatch, team: team)
        let initStream = RandomStream(seed: seed, purpose: "init")
        encoder.initialize(rng: initStream.derived("encoder"))
        decoder.initialize(rng: initStream.derived("decoder"))
        discriminator.initialize(rng: initStream.derived("discriminator"))
        encoderOptimizer = Optimizer(OptimizerRule(spec.schedule.encoderOptimizer), for: encoder)
        decoderOptimizer = Optimizer(OptimizerRule(spec.schedule.generatorOptimizer), for: decoder)
        discriminatorOptimizer = Optimizer(OptimizerRule(spec.schedule.discriminatorOptimizer), for: discriminator)
        objective = AdversarialObjective(spec.loss)
        if let rule = spec.schedule.gradientPenalty {
            penalty = GradientPenalty(GradientPenalty.Kind(rule), discriminator: discriminator)
        } else {
            penalty = nil
        }
        gate = spec.schedule.equilibrium.map(EquilibriumGate.init)
        weights = spec.weights
        let penaltyTerms = penalty == nil ? [] : ["d_penalty", "d_grad_norm"]
        let gateTerms = gate == nil ? [] : ["d_updated", "decoder_updated"]
        trainTerms = ["d_loss", "g_loss", "recon", "kl"] + penaltyTerms + gateTerms
        termNetworks = ["discriminator", "decoder", "encoder", "encoder"] + penaltyTerms.map { _ in "discriminator" }
            + (gate == nil ? [] : ["discriminator", "decoder"])
        clipNorm = training.clipNorm
        clippedGradients = [encoder.gradients, decoder.gradients]
        noise = RandomStream(seed: seed, purpose: "noise")
        epsilon = Tensor(shape: [maxBatch, latent])
        z = Tensor(shape: [maxBatch, latent])
        reconstructed = Tensor(shape: [maxBatch, dataSize])
        prior = Tensor(shape: [maxBatch, dataSize])
        realFeatures = Tensor(shape: [maxBatch, featureSize])
        dFeatures = Tensor(shape: [maxBatch, featureSize])
        dLogits = Tensor(shape: [maxBatch])
        dAdversarial = Tensor(shape: [maxBatch, dataSize])
        dReconstruction = Tensor(shape: [maxBatch, dataSize])
        dStats = Tensor(shape: [maxBatch, 2 * latent])
    }

    /// Floats the model holds: networks, optimiser state and its own buffers (what `ModelPlan`
    /// estimates from shapes).
    public var heldFloats: Int {
        [encoder, decoder, discriminator].reduce(0) { $0 + $1.heldFloats }
            + [encoderOptimizer, decoderOptimizer, discriminatorOptimizer].reduce(0) { $0 + $1.heldFloats }
            + [epsilon, z, reconstructed, prior, realFeatures, dFeatures, dLogits, dAdversarial, dReconstruction, dStats]
                .reduce(0) { $0 + $1.capacity } + (penalty?.heldFloats ?? 0)
    }

    public func trainStep(_ x: UnsafePointer<Float>, batch: Int, totals: UnsafeMutablePointer<Double>) {
        let n = batch, scale = 1 / Float(batch)

        // (1) Discriminator: a·L_D(x) + b·L_D(x̃) + c·L_D(x_p), on x̃ and x_p generated with frozen
        // statistics (a term of weight 0 is not computed). The equilibrium rule reads the
        // cross-entropies of these passes, before the update.
        let stats = encoder.forward(x, batch: n, mode: .trainingFrozen)
        noise.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: n * latent))
        reparameterize(stats, batch: n)
        reconstructed.pointer.update(from: decoder.forward(z.pointer, batch: n, mode: .trainingFrozen), count: n * dataSize)
        noise.fillNormal(UnsafeMutableBufferPointer(start: z.pointer, count: n * latent))
        prior.pointer.update(from: decoder.forward(z.pointer, batch: n, mode: .trainingFrozen), count: n * dataSize)
        discriminator.zeroGradients()
        var dLoss = 0.0, realCost = 0.0, fakeCost = 0.0
        var d = discriminator.forward(x, batch: n, mode: .training)
        let wReal = weights.discriminatorReal
        dLoss += Double(wReal) * objective.discriminatorReal(d, count: n, smoothing: spec.schedule.labelSmoothing,
                                                             gradient: dLogits.pointer, scale: wReal * scale)
        if gate != nil { realCost = EquilibriumGate.realCost(d, count: n) }
        discriminator.backward(dLogits.pointer, batch: n)
        for term in 0..<2 {   // x̃, then x_p
            let generated = term == 0 ? reconstructed.pointer : prior.pointer
            let weight = term == 0 ? weights.discriminatorReconstructed : weights.discriminatorPrior
            guard weight > 0 else { continue }
            d = discriminator.forward(generated, batch: n, mode: .training)
            dLoss += Double(weight) * objective.discriminatorFake(d, count: n, gradient: dLogits.pointer, scale: weight * scale)
            if gate != nil { fakeCost += Double(weight) * EquilibriumGate.fakeCost(d, count: n) }
            discriminator.backward(dLogits.pointer, batch: n)
        }
        if let penalty {
            let (value, norm) = penalty.apply(real: x, fake: prior.pointer, batch: n, scale: scale, rng: &noise)
            totals[4] += value
            totals[5] += norm
        }
        var update = (discriminator: true, decoder: true)
        if let gate {
            let generatedWeight = Double(weights.discriminatorReconstructed) + Double(weights.discriminatorPrior)
            update = gate.decide(realCost: realCost, fakeCost: fakeCost / generatedWeight)
            let first = penalty == nil ? 4 : 6
            if update.discriminator { totals[first] += Double(n) }
            if update.decoder { totals[first + 1] += Double(n) }
        }
        if update.discriminator {
            discriminatorOptimizer.step()
            if let clip = spec.schedule.weightClip { discriminator.clipParameters(to: clip) }
        }

        // (2) Decoder on prior samples: c'·L_G(D(x_p)).
        decoder.zeroGradients()
        encoder.zeroGradients()
        noise.fillNormal(UnsafeMutableBufferPointer(start: z.pointer, count: n * latent))
        var g = decoder.forward(z.pointer, batch: n, mode: .training)
        d = discriminator.forward(g, batch: n, mode: .trainingFrozen)
        let gPrior = weights.decoderPrior, gReconstructed = weights.decoderReconstructed
        var gLoss = Double(gPrior) * objective.generator(d, count: n, gradient: dLogits.pointer, scale: gPrior * scale)
        var dx = discriminator.backward(dLogits.pointer, batch: n, parameterGradients: false, inputGradient: true)!
        decoder.backward(dx, batch: n)

        // (3) Reconstruction through the encoder: features of x, then of x̃ = Dec(z), z ~ q(z|x).
        let features = discriminator.forward(x, batch: n, mode: .trainingFrozen, through: featureLayer)
        realFeatures.pointer.update(from: features, count: n * featureSize)
        let encoded = encoder.forward(x, batch: n, mode: .training)
        noise.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: n * latent))
        reparameterize(encoded, batch: n)
        g = decoder.forward(z.pointer, batch: n, mode: .training)
        d = discriminator.forward(g, batch: n, mode: .trainingFrozen)
        gLoss += Double(gReconstructed) * objective.generator(d, count: n, gradient: dLogits.pointer, scale: gReconstructed * scale)
        dx = discriminator.backward(dLogits.pointer, batch: n, parameterGradients: false, inputGradient: true)!
        dAdversarial.pointer.update(from: dx, count: n * dataSize)
        // L_llike = ½‖Dis_l(x̃) − Dis_l(x)‖², per example; its gradient enters at layer l.
        let fake = discriminator.output(ofLayer: featureLayer)
        var recon = 0.0
        for i in 0..<(n * featureSize) {
            let diff = fake[i] - realFeatures.pointer[i]
            recon += Double(0.5 * diff * diff)
            dFeatures.pointer[i] = scale * diff
        }
        dx = discriminator.backward(dFeatures.pointer, batch: n, parameterGradients: false, inputGradient: true, from: featureLayer)!
        dReconstruction.pointer.update(from: dx, count: n * dataSize)

        // Encoder gets ∂L_llike/∂z; the decoder gets γ·∂L_llike + ∂L_G.
        let dz = decoder.backward(dx, batch: n, parameterGradients: false, inputGradient: true)!
        let kl = GaussianKL.evaluate(meanLogVariance: encoded, batch: n, latent: latent, gradient: dStats.pointer, scale: spec.beta * scale)
        GaussianPosterior.addGradient(dz, stats: encoded, epsilon: epsilon.pointer, into: dStats.pointer, batch: n, latent: latent)
        encoder.backward(dStats.pointer, batch: n)
        let gamma = spec.gamma, da = dAdversarial.pointer, dr = dReconstruction.pointer
        for i in 0..<(n * dataSize) { da[i] += gamma * dr[i] }
        decoder.backward(da, batch: n)

        if let clipNorm { GradientClipping.clipGlobalNorm(clippedGradients, maxNorm: clipNorm) }
        encoderOptimizer.step()
        if update.decoder { decoderOptimizer.step() }
        stepCount += 1

        totals[0] += dLoss
        totals[1] += gLoss
        totals[2] += recon
        totals[3] += kl
    }

    public func evaluate(_ x: UnsafePointer<Float>, batch: Int, rng: inout RandomStream, totals: UnsafeMutablePointer<Double>) {
        let n = batch
        let features = discriminator.forward(x, batch: n, mode: .evaluation, through: featureLayer)
        realFeatures.pointer.update(from: features, count: n * featureSize)
        let stats = encoder.forward(x, batch: n, mode: .evaluation)
        rng.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: n * latent))
        reparameterize(stats, batch: n)
        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: n, latent: latent, gradient: nil)
        let g = decoder.forward(z.pointer, batch: n, mode: .evaluation)
        var squares = 0.0
        for i in 0..<(n * dataSize) { let diff = g[i] - x[i]; squares += Double(diff * diff) }
        let fake = discriminator.forward(g, batch: n, mode: .evaluation, through: featureLayer)
        var recon = 0.0
        for i in 0..<(n * featureSize) { let diff = fake[i] - realFeatures.pointer[i]; recon += Double(0.5 * diff * diff) }
        totals[0] += recon
        totals[1] += kl
        totals[2] += squares / Double(dataSize)
    }

    public func sampleLatent(into out: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream) {
        rng.fillNormal(UnsafeMutableBufferPointer(start: out, count: count * latent))
    }

    public func decodeMean(_ codes: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        decoder.evaluate(codes, count: count, into: out)
    }

    public func encodeMean(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        GaussianPosterior.encodeMeans(encoder, x, count: count, into: out)
    }

    /// Encodes `x` (count, D) to the posterior's `[μ | log σ²]` (count, 2Z). Evaluation mode; changes nothing.
    public func encodePosterior(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        GaussianPosterior.encodeStats(encoder, x, count: count, into: out)
    }

    public var checkpointBuffers: [NamedBuffer] {
        encoder.namedBuffers(prefix: "encoder") + decoder.namedBuffers(prefix: "decoder")
            + discriminator.namedBuffers(prefix: "discriminator")
            + encoderOptimizer.namedBuffers(prefix: "optimizer.encoder") + decoderOptimizer.namedBuffers(prefix: "optimizer.decoder")
            + discriminatorOptimizer.namedBuffers(prefix: "optimizer.discriminator")
    }

    public var randomStreams: [String: RandomStream] {
        get { ModelStreams.collect(noise: noise, networks: [encoder, decoder, discriminator]) }
        set { ModelStreams.restore(newValue, noise: &noise, networks: [encoder, decoder, discriminator]) }
    }

    /// `steps` and the three optimisers' step counts.
    public var counters: [String: Int] {
        get { ["steps": stepCount, "optimizer.encoder.steps": encoderOptimizer.stepCount,
               "optimizer.decoder.steps": decoderOptimizer.stepCount,
               "optimizer.discriminator.steps": discriminatorOptimizer.stepCount] }
        set {
            if let n = newValue["steps"] { stepCount = n }
            if let n = newValue["optimizer.encoder.steps"] { encoderOptimizer.stepCount = n }
            if let n = newValue["optimizer.decoder.steps"] { decoderOptimizer.stepCount = n }
            if let n = newValue["optimizer.discriminator.steps"] { discriminatorOptimizer.stepCount = n }
        }
    }

    public var nonFiniteNetwork: String? {
        !encoder.isFinite ? "encoder" : !decoder.isFinite ? "decoder" : !discriminator.isFinite ? "discriminator" : nil
    }

    private func reparameterize(_ stats: UnsafePointer<Float>, batch: Int) {
        GaussianPosterior.sample(stats, epsilon: epsilon.pointer, into: z.pointer, batch: batch, latent: latent)
    }
}
