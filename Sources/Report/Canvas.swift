import Formats

/// A point in 1/``Canvas/subpixels`` pixel units: pixel (px, py) covers x ∈ [16·px, 16·px + 16)
/// and its centre is (16·px + 8, 16·py + 8). Anti-aliased drawing takes these, so a plot maps
/// data to integers once and everything after is integer arithmetic.
public struct SubpixelPoint: Sendable, Equatable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// The centre of pixel (`x`, `y`).
    public static func centre(ofPixel x: Int, _ y: Int) -> SubpixelPoint {
        SubpixelPoint(x: x * Canvas.subpixels + Canvas.subpixels / 2, y: y * Canvas.subpixels + Canvas.subpixels / 2)
    }
}

/// Pixels x0…x1, y0…y1 (inclusive corners), as the clip of a drawing call.
public struct PixelRect: Sendable, Equatable {
    public var x0, y0, x1, y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        (self.x0, self.y0, self.x1, self.y1) = (x0, y0, x1, y1)
    }

    public var width: Int { x1 - x0 + 1 }
    public var height: Int { y1 - y0 + 1 }
    public var isEmpty: Bool { x1 < x0 || y1 < y0 }

    /// The pixels in both rectangles.
    public func intersection(_ other: PixelRect) -> PixelRect {
        PixelRect(x0: max(x0, other.x0), y0: max(y0, other.y0), x1: min(x1, other.x1), y1: min(y1, other.y1))
    }
}

/// An RGB image being drawn on. Every primitive clips to the image (and to `clip` where given).
///
/// Two kinds of primitives:
/// - crisp ones in whole pixels (``fill(x0:y0:x1:y1:color:)``, ``line(x0:y0:x1:y1:color:)``,
///   ``ring(cx:cy:rx:ry:lineWidth:color:)``, ``text(_:x:y:color:direction:font:)``), which set pixels;
/// - anti-aliased ones in ``SubpixelPoint``s (``stroke(_:width:color:dash:clip:)``,
///   ``disc(centre:radius:color:clip:)``) and the alpha fill ``fillPolygon(_:color:alpha:clip:)``,
///   which compute a coverage a ∈ 0…255 per pixel and blend once:
///   `new = (colour·a + old·(255 − a) + 127) / 255` (integer division).
///
/// All arithmetic is on `Int` (square roots by ``integerSquareRoot(_:)``), so equal calls give
/// equal pixels on every machine.
public struct Canvas: Sendable {
    /// Subpixel units per pixel for the anti-aliased primitives.
    public static let subpixels = 16
    /// The largest |coordinate| the anti-aliased primitives accept (2²⁴ subpixels, a million
    /// pixels), so their products fit in 64 bits; callers clamp far-away points to it.
    public static let maxCoordinate = 1 << 24

    /// The picture so far (RGB).
    public private(set) var image: PixelImage

    public init(width: Int, height: Int, background: GridColor = .white) {
        image = PixelImage(width: width, height: height, channels: 3,
                           fill: [background.red, background.green, background.blue])
    }

    public var width: Int { image.width }
    public var height: Int { image.height }
    /// The whole image as a rectangle.
    public var bounds: PixelRect { PixelRect(x0: 0, y0: 0, x1: image.width - 1, y1: image.height - 1) }

    // MARK: - Crisp primitives

    /// Sets columns x0…x1, rows y0…y1 (inclusive), clipped.
    public mutating func fill(x0: Int, y0: Int, x1: Int, y1: Int, color: GridColor) {
        let area = PixelRect(x0: x0, y0: y0, x1: x1, y1: y1).intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y0...area.y1 {
            for x in area.x0...area.x1 { set(x, y, color) }
        }
    }

    /// Blends `color` with opacity `alpha` (0…255) over columns x0…x1, rows y0…y1, clipped.
    public mutating func blend(x0: Int, y0: Int, x1: Int, y1: Int, color: GridColor, alpha: UInt8) {
        let area = PixelRect(x0: x0, y0: y0, x1: x1, y1: y1).intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y0...area.y1 {
            for x in area.x0...area.x1 { blend(x, y, color, Int(alpha)) }
        }
    }

