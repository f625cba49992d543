import Formats
import Foundation

// Dimension letters: N points. Points are (N, 2), x and y interleaved.

/// A scatter of 2-D points coloured by class with a legend, as an RGB ``PixelImage`` (the run's
/// `latent.png`: test codes coloured by label).
///
/// Both axes show [−``extent``, ``extent``] on a square plot of ``plotSize`` pixels: x ∈ that
/// range goes to column ⌊(x + e) / 2e · plotSize⌋ and y to row ⌊(e − y) / 2e · plotSize⌋ (y up,
/// the closed upper ends on the last column / row); points outside, or not finite, are not drawn.
/// Drawing order: white background; light gray axes through 0; each point as a
/// ``pointSize``-pixel square in ``LabelPalette/color(of:)`` of its class (in input order, so
/// no class is always on top); a black frame; tick labels −e, 0, e; the axis titles; the title
/// lines above; the legend (a swatch and the class name per class) on the right.
public struct ClassScatterPlot: Sendable {
    /// Side of the square plot area in pixels (default 480).
    public var plotSize: Int
    /// Half-width of the shown range on both axes (> 0).
    public var extent: Float
    /// Side of each point's square in pixels (default 3).
    public var pointSize = 3
    public var font: BitmapFont = .standard
    /// Space between the parts of the figure, in pixels (default 6).
    public var margin = 6

    public init(extent: Float, plotSize: Int = 480) {
        precondition(extent > 0 && extent.isFinite, "ClassScatterPlot: extent must be positive and finite, got \(extent)")
        precondition(plotSize >= 16, "ClassScatterPlot: plot size \(plotSize) below 16 pixels")
        self.extent = extent
        self.plotSize = plotSize
    }

    /// An extent that shows nearly all of `points`: the 99th percentile of |coordinate| over the
    /// finite coordinates, rounded up to a whole number (at least 1). The 1 % beyond it — a few
    /// stray codes — are left out rather than shrinking everything else.
    public static func extent(covering points: [Float]) -> Float {
        let magnitudes = points.filter(\.isFinite).map(abs).sorted()
        guard !magnitudes.isEmpty else { return 1 }
        let index = min(magnitudes.count - 1, (magnitudes.count * 99) / 100)
        return max(1, magnitudes[index].rounded(.up))
    }

    /// The pixel (column, row) of a point within the plot area, or nil outside the range.
    public func pixel(x: Float, y: Float) -> (column: Int, row: Int)? {
        let e = Double(extent), (dx, dy) = (Double(x), Double(y))
        guard dx >= -e, dx <= e, dy >= -e, dy <= e else { return nil }  // NaN fails too
        let column = Int(((dx + e) / (2 * e) * Double(plotSize)).rounded(.down))
        let row = Int(((e - dy) / (2 * e) * Double(plotSize)).rounded(.down))
        return (min(column, plotSize - 1), min(row, plotSize - 1))
    }

