import Formats
import Models
import NN
import Report

/// Labels for the figures of a conditional model (K classes): encoded test images keep their own
/// labels (reconstructions, an encoder's interpolations and traversals, the posteriors), the
/// samples grid has a row per class, a GAN's interpolation row r is class r mod K and its
/// traversals take the class of test image 0. An unconditional model gets no labels anywhere.
extension FigureContext {
    /// K, or 0 for an unconditional model.
    var classes: Int { model.conditionedClasses }

    /// The labels of test examples 0..<count, or nil for an unconditional model.
    func testLabels(_ count: Int) -> [Int32]? {
        guard classes > 0, let labels = test.labels else { return nil }
        return Array(labels.prefix(count))
    }

    /// `count` copies of one label each for `rows` rows of `perRow` (nil for an unconditional model).
    func rowLabels(_ labels: [Int32]?, perRow: Int) -> [Int32]? {
        labels.map { $0.flatMap { Array(repeating: $0, count: perRow) } }
    }

    /// `samples.png` of a conditional model on images: one row of 8 samples per class, row r
    /// class r, labelled with the class's name; codes from the run's `samples` stream.
    func conditionalSamples() throws -> PixelImage {
        let columns = 8, n = classes * columns
        var noise = RandomStream(seed: run.seed, purpose: "samples")
        var codes = [Float](repeating: 0, count: n * model.latent)
        model.sampleLatent(into: &codes, count: n, rng: &noise)
        let labels = rowLabels((0..<classes).map(Int32.init), perRow: columns)
        let names = LabelNames.names(for: run.data, splits: data)
        let rowNames = (0..<classes).map { $0 < names.count ? names[$0] : String($0) }
        let (channels, height, width) = imageShape
        return try LabeledGrid(grid: grid(columns: columns)).compose(
            decode(codes, count: n, labels: labels), count: n, channels: channels, height: height, width: width,
            rowLabels: rowNames)
    }
}
