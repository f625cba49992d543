// Dimensions: N batch, D data, Z latent, F features of a VAE-GAN's feature layer, M packing.
import NN
import Spec

/// A model's networks and buffers planned from its spec: what its initialiser builds (each model
/// builds its networks from this plan) and, from shapes alone, the memory it will hold at its
/// batch size (`floats`), so that a run too large for the machine is refused before anything is
/// allocated.
public struct ModelPlan: Sendable {
    /// One network of the model: its layers, the batch its buffers are sized for and the number
    /// of per-parameter buffers its optimiser keeps (Adam: 2, SGD without momentum: 0).
    public struct PlannedNetwork: Sendable {
        public var name: String
        public var plan: NetworkPlan
        public var maxBatch: Int
        public var optimizerBuffers: Int
        /// The network runs tangent passes (a penalised discriminator), with their buffers.
        public var tangents = false
    }

    public var networks: [PlannedNetwork]
    /// Floats of the model's own buffers besides its networks ((N, Z) codes, (N, D) gradients …).
    public var modelFloats: Int
    /// Floats of an EMA copy of the generator (parameters and standing batch-norm statistics).
    public var emaFloats: Int = 0
    /// Examples one optimisation step consumes (`training.batch`, × packing for a GAN).
    public var examplesPerStep: Int
    /// A VAE-GAN's feature layer Dis_l: its index among the discriminator's planned layers.
    public var featureLayer: Int?
    /// A conditional model's networks that take one-hot labels with their input, by name.
    public var labelInputs: [String: LabelInput] = [:]
    /// Threads of the run's team (`training.threads`): convolutions keep a scratch plane per thread.
    public var threads = 1

    public func network(_ name: String) -> PlannedNetwork {
        guard let network = networks.first(where: { $0.name == name }) else { preconditionFailure("no network \(name) planned") }
        return network
    }

    /// Parameters, their gradients, batch-norm statistics and optimiser state of every network,
    /// and the EMA copy.
    public var parameterFloats: Int {
        Saturating.sum(networks.map { network in
            Saturating.sum([Saturating.product([network.plan.parameters, 2 + network.optimizerBuffers]), network.plan.state])
        } + [emaFloats])
    }

    /// Activation buffers of every network at its batch size, and the model's own buffers.
    public var activationFloats: Int {
        Saturating.sum(networks.map { network in
            Saturating.sum([network.plan.bufferFloats(maxBatch: network.maxBatch, threads: threads),
                            network.tangents ? network.plan.tangentFloats(maxBatch: network.maxBatch) : 0])
        } + [modelFloats])
    }

    /// Everything the built model holds, in floats.
    public var floats: Int { Saturating.sum([parameterFloats, activationFloats]) }

    /// The plan of `model` for examples of shape `dataShape`; throws the `SpecError` building it would.
    public static func make(_ model: ModelSpec, training: TrainingSpec, dataShape: [Int], file: String) throws(SpecError) -> ModelPlan {
        switch model {
        case .vae(let spec): return try vae(spec, training: training, dataShape: dataShape, file: file)
        case .gan(let spec): return try gan(spec, training: training, dataShape: dataShape, file: file)
        case .vaeGAN(let spec): return try vaeGAN(spec, training: training, dataShape: dataShape, file: file)
        }
    }

