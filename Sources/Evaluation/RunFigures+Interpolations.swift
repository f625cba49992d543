import Formats
import Models
import NN
import Report

extension FigureContext {
    /// Rows of `interpolations.png`.
    static let interpolationRows = 8

    /// `interpolations.png`: 8 rows, each the decoded codes from one code to another in
    /// `report.interpolation_steps` steps, linear or spherical (`report.interpolation`). With an
    /// encoder the codes are the posterior means of test images 2r and 2r + 1, shown themselves in
    /// the first and last columns; a GAN's are pairs of prior draws from the run's
    /// `interpolations` stream.
    func interpolations() throws -> PixelImage {
        let z = model.latent, steps = run.report.interpolationSteps
        let encoder = model as? any EncodingModel
        let rows = encoder == nil ? Self.interpolationRows : min(Self.interpolationRows, test.count / 2)
        precondition(rows > 0, "interpolations of test images need at least 2 of them")
        var ends = [Float](repeating: 0, count: 2 * rows * z)                 // (2·rows, Z): a₀ b₀ a₁ b₁ …
        var originals: [Float] = []
        if let encoder {
            originals = testImages(2 * rows)
            ends = encodeMeans(encoder, originals, count: 2 * rows)
        } else {
            var noise = RandomStream(seed: run.seed, purpose: "interpolations")
            model.sampleLatent(into: &ends, count: 2 * rows, rng: &noise)
        }
        var codes = [Float]()                                                 // (rows·steps, Z)
        for r in 0..<rows {
            codes += LatentInterpolation.path(from: Array(ends[(2 * r * z)..<((2 * r + 1) * z)]),
                                              to: Array(ends[((2 * r + 1) * z)..<((2 * r + 2) * z)]),
                                              steps: steps, kind: run.report.interpolation)
        }
        // A conditional model: row r is the class of test image 2r (encoder) or r mod K (GAN).
        let rowClasses: [Int32]? = encoder == nil
            ? (classes > 0 ? (0..<rows).map { Int32($0 % classes) } : nil)
            : testLabels(2 * rows).map { labels in (0..<rows).map { labels[2 * $0] } }
        let decoded = decode(codes, count: rows * steps, labels: rowLabels(rowClasses, perRow: steps))
        let size = test.exampleSize
        var cells = [Float]()                                                 // (rows·columns, D)
        for r in 0..<rows {
            if encoder != nil { cells += originals[(2 * r * size)..<((2 * r + 1) * size)] }
            cells += decoded[(r * steps * size)..<((r + 1) * steps * size)]
            if encoder != nil { cells += originals[((2 * r + 1) * size)..<((2 * r + 2) * size)] }
        }
        let columns = steps + (encoder == nil ? 0 : 2)
        let (channels, height, width) = imageShape
        return try grid(columns: columns).compose(cells, count: rows * columns, channels: channels, height: height, width: width)
    }
}
