/// Typed values of an experiment file. JSON becomes these once, in `Spec`; below `Spec` no string
/// chooses behaviour. Every field holds its resolved value (defaults filled in).

/// Which data set a run trains on.
public enum DatasetKind: String, Sendable, Equatable, CaseIterable {
    /// dSprites-like procedural binary images (shape, scale, orientation, x, y).
    case sprites
    /// Fashion-MNIST from Debian's `dataset-fashion-mnist` (IDX files).
    case fashionMNIST = "fashion-mnist"
    /// Any folder of MNIST-family IDX files, named by `path`.
    case idx
    /// 8 Gaussians on the unit circle (σ = 0.01).
    case ring
    /// 25 Gaussians on {−4, −2, 0, 2, 4}² (σ = 0.05).
    case grid
    /// A folder of PNG images, named by `path` (sub-folders as classes, `train/` and `test/` as splits).
    case images
    /// Arrays of images or 2-D points in a `.npy` or `.safetensors` file, named by `path`.
    case array
}

/// How images of other sizes become `size` × `size` (`data.resize`).
public enum ResizeRule: String, Sendable, Equatable, CaseIterable {
    /// The centre square, resized with Pillow's antialiased bilinear filter.
    case centerCrop = "center_crop"
    /// None: every image must be `size` × `size` already.
    case none
}

/// The `data` section.
public struct DataSpec: Sendable, Equatable {
    public var dataset: DatasetKind
    /// Folder of IDX files (`idx`, optionally `fashion-mnist` to override the Debian location).
    public var path: String?
    /// Image side for `sprites` (default 64).
    public var size: Int
    /// Number of training examples (procedural data sets; for IDX, a cap; nil = all).
    public var trainSize: Int?
    /// Number of test examples (procedural data sets; for IDX, a cap; nil = all).
    public var testSize: Int?
    /// Seed of the data set itself (procedural generation and the train/test split), separate from
    /// the run seed so that every seed of a sweep sees the same data (default 0).
    public var seed: UInt64
    /// Channels of `images` examples: 1 (grey) or 3 (RGB, the default).
    public var channels: Int
    /// How `images` of other sizes become `size` × `size`.
    public var resize: ResizeRule
    /// `array`: a `.npy` file of labels for `path`; the test file; the test file's labels.
    public var labels: String?
    public var testPath: String?
    public var testLabels: String?

    public init(dataset: DatasetKind, path: String? = nil, size: Int = 64, trainSize: Int? = nil, testSize: Int? = nil, seed: UInt64 = 0,
                channels: Int = 3, resize: ResizeRule = .centerCrop, labels: String? = nil, testPath: String? = nil,
                testLabels: String? = nil) {
        self.dataset = dataset
        self.seed = seed
        self.path = path
        self.size = size
        self.trainSize = trainSize
        self.testSize = testSize
        self.channels = channels
        self.resize = resize
        self.labels = labels
        self.testPath = testPath
        self.testLabels = testLabels
    }
}

/// Elementwise non-linearities.
public enum Activation: Sendable, Equatable {
    case linear
    case relu
    case leakyReLU(slope: Float)
    case sigmoid
    case tanh
    case softplus
}

/// Weight initialisation schemes.
public enum Initializer: String, Sendable, Equatable, CaseIterable {
    /// He et al. 2015: N(0, 2 / fan_in), for ReLU-family activations.
    case he
    /// Glorot & Bengio 2010: U(±√(6 / (fan_in + fan_out))), for sigmoid/tanh/linear.
    case glorot
    /// PyTorch's default for `Linear` and `Conv*d`: weights and biases U(±1/√fan_in), for
    /// reproducing PyTorch scripts (their `fan_in` rules included).
    case pytorch
}