    /// The plot of `points` (N, 2 interleaved) with `labels` (N class indices, or nil for one
    /// colour) named by `classNames` in the legend (no legend when empty), under the `title`
    /// lines (the image widens to the longest).
    public func render(points: [Float], labels: [Int]?, classNames: [String], title: [String],
                       xTitle: String, yTitle: String) -> PixelImage {
        precondition(points.count % 2 == 0, "ClassScatterPlot: \(points.count) floats is not a whole number of 2-D points")
        precondition(labels == nil || labels!.count == points.count / 2,
                     "ClassScatterPlot: \(labels?.count ?? 0) labels for \(points.count / 2) points")
        let line = font.lineHeight, m = margin
        let ticks = ["-" + Self.text(extent), "0", Self.text(extent)]
        let tickWidth = ticks.map(font.width(of:)).max()!
        // Left to right: y title (upward), tick labels, plot, legend.
        let plotX = m + line + m + tickWidth + m
        let plotY = m + title.count * line + m
        let swatch = line - 4
        let legendWidth = classNames.isEmpty ? 0 : m + swatch + m + (classNames.map(font.width(of:)).max() ?? 0)
        let width = max(plotX + plotSize + 1 + legendWidth + m, plotX + (title.map(font.width(of:)).max() ?? 0) + m)
        let height = plotY + plotSize + 1 + m + line + m + line + m
        var canvas = Canvas(width: width, height: height)

        // (1) Axes through 0, then the points, then the frame over them.
        let axis = GridColor.gray(210), (zeroColumn, zeroRow) = pixel(x: 0, y: 0)!
        canvas.fill(x0: plotX + zeroColumn, y0: plotY, x1: plotX + zeroColumn, y1: plotY + plotSize, color: axis)
        canvas.fill(x0: plotX, y0: plotY + zeroRow, x1: plotX + plotSize, y1: plotY + zeroRow, color: axis)
        let before = (pointSize - 1) / 2, after = pointSize / 2
        for i in 0..<(points.count / 2) {
            guard let (column, row) = pixel(x: points[2 * i], y: points[2 * i + 1]) else { continue }
            let color = labels.map { LabelPalette.color(of: $0[i]) } ?? LabelPalette.colors[0]
            let (x, y) = (plotX + column, plotY + row)
            canvas.fill(x0: x - before, y0: y - before, x1: x + after, y1: y + after, color: color)
        }
        canvas.fill(x0: 0, y0: 0, x1: width - 1, y1: plotY - 1, color: .white)  // points spilling over the margins
        canvas.fill(x0: 0, y0: plotY + plotSize + 1, x1: width - 1, y1: height - 1, color: .white)
        canvas.fill(x0: 0, y0: 0, x1: plotX - 1, y1: height - 1, color: .white)
        canvas.fill(x0: plotX + plotSize + 1, y0: 0, x1: width - 1, y1: height - 1, color: .white)
        for (x0, y0, x1, y1) in [(plotX - 1, plotY - 1, plotX + plotSize, plotY - 1), (plotX - 1, plotY + plotSize, plotX + plotSize, plotY + plotSize),
                                 (plotX - 1, plotY - 1, plotX - 1, plotY + plotSize), (plotX + plotSize, plotY - 1, plotX + plotSize, plotY + plotSize)] {
            canvas.fill(x0: x0, y0: y0, x1: x1, y1: y1, color: .black)
        }

        // (2) Tick labels: −e, 0, e under the x axis and left of the y axis.
        let below = plotY + plotSize + 1 + m
        for (k, tick) in ticks.enumerated() {
            let offset = k * plotSize / 2, w = font.width(of: tick)
            canvas.text(tick, x: plotX + min(max(offset - w / 2, 0), plotSize - w), y: below, font: font)
            let row = plotSize - offset  // k = 0 (−e) at the bottom
            canvas.text(tick, x: plotX - m - w, y: plotY + min(max(row - line / 2, 0), plotSize - line), font: font)
        }

        // (3) Titles: x centred below the ticks, y upward at the left, the title lines on top.
        canvas.text(xTitle, x: plotX + (plotSize - font.width(of: xTitle)) / 2, y: below + line + m, font: font)
        canvas.text(yTitle, x: m, y: plotY + max((plotSize - font.width(of: yTitle)) / 2, 0), direction: .upward, font: font)
        for (k, text) in title.enumerated() { canvas.text(text, x: plotX, y: m + k * line, font: font) }

        // (4) Legend: a swatch and the name per class, from the top of the plot.
        let legendX = plotX + plotSize + 1 + m
        for (k, name) in classNames.enumerated() {
            let y = plotY + k * (line + 2)
            canvas.fill(x0: legendX, y0: y + 2, x1: legendX + swatch - 1, y1: y + 1 + swatch, color: LabelPalette.color(of: k))
            canvas.text(name, x: legendX + swatch + m, y: y, font: font)
        }
        return canvas.image
    }

    /// A whole number as digits, otherwise one decimal.
    private static func text(_ x: Float) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.1f", Double(x))
    }
}
