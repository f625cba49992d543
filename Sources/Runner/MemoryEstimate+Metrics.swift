import Models
import Spec

// Dimension letters: N examples a metric uses, D data size, Z latent, F classifier features.
extension MemoryEstimate {
    /// Classifier features per example assumed for `fid`, `kid` and `precision_recall` (the
    /// evaluation classifier's feature layer is smaller; this keeps the estimate an upper bound).
    static let assumedFeatures = 1_024

    /// Bytes the largest of `report.metrics` allocates after training (they run one at a time):
    /// `mig` holds codes and factors for all its points; the feature metrics hold real and
    /// generated images and features for min(samples, test count) examples, `kid` an m × m Gram
    /// matrix of Doubles (m = min(subset_size, N)) and `precision_recall` 512-row blocks of
    /// Double distances. `iwae`, `active_units` and `kl_per_dimension` work in batch-sized chunks
    /// and are covered by the training buffers.
    static func metricBytes(_ run: RunSpec, exampleSize d: Int, testCount: Int) -> Int {
        let z = run.model.latentSize, f = assumedFeatures
        func images(_ n: Int) -> Int { Saturating.product([n, 2, Saturating.sum([Saturating.product([d, 4]), f * 8])]) }
        return run.report.metrics.map { metric -> Int in
            switch metric {
            case let .mig(points, _):
                // Codes (N, Z) Float, factors (N, 5) and indices (N) Int, a chunk of 256 images.
                return Saturating.sum([Saturating.product([points, Saturating.sum([Saturating.product([4, z]), 48])]),
                                       Saturating.product([256, d, 5])])
            case let .fid(samples):
                return images(min(samples, testCount))
            case let .kid(samples, _, subsetSize):
                let n = min(samples, testCount), m = min(subsetSize, n)
                return Saturating.sum([images(n), Saturating.product([m, m, 8]), Saturating.product([2, m, f, 8])])
            case let .precisionRecall(samples, _):
                let n = min(samples, testCount)
                return Saturating.sum([images(n), Saturating.product([2, 512, n, 8])])
            case .iwae, .activeUnits, .klPerDimension:
                return 0
            }
        }.max() ?? 0
    }
}

extension ModelSpec {
    /// The latent dimension Z of any model type.
    var latentSize: Int {
        switch self {
        case .vae(let spec): spec.latent
        case .gan(let spec): spec.latent
        case .vaeGAN(let spec): spec.latent
        }
    }
}
