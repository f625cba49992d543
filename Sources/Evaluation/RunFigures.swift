import Data
import Formats
import Models
import NN
import Report
import RunStore
import Spec

/// The figures of a finished run, each `<kind>.png` in its folder (`GridKind`), drawn from the
/// trained model and the test split: `samples`, `reconstructions`, `interpolations`,
/// `traversals`, `manifold`, `latent` — those `run.report.grids` lists and the model and data
/// allow (see `kinds(for:data:)`); the others are skipped without a word. One file per figure
/// (`RunFigures+<Kind>.swift`).
///
/// Deterministic: noise comes from the run's seeded streams, one purpose per figure (`samples`,
/// `interpolations`, `traversals`), so adding a figure never changes another's bytes, and the
/// model is only evaluated. `write` is what a run calls at its end and `regenerate` what redraws
/// a run folder from its checkpoint: the same code, so the same bytes.
public enum RunFigures {
    /// The figure kinds of `run.report.grids` that `model` and `data` allow, in the listed order:
    /// every one needs a generating model and image data, except `samples`, which 2-D mixture
    /// data draw as a scatter; `reconstructions` and `latent` need an encoder (and `latent` at
    /// least two latent dimensions); `manifold` needs exactly two; figures of test images need
    /// test images.
    static func kinds(for run: RunSpec, model: any GenerativeModel, data: DataSplits) -> [GridKind] {
        guard let generating = model as? any GeneratingModel else { return [] }
        let images = data.exampleShape.count == 3, encodes = model is any EncodingModel
        return run.report.grids.filter { kind in
            switch kind {
            case .samples: return images || data.mixture != nil
            case .reconstructions: return images && encodes && data.test.count >= 1
            case .interpolations: return images && (!encodes || data.test.count >= 2)
            case .traversals: return images && (!encodes || data.test.count >= 1)
            case .manifold: return images && generating.latent == 2
            case .latent: return images && encodes && generating.latent >= 2 && data.test.count >= 1
            }
        }
    }

    /// The pictures a training run shows TensorBoard at each epoch end, whatever `report.grids`
    /// says: `samples` (an image grid, or for 2-D data the scatter over the modes) and, for a model
    /// with an encoder, `reconstructions`. Drawn as the run's figures are, from the same seeded
    /// streams, so an epoch's samples come from the same codes every epoch; the model is only
    /// evaluated, so training goes on unchanged.
    package static func progressImages(model: any GenerativeModel, run: RunSpec, data: DataSplits) throws -> [(tag: String, image: PixelImage)] {
        var every = run
        every.report.grids = [.samples, .reconstructions]
        let kinds = kinds(for: every, model: model, data: data)
        guard !kinds.isEmpty, let context = FigureContext(model: model, run: run, data: data) else { return [] }
        return try kinds.map { ($0.rawValue, try context.draw($0)) }
    }

    /// Draws the figures `kinds(for:model:data:)` allows into `folder`; returns their kinds.
    @discardableResult
    static func write(model: any GenerativeModel, run: RunSpec, data: DataSplits, folder: RunFolder) throws -> [GridKind] {
        let kinds = kinds(for: run, model: model, data: data)
        guard !kinds.isEmpty, let context = FigureContext(model: model, run: run, data: data) else { return [] }
        for kind in kinds {
            try AtomicFile.write(PNGCodec.encode(try context.draw(kind)), to: folder.figure(kind.rawValue))
        }
        return kinds
    }
}