    /// Encoder + a 2Z head for [μ | log σ²]; decoder + a D head where it ends flat (`vaeDecoder`),
    /// at N·k for the IWAE objective's k codes per example; FactorVAE's discriminator on codes +
    /// a 1-unit head at 2N. Buffers: ε, z (N·k, Z), ∂[μ | log σ²] (N, 2Z), ∂output (N·k, D), the
    /// IWAE log-weights (N·k doubles) and the objective's own (`regularizerFloats`).
    public static func vae(_ spec: VAESpec, training: TrainingSpec, dataShape: [Int], file: String) throws(SpecError) -> ModelPlan {
        let n = training.batch, latent = spec.latent, dataSize = Saturating.product(dataShape)
        var k = 1
        if case .iwae(let samples) = spec.objective { k = samples }
        let codes = Saturating.product([n, k])
        // A conditional VAE (Sohn et al. 2015): the encoder sees [x | y], the decoder [z | y].
        let classes = spec.conditioning?.classes
        let encoderInput = classes.map { LabelInput.data(dataShape, classes: $0, layers: spec.encoder) }
        let decoderInput = classes.map { LabelInput.vector(width: latent, classes: $0) }
        let encoder = try gaussianEncoder(spec.encoder, latent: latent, dataShape: dataShape, input: encoderInput?.shape, file: file)
        let decoder = try vaeDecoder(spec.decoder, latent: latent, dataShape: dataShape, input: decoderInput?.shape, file: file)
        let buffers = OptimizerRule(training.optimizer).stateNames.count
        var networks = [PlannedNetwork(name: "encoder", plan: encoder, maxBatch: n, optimizerBuffers: buffers),
                        PlannedNetwork(name: "decoder", plan: decoder, maxBatch: codes, optimizerBuffers: buffers)]
        if case let .factorVAE(_, layers, optimizer) = spec.objective {
            let path = "model.objective.discriminator"
            var discriminator = try NetworkBuilder.plan(layers, input: [latent], path: path, file: file)
            try NetworkBuilder.appendHead(&discriminator, units: 1, initializer: NetworkBuilder.headInitializer(layers),
                                          spectralNorm: NetworkBuilder.headSpectralNorm(layers), path: path, file: file)
            networks.append(PlannedNetwork(name: "discriminator", plan: discriminator, maxBatch: Saturating.product([2, n]),
                                           optimizerBuffers: OptimizerRule(optimizer).stateNames.count))
        }
        // Conditional: [x | y] rows, [z | y] rows and their z part's gradient.
        let conditioned = Saturating.sum([encoderInput.map { Saturating.product([n, $0.rowWidth]) } ?? 0,
                                          decoderInput.map { Saturating.product([n, Saturating.sum([$0.rowWidth, latent])]) } ?? 0])
        var plan = ModelPlan(
            networks: networks,
            modelFloats: Saturating.sum([Saturating.product([codes, 2, latent]), Saturating.product([n, 2, latent]),
                                         Saturating.product([codes, dataSize]), spec.objective.kind == .iwae ? Saturating.product([2, codes]) : 0,
                                         VAESpec.regularizerFloats(spec.objective, batch: n, latent: latent), conditioned]),
            examplesPerStep: n)
        plan.labelInputs = [("encoder", encoderInput), ("decoder", decoderInput)]
            .reduce(into: [:]) { inputs, pair in if let input = pair.1 { inputs[pair.0] = input } }
        plan.threads = training.threads
        return plan
    }

    /// An encoder list on the data with its 2Z head for [μ | log σ²] appended (VAE and VAE-GAN).
    /// `input` replaces the data's shape as the encoder's input (a conditional VAE's [x | y]).
    static func gaussianEncoder(_ layers: [LayerSpec], latent: Int, dataShape: [Int], input: [Int]? = nil,
                                file: String) throws(SpecError) -> NetworkPlan {
        try NetworkBuilder.checkSize(latent, path: "model.latent", file: file)
        var encoder = try NetworkBuilder.plan(layers, input: input ?? dataShape, path: "model.encoder", file: file)
        try NetworkBuilder.appendHead(&encoder, units: 2 * latent, initializer: NetworkBuilder.headInitializer(layers),
                                      path: "model.latent", file: file)
        return encoder
    }

    /// A VAE's decoder. Layers that end flat (a dense or maxout layer, a flatten) are hidden
    /// layers: a linear dense head to the data's size follows (Bernoulli logits or Gaussian means).
    /// Layers that end in an image — a conv or deconv, or a reshape to C×H×W — end at the output:
    /// that image must be the data's shape, and nothing follows it (before, a dense D×D head was
    /// appended after it, 615k parameters for 28×28, and a decoder ending at 14×14 passed).
    /// `input` replaces [Z] as the decoder's input (a conditional VAE's [z | y]).
    static func vaeDecoder(_ layers: [LayerSpec], latent: Int, dataShape: [Int], input: [Int]? = nil,
                           file: String) throws(SpecError) -> NetworkPlan {
        var decoder = try NetworkBuilder.plan(layers, input: input ?? [latent], path: "model.decoder", file: file)
        if decoder.output.count == 3 {
            try requireDataShape(decoder, dataShape: dataShape, path: "model.decoder", file: file)
        } else {
            try NetworkBuilder.appendHead(&decoder, units: Saturating.product(dataShape),
                                          initializer: NetworkBuilder.headInitializer(layers), path: "model.decoder", file: file)
        }
        return decoder
    }

