import Formats

/// A metric against a swept hyperparameter: for each value of an optional second parameter, a
/// line through the metric's mean over seeds at each value of the first, with a band of ± one
/// standard deviation. Data in, ``LinePlot`` (and PNG pixels) out; the summary decides which
/// metrics and parameters to draw.
///
/// The x axis:
/// - numeric when every x is a number: log₁₀ when every x is positive and max/min ≥ 8 (β swept
///   as 1, 2, 4, 8, 16; learning rates), linear otherwise. On a log axis with at most 10
///   distinct values, the ticks are the swept values themselves (labelled "1 2 4 8 16").
/// - categorical otherwise (losses such as "non-saturating", "hinge"): the values evenly spaced
///   in order of first appearance, each tick labelled with its text; each mean is a point with the
///   sd as error bars, and nothing joins them (a line or a band between unrelated categories would
///   suggest values in between). With a second parameter, its series sit side by side around
///   each category (dodged by 0.12 of the spacing) so their bars do not overlap.
///
/// Each line is labelled "second = value" in the legend (no legend without a second parameter).
/// A point without an sd (n < 2) has no band there. The title says how many seeds the
/// statistics are over ("n = 3", or "n = 2–3" when it varies).
public struct SweepFigure: Sendable, Equatable {
    /// A swept value: a number or anything else, written as text.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)

        /// How the value is written on ticks and in the legend.
        public var label: String {
            switch self {
            case .number(let v): NiceTicks.label(v)
            case .text(let t): t
            }
        }
    }

    /// The statistics of one configuration: the metric's mean, sample sd (nil when n < 2) and n.
    public struct Point: Sendable, Equatable {
        public var x: Value
        public var mean: Double
        public var sd: Double?
        public var n: Int

        public init(x: Value, mean: Double, sd: Double?, n: Int) {
            self.x = x
            self.mean = mean
            self.sd = sd
            self.n = n
        }
    }

    /// The points of one value of the second parameter (nil when there is none).
    public struct Series: Sendable, Equatable {
        public var value: Value?
        public var points: [Point]

        public init(value: Value?, points: [Point]) {
            self.value = value
            self.points = points
        }
    }

    public var metric: String
    public var parameter: String
    public var secondParameter: String?
    public var series: [Series]
    public var width: Int
    public var height: Int
    /// Points with error bars and no lines, on any axis: a random search's trials, whose values
    /// are draws, not a sequence.
    public var scatter: Bool

    public init(metric: String, parameter: String, secondParameter: String? = nil, series: [Series],
                width: Int = 640, height: Int = 420, scatter: Bool = false) {
        self.metric = metric
        self.parameter = parameter
        self.secondParameter = secondParameter
        self.series = series
        self.width = width
        self.height = height
        self.scatter = scatter
    }

    /// The figure as an RGB image.
    public func render() -> PixelImage { plot().render() }

    /// The x values, if every one is a number.
    private var numbers: [Double]? {
        var out = [Double]()
        for point in series.flatMap(\.points) {
            guard case .number(let v) = point.x else { return nil }
            out.append(v)
        }
        return out
    }

    /// Whether the x axis is log₁₀: numeric, all positive and finite, max/min ≥ 8.
    public var usesLogX: Bool {
        guard let numbers, let low = numbers.min(), let high = numbers.max(), low > 0, high.isFinite else { return false }
        return high / low >= 8
    }

    /// The categories of a categorical x axis, in order of first appearance (nil for numeric x).
    public var categories: [String]? {
        guard numbers == nil else { return nil }
        var labels = [String]()
        for point in series.flatMap(\.points) where !labels.contains(point.x.label) { labels.append(point.x.label) }
        return labels
    }

    /// The line plot this figure draws.
    public func plot() -> LinePlot {
        var xAxis = PlotAxis(title: parameter)
        let categories = categories
        if let categories {
            xAxis.range = -0.5...(Double(categories.count) - 0.5)
            xAxis.ticks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
        } else if usesLogX {
            xAxis.scale = .log10
            var distinct = [Double]()
            for v in (numbers ?? []).sorted() where distinct.last != v { distinct.append(v) }
            // A grid's few values label themselves; a search's draws are arbitrary numbers, so nice ticks.
            if distinct.count <= 10, !scatter { xAxis.ticks = distinct.map { Tick(value: $0, label: NiceTicks.label($0)) } }
        }
        func position(_ value: Value) -> Double {
            if let categories { return Double(categories.firstIndex(of: value.label) ?? 0) }
            if case .number(let v) = value { return v }
            return .nan
        }
        let dodge = categories == nil || series.count < 2 ? 0 : min(0.12, 0.8 / Double(series.count - 1))
        let lines = series.enumerated().map { index, one -> PlotSeries in
            let shift = dodge * (Double(index) - Double(series.count - 1) / 2)
            // Points in x order (stable for equal x), so the line runs left to right.
            let points = one.points.enumerated().sorted {
                let (a, b) = (position($0.element.x), position($1.element.x))
                return a < b || (a == b && $0.offset < $1.offset)
            }.map(\.element)
            let label = secondParameter.map { name in "\(name) = \(one.value?.label ?? "")" } ?? ""
            return PlotSeries(label: label, x: points.map { position($0.x) + shift }, y: points.map(\.mean),
                              lower: points.map { point in point.sd.map { point.mean - $0 } ?? .nan },
                              upper: points.map { point in point.sd.map { point.mean + $0 } ?? .nan },
                              spread: categories == nil && !scatter ? .band : .errorBars, joined: categories == nil && !scatter)
        }
        let counts = series.flatMap(\.points).map(\.n)
        var seeds = ""
        if let low = counts.min(), let high = counts.max() {
            let n = low == high ? "n = \(low)" : "n = \(low)–\(high)"
            seeds = high > 1 ? " (mean ± sd, \(n))" : " (\(n))"
        }
        return LinePlot(width: width, height: height, title: "\(metric) vs \(parameter)\(seeds)",
                        x: xAxis, y: PlotAxis(title: metric), series: lines,
                        legend: secondParameter == nil ? .hidden : .best)
    }
}
