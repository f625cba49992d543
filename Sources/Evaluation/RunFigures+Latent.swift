import Formats
import Foundation
import Report

extension FigureContext {
    /// `latent.png` (models with an encoder): the posterior means of the first 2,000 test images
    /// as a scatter coloured by label, with a legend of the class names (one colour and no
    /// legend when the data have no labels). A two-dimensional latent is plotted as it is; a
    /// larger one on its two dimensions of largest KL (x the largest), which the axis titles
    /// name (counted from 0, as in `evaluation.json`'s per-dimension arrays) with their KL and
    /// the title's second line says; its first line is the run's title (`RunTitle`).
    func latentScatter() throws -> PixelImage {
        guard let posteriors else { preconditionFailure("a latent scatter needs an encoder") }
        let z = model.latent, n = posteriors.count
        let order = z == 2 ? [0, 1] : PosteriorKL.order(posteriors.kl)
        let (dx, dy) = (order[0], order[1])
        var points = [Float]()                                                // (N, 2)
        points.reserveCapacity(2 * n)
        for i in 0..<n { points += [posteriors.means[i * z + dx], posteriors.means[i * z + dy]] }
        let labels = test.labels.map { $0.prefix(n).map(Int.init) }
        func axis(_ i: Int) -> String { "z\(i) (KL \(String(format: "%.2f", posteriors.kl[i])))" }
        let title = [RunTitle.text(id: run.id, seed: run.seed, swept: run.swept),
                     Self.latentCaption(count: n, latent: z)]
        let plot = ClassScatterPlot(extent: ClassScatterPlot.extent(covering: points))
        return plot.render(points: points, labels: labels, classNames: labels == nil ? [] : LabelNames.names(for: run.data, splits: data),
                           title: title, xTitle: axis(dx), yTitle: axis(dy))
    }

    /// The second title line of `latent.png`.
    static func latentCaption(count: Int, latent: Int) -> String {
        "posterior means of \(count) test images" + (latent == 2 ? "" : ": the 2 of \(latent) dimensions with the largest KL")
    }
}