    /// A complete list (a GAN's generator, a VAE-GAN's decoder, a VAE decoder ending in an image)
    /// must end at the data: an image output at exactly its shape [C, H, W] — 784 values as
    /// [4, 14, 14] are not a 28×28 image — and a flat output at its size.
    static func requireDataShape(_ plan: NetworkPlan, dataShape: [Int], path: String, file: String) throws(SpecError) {
        let dataSize = Saturating.product(dataShape)
        if plan.output.count == 3, plan.output != dataShape {
            throw SpecError(file: file, path: path,
                            expected: "layers ending at the data's shape \(NetworkBuilder.describe(dataShape)) (an image output is the data itself)",
                            found: "an output of shape \(NetworkBuilder.describe(plan.output))")
        }
        guard Saturating.product(plan.output) == dataSize else {
            throw SpecError(file: file, path: path,
                            expected: "layers ending at the data's shape \(NetworkBuilder.describe(dataShape)) (\(dataSize) elements)",
                            found: "an output of shape \(NetworkBuilder.describe(plan.output))")
        }
    }

    /// Generator (ending at the data's shape) at N = M·batch; discriminator on M-packed examples
    /// + a 1-unit head at `batch`. Buffers: z (N, Z), real and fake (N, D), ∂d (N/M); with `ema`
    /// a copy of the generator's parameters and statistics.
    public static func gan(_ spec: GANSpec, training: TrainingSpec, dataShape: [Int], file: String) throws(SpecError) -> ModelPlan {
        try NetworkBuilder.checkSize(spec.latent, path: "model.latent", file: file)
        let packing = spec.schedule.packing, dataSize = Saturating.product(dataShape)
        let n = Saturating.product([training.batch, packing])
        // A conditional GAN: the generator sees [z | y]; the discriminator [x | y] or a projection head.
        let conditioning = spec.conditioning
        let generatorInput = conditioning.map { LabelInput.vector(width: spec.latent, classes: $0.classes) }
        let discriminatorInput = conditioning.flatMap {
            $0.discriminator == .concat ? LabelInput.data(dataShape, classes: $0.classes, layers: spec.discriminator) : nil
        }
        let generator = try NetworkBuilder.plan(spec.generator, input: generatorInput?.shape ?? [spec.latent],
                                                path: "model.generator", file: file)
        try requireDataShape(generator, dataShape: dataShape, path: "model.generator", file: file)
        // PacGAN: M examples side by side — along channels for images, along features for vectors.
        var packedShape = dataShape
        packedShape[0] = Saturating.product([packedShape[0], packing])
        var discriminator = try NetworkBuilder.plan(spec.discriminator, input: discriminatorInput?.shape ?? packedShape,
                                                    path: "model.discriminator", file: file)
        if let conditioning, conditioning.discriminator == .projection {
            try NetworkBuilder.appendProjectionHead(&discriminator, classes: conditioning.classes,
                                                    initializer: NetworkBuilder.headInitializer(spec.discriminator),
                                                    path: "model.conditioning", file: file)
        } else {
            try NetworkBuilder.appendHead(&discriminator, units: 1, initializer: NetworkBuilder.headInitializer(spec.discriminator),
                                          spectralNorm: NetworkBuilder.headSpectralNorm(spec.discriminator),
                                          path: "model.discriminator", file: file)
        }
        // Conditional: [z | y] rows and the generated labels (N); [x | y] rows and their x gradient.
        let conditioned = Saturating.sum([generatorInput.map { Saturating.product([n, Saturating.sum([$0.rowWidth, 1])]) } ?? 0,
                                          discriminatorInput.map {
                                              Saturating.product([training.batch, Saturating.sum([$0.rowWidth, $0.width])])
                                          } ?? 0])
        let schedule = spec.schedule, penalised = schedule.gradientPenalty != nil
        if penalised {
            if conditioning != nil {
                throw SpecError(file: file, path: "model.schedule.gradient_penalty",
                                expected: "no gradient penalty on a conditional GAN (its label inputs have no tangent pass yet)",
                                found: "a gradient penalty with \"conditioning\"")
            }
            try discriminator.requireTangents(path: "model.discriminator", file: file)
        }
        var plan = ModelPlan(
            networks: [PlannedNetwork(name: "generator", plan: generator, maxBatch: n,
                                      optimizerBuffers: OptimizerRule(schedule.generatorOptimizer).stateNames.count),
                       PlannedNetwork(name: "discriminator", plan: discriminator, maxBatch: training.batch,
                                      optimizerBuffers: OptimizerRule(schedule.discriminatorOptimizer).stateNames.count,
                                      tangents: penalised)],
            modelFloats: Saturating.sum([Saturating.product([n, spec.latent]), Saturating.product([n, 2, dataSize]), training.batch,
                                         conditioned,
                                         penalised ? GradientPenalty.floats(maxBatch: training.batch,
                                                                            inputSize: Saturating.product([packing, dataSize])) : 0]),
            emaFloats: schedule.ema == nil ? 0 : Saturating.sum([generator.parameters, generator.state]),
            examplesPerStep: n)
        plan.labelInputs = [("generator", generatorInput), ("discriminator", discriminatorInput)]
            .reduce(into: [:]) { inputs, pair in if let input = pair.1 { inputs[pair.0] = input } }
        plan.threads = training.threads
        return plan
    }

