import Formats
import Foundation
import Models
import NN
import Report

extension FigureContext {
    /// Values per traversal row, from −bound to bound (bound 3 for a normal prior, 1 for a
    /// uniform one); the middle one is 0.
    static let traversalSteps = 11
    /// At most this many rows (dimensions) are drawn.
    static let traversalRows = 32

    /// `traversals.png`: one row per latent dimension i (counted from 0, as in
    /// `evaluation.json`'s per-dimension arrays), the code of test image 0
    /// (its posterior mean; for a GAN a prior draw from the run's `traversals` stream) with z_i
    /// set to each of 11 values from −3 to 3. With an encoder, rows are ordered by the
    /// dimension's KL averaged over the first 2,000 test images, largest first (ties by index),
    /// and labelled "z3  KL 2.41"; a GAN's rows are in index order, labelled "z3". At most 32
    /// rows: the 32 of largest KL, or a GAN's first 32.
    func traversals() throws -> PixelImage {
        let z = model.latent, steps = Self.traversalSteps, bound = priorBound
        var base = [Float](repeating: 0, count: z)                            // (Z)
        var order = Array(0..<z)
        var kl: [Double]? = nil
        if let encoder = model as? any EncodingModel, let posteriors {
            base = encodeMeans(encoder, testImages(1), count: 1)
            kl = posteriors.kl
            order = PosteriorKL.order(posteriors.kl)
        } else {
            var noise = RandomStream(seed: run.seed, purpose: "traversals")
            model.sampleLatent(into: &base, count: 1, rng: &noise)
        }
        let dimensions = Array(order.prefix(Self.traversalRows))
        let values = (0..<steps).map { k in -bound + 2 * bound * Float(k) / Float(steps - 1) }
        var codes = [Float]()                                                 // (rows·steps, Z)
        for i in dimensions {
            for value in values {
                var code = base
                code[i] = value
                codes += code
            }
        }
        let rowLabels = dimensions.map { i in "z\(i)" + (kl.map { String(format: "  KL %.2f", $0[i]) } ?? "") }
        let columnLabels = values.map { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.1f", Double($0)) }
        let (channels, height, width) = imageShape
        return try LabeledGrid(grid: grid(columns: steps)).compose(
            decode(codes, count: codes.count / z,
                   labels: classes > 0 ? Array(repeating: testLabels(1)?.first ?? 0, count: codes.count / z) : nil),
            count: codes.count / z, channels: channels, height: height, width: width,
            rowLabels: rowLabels, columnLabels: columnLabels)
    }
}
