import Formats

/// Where a plot's legend goes.
public enum LegendPlacement: Sendable, Equatable {
    /// The first inside corner (upper right, upper left, lower left, lower right) where the box
    /// covers no drawn data; outside to the right when every corner would.
    case best
    /// The inside corner that covers the fewest data pixels (ties in the order above).
    case inside
    /// Right of the axes, top-aligned; the axes narrow to make room.
    case outsideRight
    /// No legend.
    case hidden
}

/// A line plot drawn by GenLab itself: series of (x, y) with optional bands or error bars,
/// markers, a title, axis titles, ticks with labels, light grid lines and a legend, as an RGB
/// ``PixelImage`` (default 640 × 420) in the bitmap font.
///
/// Layout, in pixels: the axes frame is a one-pixel black rectangle; ticks point 5 px outward;
/// tick labels sit 4 px beyond them; the y tick labels set the left margin. Series take colours
/// from ``palette`` in order unless they set their own; lines are 2 px wide, markers 3 px in
/// radius, bands the series colour at opacity 64/255 over what is below. Everything inside the
/// frame is clipped to it.
///
/// Determinism: values go to subpixel positions once (``AxisScale`` and 5 % margins in IEEE
/// arithmetic without libm); the rest is ``Canvas``'s integer drawing, so equal plots give equal
/// bytes everywhere. Empty plots and single points draw (axes with default ranges).
public struct LinePlot: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Bold text centred over the axes (empty: none).
    public var title: String
    public var x: PlotAxis
    public var y: PlotAxis
    public var series: [PlotSeries]
    public var legend: LegendPlacement
    public var palette: Palette
    /// Light gray lines at the ticks, under the data.
    public var grid: Bool

    public init(width: Int = 640, height: Int = 420, title: String = "", x: PlotAxis = PlotAxis(),
                y: PlotAxis = PlotAxis(), series: [PlotSeries] = [], legend: LegendPlacement = .best,
                palette: Palette = .okabeIto, grid: Bool = true) {
        precondition(width >= 120 && height >= 100, "LinePlot: size \(width)×\(height) is below 120×100")
        self.width = width
        self.height = height
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.legend = legend
        self.palette = palette
        self.grid = grid
    }

    /// The plot as an RGB image of ``width`` × ``height``.
    public func render() -> PixelImage {
        var canvas = Canvas(width: width, height: height)
        draw(on: &canvas, frame: canvas.bounds)
        return canvas.image
    }

    /// Draws the plot into `frame` of `canvas` (a panel of a larger figure); the frame is assumed
    /// white.
    public func draw(on canvas: inout Canvas, frame: PixelRect) {
        let labelled = series.contains { !$0.label.isEmpty }
        switch legend {
        case .hidden: drawPlot(on: &canvas, frame: frame, legend: nil)
        case .outsideRight where labelled: drawPlot(on: &canvas, frame: frame, legend: .outside)
        case .inside where labelled: drawPlot(on: &canvas, frame: frame, legend: .fewestCovered)
        case .best where labelled:
            var trial = canvas
            if drawPlot(on: &trial, frame: frame, legend: .uncovered) {
                canvas = trial
            } else {
                drawPlot(on: &canvas, frame: frame, legend: .outside)
            }
        default: drawPlot(on: &canvas, frame: frame, legend: nil)
        }
    }

    // MARK: - Drawing

    static let tickLength = 5
    static let gridColor = GridColor.gray(232)
    static let lineWidth = 2 * Canvas.subpixels
    static let markerRadius = 3 * Canvas.subpixels
    static let bandAlpha: UInt8 = 64

    enum LegendMode { case uncovered, fewestCovered, outside }

    /// Draws everything; returns false when `legend` is `.uncovered` and no corner was free (the
    /// legend is then drawn in the least covered corner).
    @discardableResult
    private func drawPlot(on canvas: inout Canvas, frame: PixelRect, legend: LegendMode?) -> Bool {
        let font = BitmapFont.standard
        let entries = legend == nil ? [] : legendEntries()
        let legendSize = PlotLegend.size(of: entries, font: font)

        // (1) Vertical layout, then y ticks (which set the left margin), then x ticks.
        let top = frame.y0 + 8 + (title.isEmpty ? 4 : font.lineHeight + 8)
        let bottom = frame.y1 - 8 - (x.title.isEmpty ? 0 : font.lineHeight + 6) - font.lineHeight - 4 - Self.tickLength
        let yRange = y.viewRange(of: series.flatMap(\.yValues))
        let yTicks = y.ticks(in: yRange, maxCount: min(max((bottom - top) / 40, 2), 8))
        let yLabelWidth = yTicks.map { font.width(of: $0.label) }.max() ?? 0
        let left = frame.x0 + 8 + (y.title.isEmpty ? 0 : font.lineHeight + 8) + yLabelWidth + 4 + Self.tickLength
        var right = frame.x1 - 12 - (legend == .outside ? legendSize.width + 12 : 0)
        let xRange = x.viewRange(of: series.flatMap(\.x))
        var xTicks = fittingXTicks(in: xRange, width: right - left, font: font)
        if let last = xTicks.last, legend != .outside {
            // The last label, centred on its tick, must stay inside the frame.
            let overhang = font.width(of: last.label) / 2 + 4 - (frame.x1 - right)
            if overhang > 0 { right -= overhang; xTicks = fittingXTicks(in: xRange, width: right - left, font: font) }
        }
        guard right - left >= 20, bottom - top >= 20 else { return true }  // too small to draw axes

        let s = Canvas.subpixels
        let xMap = AxisMapping(axis: x, range: xRange, start: left * s + s / 2, end: right * s + s / 2)
        let yMap = AxisMapping(axis: y, range: yRange, start: bottom * s + s / 2, end: top * s + s / 2)
        let inner = PixelRect(x0: left + 1, y0: top + 1, x1: right - 1, y1: bottom - 1)
        let xTickColumns = xTicks.compactMap { tick in xMap.position(tick.value).map { (tick, Canvas.floorDivide($0, s)) } }
            .filter { $0.1 >= left && $0.1 <= right }
        let yTickRows = yTicks.compactMap { tick in yMap.position(tick.value).map { (tick, Canvas.floorDivide($0, s)) } }
            .filter { $0.1 >= top && $0.1 <= bottom }

        // (2) Grid, then each series' spread, then the lines and markers over all spreads.
        if grid {
            for (_, column) in xTickColumns { canvas.fill(x0: column, y0: inner.y0, x1: column, y1: inner.y1, color: Self.gridColor) }
            for (_, row) in yTickRows { canvas.fill(x0: inner.x0, y0: row, x1: inner.x1, y1: row, color: Self.gridColor) }
        }
        let mapped = series.map { MappedSeries($0, x: xMap, y: yMap) }
        for (index, one) in series.enumerated() {
            mapped[index].drawSpread(on: &canvas, style: one.spread, color: color(of: index), clip: inner)
        }
        for (index, one) in series.enumerated() {
            mapped[index].drawLine(on: &canvas, series: one, color: color(of: index), clip: inner)
        }

        // (3) Frame, ticks, tick labels, axis titles and title.
        canvas.fill(x0: left, y0: top, x1: right, y1: top, color: .black)
        canvas.fill(x0: left, y0: bottom, x1: right, y1: bottom, color: .black)
        canvas.fill(x0: left, y0: top, x1: left, y1: bottom, color: .black)
        canvas.fill(x0: right, y0: top, x1: right, y1: bottom, color: .black)
        let centre = (font.capitalRows.lowerBound + font.capitalRows.upperBound) / 2  // of a capital, in its cell
        for (tick, column) in xTickColumns {
            canvas.fill(x0: column, y0: bottom + 1, x1: column, y1: bottom + Self.tickLength, color: .black)
            canvas.text(tick.label, x: column - font.width(of: tick.label) / 2, y: bottom + Self.tickLength + 4)
        }
        for (tick, row) in yTickRows {
            canvas.fill(x0: left - Self.tickLength, y0: row, x1: left - 1, y1: row, color: .black)
            canvas.text(tick.label, x: left - Self.tickLength - 4 - font.width(of: tick.label), y: row - centre)
        }
        if !x.title.isEmpty {
            canvas.text(x.title, x: (left + right) / 2 - font.width(of: x.title) / 2,
                        y: bottom + Self.tickLength + 4 + font.lineHeight + 6)
        }
        if !y.title.isEmpty {
            canvas.text(y.title, x: frame.x0 + 8, y: (top + bottom) / 2 - font.width(of: y.title) / 2, direction: .upward)
        }
        if !title.isEmpty {
            let tx = (left + right) / 2 - font.width(of: title) / 2
            canvas.text(title, x: tx, y: frame.y0 + 8)
            canvas.text(title, x: tx + 1, y: frame.y0 + 8)  // bold by double striking
        }

        // (4) Legend.
        guard let legend, !entries.isEmpty else { return true }
        if legend == .outside {
            PlotLegend.draw(entries, on: &canvas, x: right + 12, y: top, font: font)
            return true
        }
        let corners = [(right - 8 - legendSize.width, top + 8), (left + 8, top + 8),
                       (left + 8, bottom - 8 - legendSize.height), (right - 8 - legendSize.width, bottom - 8 - legendSize.height)]
        let covered = corners.map { corner in
            PlotLegend.inkCount(on: canvas, x: corner.0, y: corner.1, size: legendSize, background: [.white, Self.gridColor])
        }
        let best = covered.indices.min { covered[$0] < covered[$1] }!
        PlotLegend.draw(entries, on: &canvas, x: corners[best].0, y: corners[best].1, font: font)
        return legend != .uncovered || covered[best] == 0
    }

    /// Nice x ticks whose labels fit side by side with 12 px between them.
    private func fittingXTicks(in range: ClosedRange<Double>, width: Int, font: BitmapFont) -> [Tick] {
        var count = min(max(width / 50, 2), 10)
        while true {
            let ticks = x.ticks(in: range, maxCount: count)
            let widest = ticks.map { font.width(of: $0.label) }.max() ?? 0
            if count <= 2 || ticks.count < 2 || (widest + 12) * ticks.count <= width { return ticks }
            count -= 1
        }
    }

    private func color(of index: Int) -> GridColor { series[index].color ?? palette[index] }

    private func legendEntries() -> [PlotLegend.Entry] {
        series.indices.filter { !series[$0].label.isEmpty }.map { i in
            PlotLegend.Entry(label: series[i].label, color: color(of: i), dashed: series[i].dashed,
                             marker: series[i].markers, band: series[i].lower != nil && series[i].spread == .band)
        }
    }
}