/// What every figure draws from: the model, the run (seed, report options), the test split.
package final class FigureContext {
    let model: any GeneratingModel
    let run: RunSpec
    let data: DataSplits
    var test: any Dataset { data.test }

    /// Nil unless `model` generates (every model does so far).
    init?(model: any GenerativeModel, run: RunSpec, data: DataSplits) {
        guard let generating = model as? any GeneratingModel else { return nil }
        self.model = generating
        self.run = run
        self.data = data
    }

    /// The picture of one figure kind (which `RunFigures.kinds` allows).
    func draw(_ kind: GridKind) throws -> PixelImage {
        switch kind {
        case .samples: return try samples()
        case .reconstructions: return try reconstructions()
        case .interpolations: return try interpolations()
        case .traversals: return try traversals()
        case .manifold: return try manifold()
        case .latent: return try latentScatter()
        }
    }

    // MARK: - Shared pieces

    /// (C, H, W) of the image data.
    var imageShape: (channels: Int, height: Int, width: Int) {
        let shape = data.exampleShape
        return (shape[0], shape[1], shape[2])
    }

    /// The grid style of every image figure: 1-pixel separators (gray for gray images, white for
    /// colour), images up to 32 pixels drawn twice as large.
    func grid(columns: Int, scale: Int? = nil) -> ImageGrid {
        let (channels, height, _) = imageShape
        return ImageGrid(columns: columns, spacing: 1, separatorColor: channels == 1 ? .gray(128) : .white,
                         scale: scale ?? (height <= 32 ? 2 : 1))
    }

    /// Test examples `0..<count` as (count, D) floats in [0, 1].
    func testImages(_ count: Int) -> [Float] {
        var images = [Float](repeating: 0, count: count * test.exampleSize)
        Array(0..<count).withUnsafeBufferPointer { test.gather($0, into: &images) }
        return images
    }

    /// Decodes codes (count, Z) to images (count, D) in [0, 1]; a conditional model's with
    /// `labels` (count) when given, else class i mod K for code i.
    func decode(_ codes: [Float], count: Int, labels: [Int32]? = nil) -> [Float] {
        var images = [Float](repeating: 0, count: count * test.exampleSize)
        if let labels, let conditional = model as? any ConditionalModel {
            labels.withUnsafeBufferPointer { conditional.decodeMean(codes, labels: $0.baseAddress!, count: count, into: &images) }
        } else {
            model.decodeMean(codes, count: count, into: &images)
        }
        RunFigures.toUnitRange(&images, from: model)
        return images
    }

    /// Posterior means (count, Z) of test images 0..<count (count, D) in [0, 1]; a conditional
    /// VAE encodes them with their labels.
    func encodeMeans(_ encoder: any EncodingModel, _ images: [Float], count: Int) -> [Float] {
        var inputs = images
        RunFigures.fromUnitRange(&inputs, to: encoder)
        var codes = [Float](repeating: 0, count: count * encoder.latent)
        encoder.encodeMean(inputs, classLabels: testLabels(count), count: count, into: &codes)
        return codes
    }

    /// Test examples whose posteriors the KL and `latent.png` use: the first 2,000 (all when fewer).
    static let posteriorSubset = 2000

    /// The posteriors of the first `posteriorSubset` test images: their means (N, Z) and the
    /// per-dimension KL averaged over them. Computed once per context.
    lazy var posteriors: (means: [Float], count: Int, kl: [Double])? = {
        guard let encoder = model as? any EncodingModel else { return nil }
        let n = min(FigureContext.posteriorSubset, test.count), z = encoder.latent
        var inputs = testImages(n)
        RunFigures.fromUnitRange(&inputs, to: encoder)
        var stats = [Float](repeating: 0, count: n * 2 * z)                   // (N, 2Z)
        encoder.encodePosterior(inputs, classLabels: testLabels(n), count: n, into: &stats)
        var means = [Float](repeating: 0, count: n * z)                       // (N, Z)
        for i in 0..<n { for j in 0..<z { means[i * z + j] = stats[i * 2 * z + j] } }
        return (means, n, PosteriorKL.perDimension(stats, count: n, latent: z))
    }()

    /// The prior's bulk for sweeps and grids: ±3 for N(0, I), ±1 for a uniform GAN prior.
    var priorBound: Float {
        if case .gan(let gan) = run.model, gan.prior == .uniform { return 1 }
        return 3
    }

    /// The prior's quantile function: Φ⁻¹ for N(0, 1), 2p − 1 for U(−1, 1).
    func priorQuantile(_ p: Double) -> Float {
        if case .gan(let gan) = run.model, gan.prior == .uniform { return Float(2 * p - 1) }
        return Float(InverseNormalCDF.value(p))
    }
}

extension RunFigures {
    /// Maps a model's image range back to [0, 1] for pictures.
    static func toUnitRange(_ images: inout [Float], from model: any GenerativeModel) {
        guard model.usesSymmetricImages else { return }
        for i in images.indices { images[i] = (images[i] + 1) * 0.5 }
    }

    /// Maps [0, 1] images into the range the model trains on.
    static func fromUnitRange(_ images: inout [Float], to model: any GenerativeModel) {
        guard model.usesSymmetricImages else { return }
        for i in images.indices { images[i] = images[i] * 2 - 1 }
    }
}