/// One entry of a layer list.
public enum LayerSpec: Sendable, Equatable {
    /// Fully connected layer with `units` outputs, optionally followed by batch norm and an activation;
    /// `spectralNorm` divides its weight by its largest singular value (Miyato et al. 2018).
    case dense(units: Int, activation: Activation, batchNorm: Bool, initializer: Initializer, spectralNorm: Bool = false)
    /// A standalone activation layer.
    case activation(Activation)
    /// Batch normalisation over features (vectors) with running statistics.
    case batchNorm(momentum: Float, epsilon: Float)
    /// Flattens (C, H, W) to a vector.
    case flatten
    /// Reshapes each example to the given shape (element count must match).
    case reshape([Int])
    /// 2-D convolution over NCHW images: `filters` output channels, square `kernel`, `stride`,
    /// zero `padding`; optionally followed by batch norm over channels and an activation.
    case conv(filters: Int, kernel: Int, stride: Int, padding: Int, activation: Activation, batchNorm: Bool, initializer: Initializer,
              spectralNorm: Bool = false)
    /// Transposed 2-D convolution (the gradient of a convolution): output side
    /// `(in − 1)·stride − 2·padding + kernel`.
    case deconv(filters: Int, kernel: Int, stride: Int, padding: Int, activation: Activation, batchNorm: Bool, initializer: Initializer,
                spectralNorm: Bool = false)
    /// Maxout (Goodfellow et al. 2013): `units` outputs, each the maximum of `pieces` linear pieces.
    case maxout(units: Int, pieces: Int, initializer: Initializer = .glorot)
    /// Dropout with drop probability `rate` (inverted scaling; identity in evaluation), masks from
    /// the run's `dropout` stream.
    case dropout(rate: Float)
}

/// Observation model p(x | z) of a VAE decoder.
public enum Likelihood: Sendable, Equatable {
    /// Bernoulli with logits; binary cross-entropy summed over pixels.
    case bernoulli
    /// Gaussian with fixed standard deviation `sigma`; summed squared error with the constant.
    case gaussian(sigma: Float)
}

/// The `model` section for a (β-)VAE.
public struct VAESpec: Sendable, Equatable {
    public var latent: Int
    public var beta: Float
    /// Linear β warm-up from 0 over this many steps (0 = none).
    public var betaWarmupSteps: Int
    public var likelihood: Likelihood
    public var encoder: [LayerSpec]
    public var decoder: [LayerSpec]
    /// What is minimised besides −log p(x|z) (default: the ELBO's β·KL).
    public var objective: VAEObjective
    /// Conditioning on class labels (a conditional VAE, Sohn et al. 2015); nil = unconditional.
    public var conditioning: ConditioningSpec?

    public init(latent: Int, beta: Float, betaWarmupSteps: Int, likelihood: Likelihood, encoder: [LayerSpec], decoder: [LayerSpec],
                objective: VAEObjective = .elbo, conditioning: ConditioningSpec? = nil) {
        self.conditioning = conditioning
        self.latent = latent
        self.beta = beta
        self.betaWarmupSteps = betaWarmupSteps
        self.likelihood = likelihood
        self.encoder = encoder
        self.decoder = decoder
        self.objective = objective
    }
}

/// The prior p(z) a generator samples from.
public enum LatentPrior: String, Sendable, Equatable, CaseIterable {
    /// N(0, I).
    case normal
    /// U(−1, 1) per dimension.
    case uniform
}

/// The adversarial objective (formulas in docs/models.md).
public enum GANLoss: String, Sendable, Equatable, CaseIterable {
    /// Goodfellow et al. 2014, the saturating form: G minimises log(1 − D(G(z))).
    case minimax
    /// G maximises log D(G(z)) instead (Goodfellow et al. 2014, §3).
    case nonSaturating = "non-saturating"
    /// Mao et al. 2017 (LSGAN): squared errors to the labels 1 and 0.
    case leastSquares = "least-squares"
    /// Lim & Ye 2017 / Miyato et al. 2018: hinge loss for D, −D(G(z)) for G.
    case hinge
    /// Arjovsky et al. 2017: critic difference, with weight clipping.
    case wasserstein
}