    /// Encoder + 2Z head, decoder (ending at the data's shape), discriminator + 1-unit head, all at
    /// N = batch. Buffers: ε, z (N, Z), x̃, x_p, ∂L_G/∂x̃, ∂L_llike/∂x̃ (N, D), Dis_l(x) and its
    /// gradient (N, F), ∂d (N), ∂[μ | log σ²] (N, 2Z).
    public static func vaeGAN(_ spec: VAEGANSpec, training: TrainingSpec, dataShape: [Int], file: String) throws(SpecError) -> ModelPlan {
        let n = training.batch, latent = spec.latent, dataSize = Saturating.product(dataShape)
        let encoder = try gaussianEncoder(spec.encoder, latent: latent, dataShape: dataShape, file: file)
        let decoder = try NetworkBuilder.plan(spec.decoder, input: [latent], path: "model.decoder", file: file)
        try requireDataShape(decoder, dataShape: dataShape, path: "model.decoder", file: file)
        var discriminator = try NetworkBuilder.plan(spec.discriminator, input: dataShape, path: "model.discriminator", file: file)
        guard spec.featureLayer < discriminator.specEnds.count else {
            throw SpecError(file: file, path: "model.feature_layer",
                            expected: "an index of a discriminator layer, 0 to \(discriminator.specEnds.count - 1)",
                            found: "number \(spec.featureLayer)")
        }
        let featureLayer = discriminator.specEnds[spec.featureLayer]
        let featureSize = discriminator.layers[featureLayer].outputSize
        try NetworkBuilder.appendHead(&discriminator, units: 1, initializer: NetworkBuilder.headInitializer(spec.discriminator),
                                      spectralNorm: NetworkBuilder.headSpectralNorm(spec.discriminator),
                                      path: "model.discriminator", file: file)
        let schedule = spec.schedule, penalised = schedule.gradientPenalty != nil
        if penalised { try discriminator.requireTangents(path: "model.discriminator", file: file) }
        var plan = ModelPlan(
            networks: [PlannedNetwork(name: "encoder", plan: encoder, maxBatch: n,
                                      optimizerBuffers: OptimizerRule(schedule.encoderOptimizer).stateNames.count),
                       PlannedNetwork(name: "decoder", plan: decoder, maxBatch: n,
                                      optimizerBuffers: OptimizerRule(schedule.generatorOptimizer).stateNames.count),
                       PlannedNetwork(name: "discriminator", plan: discriminator, maxBatch: n,
                                      optimizerBuffers: OptimizerRule(schedule.discriminatorOptimizer).stateNames.count,
                                      tangents: penalised)],
            modelFloats: Saturating.sum([Saturating.product([n, 4, latent]), Saturating.product([n, 4, dataSize]),
                                         Saturating.product([n, 2, featureSize]), n,
                                         penalised ? GradientPenalty.floats(maxBatch: n, inputSize: dataSize) : 0]),
            examplesPerStep: n, featureLayer: featureLayer)
        plan.threads = training.threads
        return plan
    }
}
