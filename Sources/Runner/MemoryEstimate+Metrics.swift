import Models
import Spec

// Dimension letters: N examples a metric uses, D data size, Z latent, F classifier features.
extension MemoryEstimate {
    /// Classifier features per example assumed for `fid`, `kid` and `precision_recall` (the
    /// evaluation classifier's feature layer is smaller; this keeps the estimate an upper bound).
    static let assumedFeatures = 1_024

    /// Bytes the largest of `report.metrics` allocates after training (they run one at a time):
    /// `mig` holds codes and factors for all its points, `sap` and `dci` for their training and test
    /// points (`dci` also each feature's sort order, its boosting scores and the trees' residuals:
    /// about 64 bytes per point and class, at most 40 classes), `beta_vae_score` its features and
    /// max(4,096, 2·batch) codes at a time, `factor_vae_score` the codes of its variance estimate
    /// (or of one group of votes); each of these one chunk of 256 rendered images. The feature
    /// metrics hold real and generated images and features for min(samples, test count)
    /// examples, `kid` an m × m Gram matrix of Doubles (m = min(subset_size, N)) and
    /// `precision_recall` 512-row blocks of Double distances. `iwae`, `active_units` and `kl_per_dimension` work in batch-sized chunks
    /// and are covered by the training buffers.
    static func metricBytes(_ run: RunSpec, exampleSize d: Int, testCount: Int) -> Int {
        let z = run.model.latentSize, f = assumedFeatures
        func images(_ n: Int) -> Int { Saturating.product([n, 2, Saturating.sum([Saturating.product([d, 4]), f * 8])]) }
        // A chunk of 256 rendered images (bytes and floats) for the metrics on sprites.
        let chunk = Saturating.product([256, d, 5])
        return run.report.metrics.map { metric -> Int in
            switch metric {
            case let .mig(points, _):
                // Codes (N, Z) Float, factors (N, 5) and indices (N) Int, a chunk of 256 images.
                return Saturating.sum([Saturating.product([points, Saturating.sum([Saturating.product([4, z]), 48])]), chunk])
            case let .betaVAEScore(batch, train, eval):
                return Saturating.sum([Saturating.product([max(train, eval), Saturating.sum([Saturating.product([8, z]), 8])]),
                                       Saturating.product([max(4096, 2 * batch), Saturating.sum([Saturating.product([4, z]), 48])]), chunk])
            case let .factorVAEScore(batch, _, _, variance):
                return Saturating.sum([Saturating.product([max(variance, 4096, batch), Saturating.sum([Saturating.product([4, z]), 48])]),
                                       chunk])
            case let .sap(train, test):
                return Saturating.sum([Saturating.product([Saturating.sum([train, test]), Saturating.sum([Saturating.product([20, z]), 48])]), chunk])
            case let .dci(train, test):
                return Saturating.sum([Saturating.product([Saturating.sum([train, test]), Saturating.sum([Saturating.product([12, z]), 48])]),
                                       Saturating.product([train, 40, 64]), chunk])
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