/// How adversarial training proceeds. One generator step = `discriminatorSteps` discriminator
/// updates (each on a fresh real batch) followed by one generator update; `step` in metrics
/// counts generator updates.
public struct AdversarialSchedule: Sendable, Equatable {
    /// Discriminator updates per generator update (default 1).
    public var discriminatorSteps: Int
    /// Discriminator-only updates before the first generator update (default 0).
    public var warmupSteps: Int
    /// One-sided label smoothing: the real label becomes 1 − s (default 0; Salimans et al. 2016).
    public var labelSmoothing: Float
    /// Instance noise σ added to real and generated inputs of the discriminator (default 0).
    public var instanceNoise: Float
    /// Generator steps over which instance noise decays linearly to 0 (0 = constant).
    public var instanceNoiseDecaySteps: Int
    /// PacGAN packing m: the discriminator judges m samples concatenated (default 1; Lin et al. 2018).
    public var packing: Int
    /// Weight clipping c for the Wasserstein critic (default 0.01 with `wasserstein` and no
    /// gradient penalty, else nil).
    public var weightClip: Float?
    /// A penalty on the discriminator's input gradient (nil = none).
    public var gradientPenalty: GradientPenaltySpec?
    /// Decay of an exponential moving average of the generator's weights used for samples (nil = off).
    public var ema: Float?
    /// Larsen et al.'s gating of discriminator and decoder updates (VAE-GAN only; nil = off).
    public var equilibrium: EquilibriumSpec?
    /// Optimiser of the generator (VAE-GAN: of the decoder); defaults to `training.optimizer`.
    public var generatorOptimizer: OptimizerSpec
    /// Optimiser of the discriminator; defaults to `training.optimizer`.
    public var discriminatorOptimizer: OptimizerSpec
    /// Optimiser of the encoder (VAE-GAN only); defaults to `training.optimizer`.
    public var encoderOptimizer: OptimizerSpec

    public init(discriminatorSteps: Int = 1, warmupSteps: Int = 0, labelSmoothing: Float = 0, instanceNoise: Float = 0,
                instanceNoiseDecaySteps: Int = 0, packing: Int = 1, weightClip: Float? = nil,
                gradientPenalty: GradientPenaltySpec? = nil, ema: Float? = nil, equilibrium: EquilibriumSpec? = nil,
                generatorOptimizer: OptimizerSpec, discriminatorOptimizer: OptimizerSpec, encoderOptimizer: OptimizerSpec) {
        self.discriminatorSteps = discriminatorSteps
        self.warmupSteps = warmupSteps
        self.labelSmoothing = labelSmoothing
        self.instanceNoise = instanceNoise
        self.instanceNoiseDecaySteps = instanceNoiseDecaySteps
        self.packing = packing
        self.weightClip = weightClip
        self.gradientPenalty = gradientPenalty
        self.ema = ema
        self.equilibrium = equilibrium
        self.generatorOptimizer = generatorOptimizer
        self.discriminatorOptimizer = discriminatorOptimizer
        self.encoderOptimizer = encoderOptimizer
    }
}

/// The `model` section for a GAN. The generator's layer list is complete (its last layer must
/// produce the data's shape); the discriminator's list is hidden layers, to which a linear
/// one-logit head is appended. Images are scaled to [−1, 1] for adversarial models.
public struct GANSpec: Sendable, Equatable {
    public var latent: Int
    public var prior: LatentPrior
    public var generator: [LayerSpec]
    public var discriminator: [LayerSpec]
    public var loss: GANLoss
    public var schedule: AdversarialSchedule
    /// Conditioning on class labels (a conditional GAN); nil = unconditional.
    public var conditioning: ConditioningSpec?

    public init(latent: Int, prior: LatentPrior, generator: [LayerSpec], discriminator: [LayerSpec], loss: GANLoss,
                schedule: AdversarialSchedule, conditioning: ConditioningSpec? = nil) {
        self.conditioning = conditioning
        self.latent = latent
        self.prior = prior
        self.generator = generator
        self.discriminator = discriminator
        self.loss = loss
        self.schedule = schedule
    }
}

/// The `model` section for a VAE-GAN (Larsen et al. 2016): encoder (hidden layers; the 2Z head is
/// appended), decoder = generator (complete, ends at the data's shape), discriminator (hidden
/// layers; one-logit head appended). The reconstruction term is measured on the features after
/// discriminator layer `featureLayer`; `gamma` weighs reconstruction against the adversarial term
/// in the decoder's loss.
public struct VAEGANSpec: Sendable, Equatable {
    public var latent: Int
    public var beta: Float
    public var gamma: Float
    public var featureLayer: Int
    public var encoder: [LayerSpec]
    public var decoder: [LayerSpec]
    public var discriminator: [LayerSpec]
    public var loss: GANLoss
    public var schedule: AdversarialSchedule
    /// Weights of the adversarial terms (all 1 by default).
    public var weights: VAEGANLossWeights

