/// The bounds every experiment file is held to before anything is built or allocated, so that no
/// value can overflow the arithmetic it feeds (shapes, step counts, run counts) and no file can
/// keep `validate` busy. docs/architecture.md ("Limits") says why each is where it is; the JSON
/// Schema states the same numbers.
public enum SpecLimits {
    /// The largest experiment file read (1 MiB; the biggest committed one is under 10 KiB).
    public static let maxFileBytes = 1 << 20
    /// The longest experiment `name`: it becomes a folder name under `--results`.
    public static let maxNameLength = 100
    /// Runs in one experiment at most (variants × sweep combinations × seeds).
    public static let maxRuns = 10_000
    /// Swept paths (`sweep` keys) at most.
    public static let maxSweepPaths = 100
    /// `training.epochs` at most.
    public static let maxEpochs = 1_000_000
    /// Optimisation steps of a run at most (epochs × steps per epoch), and the bound of every
    /// step-count field (`checkpoint_steps`, warm-ups, decays).
    public static let maxSteps = 1_000_000_000
    /// Examples at most: `train_size`, `test_size`, `batch` and metric sample counts.
    public static let maxExamples = 10_000_000
    /// Units, filters, pieces × units and reshape dimensions at most (the elements one example
    /// may have between layers, as `NetworkBuilder.maxActivationSize`).
    public static let maxUnits = 16_777_216
    /// `latent` at most.
    public static let maxLatent = 65_536
    /// Convolution `kernel`, `stride` and `padding` at most (images are at most 256 pixels a side).
    public static let maxKernel = 256
    /// `maxout` `pieces` at most.
    public static let maxPieces = 64
    /// Dimensions of a `reshape` at most.
    public static let maxReshapeRank = 8
    /// `schedule.discriminator_steps` at most.
    public static let maxDiscriminatorSteps = 1_000
    /// `model.objective.samples` of the IWAE objective at most (the decoder runs on batch × k codes;
    /// Burda et al. train with k ≤ 50).
    public static let maxImportanceSamples = 5_000
}
