import Formats
import Foundation
import Report

extension FigureContext {
    /// `latent.png` (models with an encoder): the posterior means of the first 2,000 test images
    /// as a scatter coloured by label, with a legend of the class names (one colour and no
    /// legend when the data have no labels). A two-dimensional latent is plotted as it is; a
    /// larger one on its two dimensions of largest KL (x the largest), which the axis titles
    /// name with their KL and the title says.
    func latentScatter() throws -> PixelImage {
        guard let posteriors else { preconditionFailure("a latent scatter needs an encoder") }
        let z = model.latent, n = posteriors.count
        let order = z == 2 ? [0, 1] : PosteriorKL.order(posteriors.kl)
        let (dx, dy) = (order[0], order[1])
        var points = [Float]()                                                // (N, 2)
        points.reserveCapacity(2 * n)
        for i in 0..<n { points += [posteriors.means[i * z + dx], posteriors.means[i * z + dy]] }
        let labels = test.labels.map { $0.prefix(n).map(Int.init) }
        func axis(_ i: Int) -> String { "z\(i + 1) (KL \(String(format: "%.2f", posteriors.kl[i])))" }
        let title = "posterior means of \(n) test images"
            + (z == 2 ? "" : ": the 2 of \(z) dimensions with the largest KL")
        let plot = ClassScatterPlot(extent: ClassScatterPlot.extent(covering: points))
        return plot.render(points: points, labels: labels, classNames: labels == nil ? [] : LabelNames.names(for: run.data, splits: data),
                           title: title, xTitle: axis(dx), yTitle: axis(dy))
    }
}