    public init(latent: Int, beta: Float, gamma: Float, featureLayer: Int, encoder: [LayerSpec], decoder: [LayerSpec],
                discriminator: [LayerSpec], loss: GANLoss, schedule: AdversarialSchedule,
                weights: VAEGANLossWeights = VAEGANLossWeights()) {
        self.latent = latent
        self.beta = beta
        self.gamma = gamma
        self.featureLayer = featureLayer
        self.encoder = encoder
        self.decoder = decoder
        self.discriminator = discriminator
        self.loss = loss
        self.schedule = schedule
        self.weights = weights
    }
}

/// The `model` section.
public enum ModelSpec: Sendable, Equatable {
    case vae(VAESpec)
    case gan(GANSpec)
    case vaeGAN(VAEGANSpec)
}

/// Optimiser and its hyper-parameters (resolved).
public enum OptimizerSpec: Sendable, Equatable {
    case sgd(lr: Float, momentum: Float, nesterov: Bool, weightDecay: Float)
    case rmsprop(lr: Float, alpha: Float, epsilon: Float, momentum: Float, weightDecay: Float)
    case adam(lr: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float)
    /// Adam with decoupled weight decay (Loshchilov & Hutter 2019).
    case adamw(lr: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float)
}

/// `training.blas_kernel`: OpenBLAS's kernels for a run's matrix products.
public enum BLASKernelChoice: String, Sendable, Equatable, CaseIterable {
    /// `Haswell`, which every x86-64 CPU with AVX2 and FMA runs: the same bytes on all of them.
    case portable
    /// The fastest family this CPU runs (AVX-512 kernels where it has them); the family is recorded
    /// with the run, and resuming or verifying it needs a CPU that runs that family.
    case native
}

/// The `training` section.
public struct TrainingSpec: Sendable, Equatable {
    public var epochs: Int
    public var batch: Int
    public var optimizer: OptimizerSpec
    /// Global-norm gradient clipping threshold (nil = off).
    public var clipNorm: Float?
    /// Threads that share each training step (default 1): the model's `ThreadTeam` splits every
    /// layer's work among them, deterministically for a given count, which is part of the run's id.
    public var threads: Int
    /// Besides the checkpoint at each epoch's end, one after every this many optimisation steps
    /// (`trainStep` calls) of the run; 0 (the default) = epoch ends only. Not part of the run id:
    /// how often a run is saved does not change its results.
    public var checkpointSteps: Int
    /// A `metrics.jsonl` line of the running train averages after every this many optimisation
    /// steps of each epoch, besides the epoch's own line; nil (the default) = automatic, about ten per epoch
    /// (`logInterval(stepsPerEpoch:)`); 0 = epoch ends only, as GenLab 0.1 logged. In the run id:
    /// it changes `metrics.jsonl`.
    public var logEverySteps: Int?
    /// Which OpenBLAS kernels the run's products use: the portable family every AVX2 machine runs
    /// (the default), or the fastest this CPU runs, recorded with the run (`BLASKernel`).
    public var blasKernel: BLASKernelChoice

    public init(epochs: Int, batch: Int, optimizer: OptimizerSpec, clipNorm: Float? = nil, threads: Int = 1,
                checkpointSteps: Int = 0, logEverySteps: Int? = nil, blasKernel: BLASKernelChoice = .portable) {
        self.epochs = epochs
        self.batch = batch
        self.optimizer = optimizer
        self.clipNorm = clipNorm
        self.threads = threads
        self.checkpointSteps = checkpointSteps
        self.logEverySteps = logEverySteps
        self.blasKernel = blasKernel
    }

    /// The optimisation steps between two logged lines for an epoch of `stepsPerEpoch` steps:
    /// `logEverySteps`, or when automatic ⌈stepsPerEpoch / 10⌉; 0 = epoch ends only.
    public func logInterval(stepsPerEpoch: Int) -> Int {
        logEverySteps ?? max(1, (stepsPerEpoch + 9) / 10)
    }
}

/// The figures a run draws at the end of training (each `<kind>.png`), as far as its model and
/// data allow: a GAN has no reconstructions, only a two-dimensional latent has a manifold, and 2-D
/// point data gets only the samples scatter.
public enum GridKind: String, Sendable, Equatable, CaseIterable {
    /// 8×8 decoded from fixed prior noise; for 2-D data a scatter over the true modes.
    case samples
    /// Test images above their reconstructions (models with an encoder).
    case reconstructions
    /// Rows between pairs of encoded test images, or between pairs of noise vectors for a GAN.
    case interpolations
    /// Each latent dimension swept from −3 to 3 around a test code, rows ordered by KL.
    case traversals
    /// The decoded grid over the inverse Gaussian CDF when the latent has two dimensions.
    case manifold
    /// A scatter of test codes coloured by label (models with an encoder).
    case latent

