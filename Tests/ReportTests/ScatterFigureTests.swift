import Formats
import Foundation
import Report
import Testing

/// The scatter as a figure: the plot's pixels unchanged inside it, with title, subtitle and ticks
/// around them.
@Suite struct ScatterFigureTests {
    let plot = ScatterPlot(width: 100, height: 100, xRange: -1...1, yRange: -1...1)
    let points: [Float] = [0, 0, 0.5, -0.5, -0.9, 0.9]
    let modes: [SIMD2<Float>] = [SIMD2(0, 0), SIMD2(0.5, 0.5)]

    @Test func thePlotSitsUnchangedInsideItsTitlesAndAxes() throws {
        let inner = plot.render(points: points, modes: modes, modeRadius: 0.1)
        let figure = ScatterFigure(plot: plot, title: "run abc · seed 1", subtitle: "2 of 2 modes")
        let image = figure.render(points: points, modes: modes, modeRadius: 0.1)
        #expect(image.width > inner.width && image.height > inner.height + 2 * BitmapFont.standard.lineHeight)
        // Find the plot: the first row and column where the inner image's top-left black frame starts.
        var found: (Int, Int)?
        search: for y in 0..<(image.height - inner.height) {
            for x in 0..<(image.width - inner.width) where rows(image, x: x, y: y, like: inner) {
                found = (x, y)
                break search
            }
        }
        let (x, y) = try #require(found, "the plot's pixels are not in the figure unchanged")
        #expect(y > 2 * BitmapFont.standard.lineHeight, "title and subtitle lie above the plot")
        // Ticks: black pixels just below the plot's bottom frame at x = −1, 0, 1 (columns 0, 50, 99).
        for column in [0, 50, 99] {
            let i = ((y + inner.height + 2) * image.width + x + column) * 3
            #expect(Array(image.pixels[i..<(i + 3)]) == [0, 0, 0], "no tick under column \(column)")
        }
        #expect(figure.render(points: points, modes: modes, modeRadius: 0.1) == image)
        let other = ScatterFigure(plot: plot, title: "run abd · seed 1", subtitle: "2 of 2 modes")
        #expect(other.render(points: points, modes: modes, modeRadius: 0.1) != image, "the title is drawn")
    }

    private func rows(_ image: PixelImage, x: Int, y: Int, like inner: PixelImage) -> Bool {
        for row in 0..<inner.height {
            let a = ((y + row) * image.width + x) * 3, b = row * inner.width * 3
            if image.pixels[a..<(a + inner.width * 3)] != inner.pixels[b..<(b + inner.width * 3)] { return false }
        }
        return true
    }
}