/// A series in subpixels: runs of consecutive showable points (gaps between runs) and spreads.
private struct MappedSeries {
    /// Runs of points; a run of one is an isolated point.
    var runs: [[SubpixelPoint]] = []
    /// Per point with a finite spread: (x, lower, upper) positions, in runs like `runs`.
    var spreads: [[(x: Int, low: Int, high: Int)]] = []

    init(_ series: PlotSeries, x: AxisMapping, y: AxisMapping) {
        var run = [SubpixelPoint](), spread = [(x: Int, low: Int, high: Int)]()
        for i in series.x.indices {
            if let px = x.position(series.x[i]), let py = y.position(series.y[i]) {
                run.append(SubpixelPoint(x: px, y: py))
            } else if !run.isEmpty {
                runs.append(run)
                run = []
            }
            if let px = x.position(series.x[i]), let lower = series.lower, let upper = series.upper,
               let low = y.position(lower[i]), let high = y.position(upper[i]) {
                spread.append((px, low, high))
            } else if !spread.isEmpty {
                spreads.append(spread)
                spread = []
            }
        }
        if !run.isEmpty { runs.append(run) }
        if !spread.isEmpty { spreads.append(spread) }
    }

    func drawSpread(on canvas: inout Canvas, style: SpreadStyle, color: GridColor, clip: PixelRect) {
        let s = Canvas.subpixels
        for spread in spreads {
            switch style {
            case .band where spread.count > 1:
                let upper = spread.map { SubpixelPoint(x: $0.x, y: $0.high) }
                let lower = spread.reversed().map { SubpixelPoint(x: $0.x, y: $0.low) }
                canvas.fillPolygon(upper + lower, color: color, alpha: LinePlot.bandAlpha, clip: clip)
            default:  // error bars, and a band of one point (which has no area) drawn as a bar
                for point in spread {
                    let (a, b) = (SubpixelPoint(x: point.x, y: point.low), SubpixelPoint(x: point.x, y: point.high))
                    canvas.stroke([a, b], width: s * 3 / 2, color: color, clip: clip)
                    for end in [a, b] {
                        canvas.stroke([SubpixelPoint(x: end.x - 4 * s, y: end.y), SubpixelPoint(x: end.x + 4 * s, y: end.y)],
                                      width: s * 3 / 2, color: color, clip: clip)
                    }
                }
            }
        }
    }

    func drawLine(on canvas: inout Canvas, series: PlotSeries, color: GridColor, clip: PixelRect) {
        let s = Canvas.subpixels
        for run in runs {
            if run.count > 1, series.joined {
                canvas.stroke(run, width: LinePlot.lineWidth, color: color,
                              dash: series.dashed ? (on: 6 * s, off: 4 * s) : nil, clip: clip)
            }
            if series.markers || run.count == 1 || !series.joined {
                for point in run { canvas.disc(centre: point, radius: LinePlot.markerRadius, color: color, clip: clip) }
            }
        }
    }
}
