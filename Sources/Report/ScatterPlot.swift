import Formats

// Dimension letters: N points, K modes. Points are (N, 2), x and y interleaved.

/// A scatter plot of 2-D samples over the true modes of a mixture, as an RGB ``PixelImage``
/// (the run's `samples.png` for the ring and grid data sets).
///
/// Drawing order, each over the last: white background; each mode as a ring of radius
/// `modeRadius` (data units, e.g. 3σ) and width ``modeLineWidth``, centre left open, in
/// ``modeColor``; each point as a ``pointSize``-pixel square dot in ``pointColor``; a one-pixel
/// frame on the image border in ``frameColor``. Colours are from the Okabe–Ito colour-blind-safe
/// palette (Okabe & Ito 2008): blue points, vermillion modes.
///
/// Mapping, the only floating-point step (in Double): x ∈ `xRange` goes to column
/// ⌊(x − xmin) / (xmax − xmin) · width⌋ and y to row ⌊(ymax − y) / (ymax − ymin) · height⌋ (y
/// up), with the closed upper ends (x = xmax, y = ymin) on the last column / row. Points outside
/// the ranges, or not finite, are not drawn. Everything after the mapping is integer arithmetic,
/// so equal inputs give equal pixels and, through ``PNGCodec``, equal PNG bytes.
///
/// Keep the ranges fixed per data set — ``framing(modes:padding:)`` derives them from the modes
/// alone — so plots of different runs compare directly.
public struct ScatterPlot: Sendable, Equatable {
    /// Image size in pixels (default 512 × 512).
    public var width: Int
    public var height: Int
    /// The data ranges shown; each must have a positive, finite span.
    public var xRange: ClosedRange<Float>
    public var yRange: ClosedRange<Float>
    /// Side of each point's square dot in pixels (default 2): pixels x − (s−1)/2 … x + s/2.
    public var pointSize: Int = 2
    /// Width of each mode's ring in pixels (default 2), inward from its radius.
    public var modeLineWidth: Int = 2
    /// Okabe–Ito blue (0, 114, 178).
    public var pointColor = Palette.blue
    /// Okabe–Ito vermillion (213, 94, 0).
    public var modeColor = Palette.vermillion
    /// Frame colour (default black).
    public var frameColor = GridColor.black
    /// Background colour (default white).
    public var backgroundColor = GridColor.white

    public init(width: Int = 512, height: Int = 512, xRange: ClosedRange<Float>, yRange: ClosedRange<Float>) {
        precondition(width >= 2 && height >= 2, "ScatterPlot: size \(width)×\(height) must be at least 2×2")
        precondition(xRange.lowerBound.isFinite && xRange.upperBound.isFinite && xRange.upperBound > xRange.lowerBound,
                     "ScatterPlot: x range \(xRange) needs a positive, finite span")
        precondition(yRange.lowerBound.isFinite && yRange.upperBound.isFinite && yRange.upperBound > yRange.lowerBound,
                     "ScatterPlot: y range \(yRange) needs a positive, finite span")
        self.width = width
        self.height = height
        self.xRange = xRange
        self.yRange = yRange
    }

    /// A square plot of `size` pixels framing `modes`: the modes' bounding box made square
    /// (the larger span, centred) and padded on every side by `padding` (default 25 %) of that
    /// span. Ring (unit circle): [−1.5, 1.5]²; grid ({−4, …, 4}²): [−6, 6]². A single mode gets
    /// a span of 1 before padding.
    public static func framing(modes: [SIMD2<Float>], padding: Float = 0.25, size: Int = 512) -> ScatterPlot {
        precondition(!modes.isEmpty, "ScatterPlot: framing needs at least one mode")
        precondition(padding >= 0 && padding.isFinite, "ScatterPlot: padding must be ≥ 0, got \(padding)")
        var low = modes[0], high = modes[0]
        for mode in modes {
            low = pointwiseMin(low, mode)
            high = pointwiseMax(high, mode)
        }
        var span = max(high.x - low.x, high.y - low.y)
        if span <= 0 { span = 1 }
        let half = span / 2 + padding * span
        let centre = (low + high) / 2
        return ScatterPlot(width: size, height: size,
                           xRange: (centre.x - half)...(centre.x + half),
                           yRange: (centre.y - half)...(centre.y + half))
    }

