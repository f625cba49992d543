/// How an axis maps values to positions.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Positions proportional to log₁₀ of the value; values ≤ 0 are not shown.
    case log10
}

/// One axis of a ``LinePlot``: its title, scale, range and ticks.
public struct PlotAxis: Sendable, Equatable {
    /// Text under the x axis or up the left of the y axis (empty: none).
    public var title: String
    public var scale: AxisScale
    /// The range shown; nil: the data's range widened by 5 % of its span on each side (on a
    /// log axis, 5 % of the span of the logarithms).
    public var range: ClosedRange<Double>?
    /// Explicit ticks (category names, swept values); nil: ``NiceTicks``.
    public var ticks: [Tick]?
    /// Nice ticks at whole numbers only (epochs).
    public var integerTicks: Bool

    public init(title: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil,
                ticks: [Tick]? = nil, integerTicks: Bool = false) {
        self.title = title
        self.scale = scale
        self.range = range
        self.ticks = ticks
        self.integerTicks = integerTicks
    }

    /// Whether `value` can be placed on this axis (finite, and positive on a log axis).
    func shows(_ value: Double) -> Bool { value.isFinite && (scale == .linear || value > 0) }

    /// The range shown for data spanning `values` (those the axis cannot show are ignored).
    /// No data: 0…1 (1…10 on a log axis). One value v: v ± 10 % of |v| (±1 for 0), or v/2…2v on
    /// a log axis.
    func viewRange(of values: [Double]) -> ClosedRange<Double> {
        if let range { return range }
        let shown = values.filter(shows)
        guard var low = shown.min(), var high = shown.max() else { return scale == .linear ? 0...1 : 1...10 }
        switch scale {
        case .linear:
            if low == high {
                let half = low == 0 ? 1 : abs(low) / 10
                return (low - half)...(high + half)
            }
            let pad = (high - low) * 0.05
            (low, high) = (low - pad, high + pad)
        case .log10:
            if low == high { return (low / 2)...(high * 2) }
            let (a, b) = (PlotMath.log2(low), PlotMath.log2(high))
            let pad = (b - a) * 0.05
            (low, high) = (PlotMath.exp2(a - pad), PlotMath.exp2(b + pad))
        }
        return low...high
    }

    /// The ticks inside `range`, at most `maxCount` nice ones unless given explicitly.
    func ticks(in range: ClosedRange<Double>, maxCount: Int) -> [Tick] {
        if let ticks { return ticks.filter { range.contains($0.value) && shows($0.value) } }
        switch scale {
        case .linear: return NiceTicks.linear(from: range.lowerBound, to: range.upperBound, maxCount: maxCount, integers: integerTicks)
        case .log10: return NiceTicks.log10(from: range.lowerBound, to: range.upperBound, maxCount: maxCount)
        }
    }
}

/// The one floating-point step of a plot: values of an axis to subpixel positions.
///
/// A value v goes to `start + ⌊f · (end − start)⌋` with f = (T(v) − T(low)) / (T(high) − T(low)),
/// T the identity or ``PlotMath/log2(_:)``; f is clamped to ±1000 so far-away points stay within
/// ``Canvas/maxCoordinate`` (the visible part of a line to them keeps its direction to well under a
/// pixel).
struct AxisMapping {
    let axis: PlotAxis
    let range: ClosedRange<Double>
    /// Subpixel positions of the range's low and high ends.
    let start: Int
    let end: Int

    private func transform(_ v: Double) -> Double { axis.scale == .linear ? v : PlotMath.log2(v) }

    /// The subpixel position of `value`, or nil when the axis cannot show it.
    func position(_ value: Double) -> Int? {
        guard axis.shows(value) else { return nil }
        let (t0, t1) = (transform(range.lowerBound), transform(range.upperBound))
        let f = max(min((transform(value) - t0) / (t1 - t0), 1000), -1000)
        return start + Int((f * Double(end - start)).rounded(.down))
    }
}