    /// The kinds every run drew at the end of training before the others existed: the only ones
    /// that were in a run's identity in GenLab 0.1 (see `ReportSpec.legacyIdentityJSON`).
    public static let inIdentity: [GridKind] = [.samples, .reconstructions]
}

/// How `interpolations.png` moves between two codes.
public enum InterpolationKind: String, Sendable, Equatable, CaseIterable {
    /// (1 − t)·a + t·b.
    case linear
    /// Spherical linear interpolation (White 2016, "Sampling Generative Networks"): along the
    /// great circle between a and b, so codes of equal norm keep it.
    case spherical
}

/// The `report` section: the figures and metrics the evaluation stage computes from a finished
/// run's checkpoint. None of it changes training, so none of it is in the run id; the run's
/// `evaluation.json` records what was computed, each item with its parameters.
public struct ReportSpec: Sendable, Equatable {
    /// Default: every kind, in declaration order.
    public var grids: [GridKind]
    /// Default `linear`.
    public var interpolation: InterpolationKind
    /// Images per interpolation row, both end codes included (2…32, default 10).
    public var interpolationSteps: Int
    /// The metrics `evaluation.json` gets, in the declared order (default none).
    public var metrics: [MetricSpec]
    /// `table`: the metric columns of the summary tables people read (`summary.md`, `index.html`);
    /// nil, the default, shows the model's main metrics (`TableColumns`). The experiment's, never a
    /// variant's, and not part of a run's resolved spec.
    public var table: [String]?

    public init(grids: [GridKind] = GridKind.allCases, interpolation: InterpolationKind = .linear,
                interpolationSteps: Int = 10, metrics: [MetricSpec] = [], table: [String]? = nil) {
        self.grids = grids
        self.interpolation = interpolation
        self.interpolationSteps = interpolationSteps
        self.metrics = metrics
        self.table = table
    }
}

/// One fully resolved run: the experiment with one seed and one value of every swept path.
public struct RunSpec: Sendable, Equatable {
    /// The experiment's `name`.
    public var experiment: String
    public var seed: UInt64
    /// The swept values of this run, as dotted path → canonical JSON text of the value, in the
    /// order the sweep declares them.
    public var swept: [SweptValue]
    public var data: DataSpec
    public var model: ModelSpec
    public var training: TrainingSpec
    public var report: ReportSpec
    /// Canonical JSON (sorted keys, no spaces) of the run's identity — what changes training
    /// (`identityJSON`: no `report`, no `training.checkpoint_steps`); the run id hashes it.
    public var canonicalJSON: String
    /// Short hex SHA-256 of `canonicalJSON` (12 characters).
    public var id: String

    public init(experiment: String, seed: UInt64, swept: [SweptValue], data: DataSpec, model: ModelSpec,
                training: TrainingSpec, report: ReportSpec, canonicalJSON: String, id: String) {
        self.experiment = experiment
        self.seed = seed
        self.swept = swept
        self.data = data
        self.model = model
        self.training = training
        self.report = report
        self.canonicalJSON = canonicalJSON
        self.id = id
    }
}

/// One swept hyper-parameter value of a run.
public struct SweptValue: Sendable, Equatable {
    /// Dotted path as written in `sweep`, e.g. `model.beta`.
    public var path: String
    /// Canonical JSON text of the value, e.g. `4` or `"relu"`.
    public var value: String

    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }
}

/// A parsed, validated experiment file expanded into its runs.
public struct Experiment: Sendable {
    public var name: String
    /// The file it came from (for messages).
    public var file: String
    /// The file's text as read, kept to record what was run.
    public var source: String
    /// Every run, seeds innermost: for each sweep combination, each seed.
    public var runs: [RunSpec]
    /// Where each run stands in a successive-halving search (nil without one): `runs` then holds
    /// every trial at every rung, of which the promotions decide which are trained.
    public var halving: HalvingPlan?

    public init(name: String, file: String, source: String, runs: [RunSpec], halving: HalvingPlan? = nil) {
        self.name = name
        self.file = file
        self.source = source
        self.runs = runs
        self.halving = halving
    }
}
