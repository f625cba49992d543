/// How a series shows its lower…upper spread.
public enum SpreadStyle: Sendable, Equatable {
    /// A translucent band between the lower and upper lines (mean ± sd).
    case band
    /// A vertical bar with caps at each point.
    case errorBars
}

/// One line of a ``LinePlot``: points (x, y) joined in order, with an optional spread.
///
/// A point whose x or y is not finite (or not positive on a log axis) is skipped and breaks the
/// line, so missing epochs show as gaps; a point with no neighbour on either side draws as a
/// marker even when ``markers`` is off. The spread of a point is drawn where its lower and upper
/// values are finite.
public struct PlotSeries: Sendable, Equatable {
    /// Legend text (empty: not in the legend).
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// Per-point lower and upper ends of the spread (as many as `x`), or nil for none.
    public var lower: [Double]?
    public var upper: [Double]?
    public var spread: SpreadStyle
    /// Line colour; nil: the plot's palette colour for the series' position.
    public var color: GridColor?
    /// Dashed line (6 px on, 4 px off), e.g. for test curves beside solid train curves.
    public var dashed: Bool
    /// A round marker at each point.
    public var markers: Bool
    /// Whether a line joins the points; false for points with nothing in between (categories),
    /// which then always get markers.
    public var joined: Bool

    public init(label: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
                spread: SpreadStyle = .band, color: GridColor? = nil, dashed: Bool = false, markers: Bool = true,
                joined: Bool = true) {
        precondition(x.count == y.count, "PlotSeries \(label): \(x.count) x values for \(y.count) y values")
        precondition((lower == nil) == (upper == nil), "PlotSeries \(label): give both lower and upper, or neither")
        precondition(lower.map { $0.count == x.count } ?? true && upper.map { $0.count == x.count } ?? true,
                     "PlotSeries \(label): lower and upper need one value per point")
        self.label = label
        self.x = x
        self.y = y
        self.lower = lower
        self.upper = upper
        self.spread = spread
        self.color = color
        self.dashed = dashed
        self.markers = markers
        self.joined = joined
    }

    /// Every y-direction value the plot must show: y, lower and upper.
    var yValues: [Double] { y + (lower ?? []) + (upper ?? []) }
}