    /// The pixel (column, row) of a data point, or nil when it lies outside the ranges or is not finite.
    public func pixel(x: Float, y: Float) -> (column: Int, row: Int)? {
        guard xRange.contains(x), yRange.contains(y) else { return nil }  // NaN is in no range
        let (x0, x1) = (Double(xRange.lowerBound), Double(xRange.upperBound))
        let (y0, y1) = (Double(yRange.lowerBound), Double(yRange.upperBound))
        let column = Int(((Double(x) - x0) / (x1 - x0) * Double(width)).rounded(.down))
        let row = Int(((y1 - Double(y)) / (y1 - y0) * Double(height)).rounded(.down))
        return (min(column, width - 1), min(row, height - 1))
    }

    /// The plot of `points` (N, 2 interleaved) over rings of radius `modeRadius` (data units,
    /// e.g. 3σ; at least one pixel) around `modes` (K).
    public func render(points: [Float], modes: [SIMD2<Float>], modeRadius: Float) -> PixelImage {
        points.withUnsafeBufferPointer { render(points: $0, modes: modes, modeRadius: modeRadius) }
    }

    /// The plot of `points` (N, 2 interleaved); see the array overload.
    public func render(points: UnsafeBufferPointer<Float>, modes: [SIMD2<Float>], modeRadius: Float) -> PixelImage {
        precondition(points.count % 2 == 0, "ScatterPlot: \(points.count) floats is not a whole number of 2-D points")
        precondition(modeRadius >= 0 && modeRadius.isFinite, "ScatterPlot: mode radius must be ≥ 0, got \(modeRadius)")
        precondition(pointSize >= 1 && modeLineWidth >= 1, "ScatterPlot: point size and mode line width must be ≥ 1")
        var canvas = Canvas(width: width, height: height, background: backgroundColor)

        // (1) Modes: rings, radii in pixels per axis (ellipses when the axes' scales differ).
        // Capped at the image's width + height: a larger ring about a pixel inside misses the image.
        func radius(_ span: Float, _ pixels: Int) -> Int {
            let r = (Double(modeRadius) / Double(span) * Double(pixels)).rounded()
            return Int(min(max(r, 1), Double(width + height)))
        }
        let rx = radius(xRange.upperBound - xRange.lowerBound, width)
        let ry = radius(yRange.upperBound - yRange.lowerBound, height)
        for mode in modes {
            guard let (cx, cy) = pixel(x: mode.x, y: mode.y) else { continue }
            canvas.ring(cx: cx, cy: cy, rx: rx, ry: ry, lineWidth: modeLineWidth, color: modeColor)
        }

        // (2) Points: squares of side `pointSize`.
        let before = (pointSize - 1) / 2, after = pointSize / 2
        for i in 0..<(points.count / 2) {
            guard let (px, py) = pixel(x: points[2 * i], y: points[2 * i + 1]) else { continue }
            canvas.fill(x0: px - before, y0: py - before, x1: px + after, y1: py + after, color: pointColor)
        }

        // (3) Frame on the border pixels.
        canvas.fill(x0: 0, y0: 0, x1: width - 1, y1: 0, color: frameColor)
        canvas.fill(x0: 0, y0: height - 1, x1: width - 1, y1: height - 1, color: frameColor)
        canvas.fill(x0: 0, y0: 0, x1: 0, y1: height - 1, color: frameColor)
        canvas.fill(x0: width - 1, y0: 0, x1: width - 1, y1: height - 1, color: frameColor)
        return canvas.image
    }
}
