import Formats

/// A ``ScatterPlot`` as a figure that reads on its own: a title (which run), a subtitle (what the
/// samples score, e.g. the mode metrics), x and y ticks in data units with the axis names, around
/// the plot's unchanged pixels. The run's `samples.png` for 2-D data.
///
/// Layout, in pixels: the title (bold) and subtitle lines at the top, 8 px from the edge; the
/// plot below them, its left edge after the y axis name and the widest y tick label; ticks 5 px
/// outward from the plot's frame at ``NiceTicks`` positions (at most 7 per axis), labels 4 px
/// beyond. Text wider than the figure is cut with "…". Integer drawing after the plot's own
/// mapping, so equal inputs give equal bytes.
public struct ScatterFigure: Sendable, Equatable {
    public var plot: ScatterPlot
    public var title: String
    public var subtitle: String
    public var xTitle: String
    public var yTitle: String

    public init(plot: ScatterPlot, title: String, subtitle: String = "", xTitle: String = "x", yTitle: String = "y") {
        self.plot = plot
        self.title = title
        self.subtitle = subtitle
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    static let tickLength = 5

    /// The figure of `points` (N, 2 interleaved) over `modes` (see ``ScatterPlot/render(points:modes:modeRadius:)``).
    public func render(points: [Float], modes: [SIMD2<Float>], modeRadius: Float) -> PixelImage {
        let font = BitmapFont.standard
        let inner = plot.render(points: points, modes: modes, modeRadius: modeRadius)
        let xTicks = ticks(plot.xRange), yTicks = ticks(plot.yRange)
        let yLabelWidth = yTicks.map { font.width(of: $0.label) }.max() ?? 0
        let left = 8 + font.lineHeight + 8 + yLabelWidth + 4 + Self.tickLength
        let top = 8 + font.lineHeight + (subtitle.isEmpty ? 0 : 4 + font.lineHeight) + 10
        let width = left + plot.width + 16
        let height = top + plot.height + Self.tickLength + 4 + font.lineHeight + 6 + font.lineHeight + 8
        var canvas = Canvas(width: width, height: height)
        canvas.draw(inner, x: left, y: top)
        let (right, bottom) = (left + plot.width - 1, top + plot.height - 1)

        for tick in xTicks {
            guard let (column, _) = plot.pixel(x: Float(tick.value), y: plot.yRange.lowerBound) else { continue }
            let x = left + column
            canvas.fill(x0: x, y0: bottom + 1, x1: x, y1: bottom + Self.tickLength, color: .black)
            canvas.text(tick.label, x: x - font.width(of: tick.label) / 2, y: bottom + Self.tickLength + 4)
        }
        let centre = (font.capitalRows.lowerBound + font.capitalRows.upperBound) / 2
        for tick in yTicks {
            guard let (_, row) = plot.pixel(x: plot.xRange.lowerBound, y: Float(tick.value)) else { continue }
            let y = top + row
            canvas.fill(x0: left - Self.tickLength, y0: y, x1: left - 1, y1: y, color: .black)
            canvas.text(tick.label, x: left - Self.tickLength - 4 - font.width(of: tick.label), y: y - centre)
        }
        canvas.text(xTitle, x: (left + right) / 2 - font.width(of: xTitle) / 2,
                    y: bottom + Self.tickLength + 4 + font.lineHeight + 6)
        canvas.text(yTitle, x: 8, y: (top + bottom) / 2 - font.width(of: yTitle) / 2, direction: .upward)

        let title = RunTitle.fitted(self.title, width: width - 16)
        let titleX = (width - font.width(of: title)) / 2
        canvas.text(title, x: titleX, y: 8)
        canvas.text(title, x: titleX + 1, y: 8)  // bold by double striking
        if !subtitle.isEmpty {
            let subtitle = RunTitle.fitted(self.subtitle, width: width - 16)
            canvas.text(subtitle, x: (width - font.width(of: subtitle)) / 2, y: 8 + font.lineHeight + 4)
        }
        return canvas.image
    }

    /// Nice ticks inside `range`.
    private func ticks(_ range: ClosedRange<Float>) -> [Tick] {
        NiceTicks.linear(from: Double(range.lowerBound), to: Double(range.upperBound), maxCount: 7)
            .filter { $0.value >= Double(range.lowerBound) && $0.value <= Double(range.upperBound) }
    }
}