    /// A one-pixel line from (x0, y0) to (x1, y1), both ends included (Bresenham).
    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, color: GridColor) {
        let (dx, dy) = (abs(x1 - x0), -abs(y1 - y0))
        let (sx, sy) = (x0 < x1 ? 1 : -1, y0 < y1 ? 1 : -1)
        var (x, y, error) = (x0, y0, dx + dy)
        while true {
            if x >= 0, x < image.width, y >= 0, y < image.height { set(x, y, color) }
            if x == x1 && y == y1 { return }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// The pixels inside the ellipse with radii (rx, ry) about (cx, cy) but not inside the one
    /// with radii (rx − w, ry − w), so the ring is w pixels wide (a filled disc when w ≥ the
    /// radii). "Inside (a, b)": (dx/a)² + (dy/b)² ≤ 1, tested as dx²·b² + dy²·a² ≤ a²·b².
    public mutating func ring(cx: Int, cy: Int, rx: Int, ry: Int, lineWidth w: Int, color: GridColor) {
        let (ix, iy) = (rx - w, ry - w)
        // Only the rows and columns of the image are visited.
        let (top, bottom) = (max(-ry, -cy), min(ry, image.height - 1 - cy))
        let (left, right) = (max(-rx, -cx), min(rx, image.width - 1 - cx))
        guard top <= bottom, left <= right else { return }
        for dy in top...bottom {
            for dx in left...right {
                guard dx * dx * ry * ry + dy * dy * rx * rx <= rx * rx * ry * ry else { continue }
                if ix > 0, iy > 0, dx * dx * iy * iy + dy * dy * ix * ix <= ix * ix * iy * iy { continue }
                set(cx + dx, cy + dy, color)
            }
        }
    }

    /// `text` in `font` with its box's top-left corner at (x, y); see ``BitmapFont``.
    public mutating func text(_ text: String, x: Int, y: Int, color: GridColor = .black,
                              direction: TextDirection = .horizontal, font: BitmapFont = .standard) {
        font.draw(text, on: &image, x: x, y: y, color: color, direction: direction)
    }

    /// Copies `picture` with its top-left corner at (x, y), clipped: gray becomes RGB, RGBA is
    /// blended over the canvas by its alpha.
    public mutating func draw(_ picture: PixelImage, x: Int, y: Int) {
        let area = PixelRect(x0: x, y0: y, x1: x + picture.width - 1, y1: y + picture.height - 1).intersection(bounds)
        guard !area.isEmpty else { return }
        let c = picture.channels
        for py in area.y0...area.y1 {
            for px in area.x0...area.x1 {
                let start = ((py - y) * picture.width + (px - x)) * c
                let p = picture.pixels
                let color = c == 1 ? GridColor.gray(p[start]) : GridColor(red: p[start], green: p[start + 1], blue: p[start + 2])
                blend(px, py, color, c == 4 ? Int(p[start + 3]) : 255)
            }
        }
    }

    // MARK: - Anti-aliased primitives

    /// A polyline `width` subpixels wide with round joins and caps, anti-aliased over one pixel:
    /// a pixel whose centre lies at distance d from the nearest segment gets coverage
    /// `clamp((width/2 + S/2 − d) · 255 / S, 0, 255)` with S = ``subpixels``. Overlapping segments
    /// take the largest coverage, so joins are not blended twice. One point draws a round dot.
    ///
    /// `dash` (on, off), in subpixels along the line, draws only the "on" stretches.
    public mutating func stroke(_ points: [SubpixelPoint], width: Int, color: GridColor,
                                dash: (on: Int, off: Int)? = nil, clip: PixelRect? = nil) {
        guard !points.isEmpty, width > 0 else { return }
        Self.checkRange(points)
        var pieces = [points]
        if let dash, dash.on > 0, dash.off >= 0, points.count > 1 {
            pieces = Self.dashes(of: points, on: dash.on, off: dash.off)
        }
        let half = width / 2
        var mask = CoverageMask(area: cover(points, margin: half + Self.subpixels, clip: clip))
        guard !mask.area.isEmpty else { return }
        for piece in pieces {
            for i in 0..<max(piece.count - 1, 1) {
                let a = piece[i], b = piece[min(i + 1, piece.count - 1)]
                let box = cover([a, b], margin: half + Self.subpixels, clip: mask.area)
                guard !box.isEmpty else { continue }
                for py in box.y0...box.y1 {
                    let (first, last) = Self.columns(near: a, b, row: py, reach: half + Self.subpixels, within: box)
                    guard first <= last else { continue }
                    for px in first...last {
                        let d = Self.integerSquareRoot(Self.squaredDistance(from: .centre(ofPixel: px, py), toSegment: a, b))
                        mask.raise(px, py, Self.coverage(distance: d, radius: half))
                    }
                }
            }
        }
        apply(mask, color: color, alpha: 255)
    }

    /// A filled disc of `radius` subpixels about `centre`, anti-aliased like ``stroke(_:width:color:dash:clip:)``.
    public mutating func disc(centre: SubpixelPoint, radius: Int, color: GridColor, clip: PixelRect? = nil) {
        stroke([centre], width: 2 * radius, color: color, clip: clip)
    }

    /// Fills the polygon through `points` (closed automatically; even–odd rule) with `color` at
    /// opacity `alpha`: a pixel is inside when its centre is (scan lines through pixel centres,
    /// crossings at floor-divided subpixel positions, a crossing at x counting for centres ≥ x).
    /// Each pixel is blended once, so a band's overlaps do not darken. Not anti-aliased.
    public mutating func fillPolygon(_ points: [SubpixelPoint], color: GridColor, alpha: UInt8, clip: PixelRect? = nil) {
        guard points.count >= 3 else { return }
        Self.checkRange(points)
        let area = cover(points, margin: 0, clip: clip)
        guard !area.isEmpty else { return }
        let s = Self.subpixels
        var crossings = [Int]()
        for py in area.y0...area.y1 {
            let yc = py * s + s / 2
            crossings.removeAll(keepingCapacity: true)
            for i in 0..<points.count {
                let (a, b) = (points[i], points[(i + 1) % points.count])
                guard (a.y <= yc) != (b.y <= yc) else { continue }  // half-open: each centre row once
                crossings.append(a.x + Self.floorDivide((yc - a.y) * (b.x - a.x), b.y - a.y))
            }
            crossings.sort()
            for pair in stride(from: 0, to: crossings.count - 1, by: 2) {
                // Pixels whose centre px·s + s/2 lies in [left, right).
                let first = max(Self.ceilDivide(crossings[pair] - s / 2, s), area.x0)
                let last = min(Self.ceilDivide(crossings[pair + 1] - s / 2, s) - 1, area.x1)
                guard first <= last else { continue }
                for px in first...last { blend(px, py, color, Int(alpha)) }
            }
        }
    }

    // MARK: - Integer helpers

    private static func checkRange(_ points: [SubpixelPoint]) {
        for p in points {
            precondition(abs(p.x) <= maxCoordinate && abs(p.y) <= maxCoordinate,
                         "Canvas: subpixel point (\(p.x), \(p.y)) beyond ±\(maxCoordinate)")
        }
    }

    /// ⌊√n⌋ for n ≥ 0, exactly: a floating-point guess corrected with integer comparisons.
    public static func integerSquareRoot(_ n: Int) -> Int {
        precondition(n >= 0, "integerSquareRoot of a negative number \(n)")
        var r = Int(Double(n).squareRoot())
        while r > 0 && r > n / r { r -= 1 }            // r² > n, without overflow
        while r + 1 <= n / (r + 1) { r += 1 }          // (r + 1)² ≤ n
        return r
    }

    /// ⌊a / b⌋ for b ≠ 0 (Swift's `/` truncates toward zero).
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// ⌈a / b⌉ for b > 0.
    static func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }

    /// Squared distance from `p` to the segment a–b, in subpixels² (rounded down). Exact for
    /// coordinates within ±``maxCoordinate``.
    static func squaredDistance(from p: SubpixelPoint, toSegment a: SubpixelPoint, _ b: SubpixelPoint) -> Int {
        let (ux, uy) = (b.x - a.x, b.y - a.y)
        let (vx, vy) = (p.x - a.x, p.y - a.y)
        let length2 = ux * ux + uy * uy
        let t = vx * ux + vy * uy
        if length2 == 0 || t <= 0 { return vx * vx + vy * vy }
        if t >= length2 { return (p.x - b.x) * (p.x - b.x) + (p.y - b.y) * (p.y - b.y) }
        let cross = vx * uy - vy * ux  // |cross|² / length² overflows 64 bits for long segments
        return length2.dividingFullWidth(cross.multipliedFullWidth(by: cross)).quotient
    }

    /// The columns of `row` within `box` whose centres may lie within `reach` subpixels of the
    /// line through a and b (all of them for a horizontal line): those with
    /// |cross((X, Y) − a, b − a)| ≤ reach · (⌊|b − a|⌋ + 1), a slightly wider strip than needed,
    /// so the visit of a long diagonal segment is a band rather than its whole bounding box.
    static func columns(near a: SubpixelPoint, _ b: SubpixelPoint, row: Int, reach: Int, within box: PixelRect) -> (Int, Int) {
        let (ux, uy) = (b.x - a.x, b.y - a.y)
        guard uy != 0 else { return (box.x0, box.x1) }
        let s = subpixels
        let width = reach * (integerSquareRoot(ux * ux + uy * uy) + 1)
        let k = a.x * uy + (row * s + s / 2 - a.y) * ux
        // X · uy ∈ [k − width, k + width], X the column centre px · s + s/2.
        let (low, high) = uy > 0 ? (k - width, k + width) : (k + width, k - width)
        let xLow = ceilDivide(uy > 0 ? low : -low, abs(uy)), xHigh = floorDivide(uy > 0 ? high : -high, abs(uy))
        return (max(ceilDivide(xLow - s / 2, s), box.x0), min(floorDivide(xHigh - s / 2, s), box.x1))
    }

    /// Coverage 0…255 of a pixel whose centre is `distance` subpixels from a shape's core of
    /// half-width `radius`, ramped over one pixel.
    static func coverage(distance: Int, radius: Int) -> UInt8 {
        let s = subpixels
        let value = (radius + s / 2 - distance) * 255 / s
        return UInt8(min(max(value, 0), 255))
    }

    /// The dashes of a polyline: pieces `on` subpixels long, `off` apart, measured along it
    /// (segment lengths by ``integerSquareRoot(_:)``, positions by floor division).
    static func dashes(of points: [SubpixelPoint], on: Int, off: Int) -> [[SubpixelPoint]] {
        var pieces = [[SubpixelPoint]](), current = [SubpixelPoint]()
        var drawing = true, left = on  // state of the pattern and distance to its next switch
        for i in 0..<(points.count - 1) {
            let (a, b) = (points[i], points[i + 1])
            let length = integerSquareRoot((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y))
            func at(_ s: Int) -> SubpixelPoint {
                length == 0 ? a : SubpixelPoint(x: a.x + floorDivide((b.x - a.x) * s, length),
                                                 y: a.y + floorDivide((b.y - a.y) * s, length))
            }
            var s = 0
            if drawing && current.isEmpty { current.append(a) }
            while length - s >= left {
                s += left
                if drawing {
                    current.append(at(s))
                    pieces.append(current)
                    current = []
                } else {
                    current = [at(s)]
                }
                drawing.toggle()
                left = drawing ? on : off
            }
            left -= length - s
            if drawing { current.append(b) }
        }
        if current.count > 1 { pieces.append(current) }
        return pieces
    }

    // MARK: - Pixels

    /// The pixels within `margin` subpixels of the points' bounding box, clipped to the image
    /// and `clip`.
    private func cover(_ points: [SubpixelPoint], margin: Int, clip: PixelRect?) -> PixelRect {
        let s = Self.subpixels
        var (lx, ly, hx, hy) = (Int.max, Int.max, Int.min, Int.min)
        for p in points {
            (lx, ly, hx, hy) = (min(lx, p.x), min(ly, p.y), max(hx, p.x), max(hy, p.y))
        }
        let box = PixelRect(x0: Self.floorDivide(lx - margin, s), y0: Self.floorDivide(ly - margin, s),
                            x1: Self.floorDivide(hx + margin, s), y1: Self.floorDivide(hy + margin, s))
        return box.intersection(clip.map { $0.intersection(bounds) } ?? bounds)
    }

    /// Blends `color` through `mask`, each pixel's opacity = coverage · alpha / 255.
    private mutating func apply(_ mask: CoverageMask, color: GridColor, alpha: Int) {
        let area = mask.area
        for py in area.y0...area.y1 {
            for px in area.x0...area.x1 {
                let a = Int(mask.values[(py - area.y0) * area.width + (px - area.x0)]) * alpha / 255
                if a > 0 { blend(px, py, color, a) }
            }
        }
    }

    private mutating func set(_ x: Int, _ y: Int, _ color: GridColor) {
        let start = (y * image.width + x) * 3
        image.pixels[start] = color.red
        image.pixels[start + 1] = color.green
        image.pixels[start + 2] = color.blue
    }

    /// `new = (colour·a + old·(255 − a) + 127) / 255` per channel, a ∈ 0…255.
    private mutating func blend(_ x: Int, _ y: Int, _ color: GridColor, _ a: Int) {
        let start = (y * image.width + x) * 3
        func mix(_ new: UInt8, _ old: UInt8) -> UInt8 { UInt8((Int(new) * a + Int(old) * (255 - a) + 127) / 255) }
        image.pixels[start] = mix(color.red, image.pixels[start])
        image.pixels[start + 1] = mix(color.green, image.pixels[start + 1])
        image.pixels[start + 2] = mix(color.blue, image.pixels[start + 2])
    }

    /// Per-pixel coverage over a rectangle, combined by maximum.
    private struct CoverageMask {
        let area: PixelRect
        var values: [UInt8]  // (area.height, area.width)

        init(area: PixelRect) {
            self.area = area
            values = [UInt8](repeating: 0, count: area.isEmpty ? 0 : area.width * area.height)
        }

        mutating func raise(_ x: Int, _ y: Int, _ value: UInt8) {
            let i = (y - area.y0) * area.width + (x - area.x0)
            if value > values[i] { values[i] = value }
        }
    }
}
