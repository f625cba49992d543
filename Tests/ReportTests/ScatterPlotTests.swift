import Formats
import Foundation
import Report
import Testing

private let white: [UInt8] = [255, 255, 255]
private let black: [UInt8] = [0, 0, 0]
private let blue: [UInt8] = [0, 114, 178]        // Okabe–Ito blue
private let vermillion: [UInt8] = [213, 94, 0]   // Okabe–Ito vermillion

/// A 100×100 plot of [−1, 1]²: x = −1 + 0.02·column (left edge of the column), y = 1 − 0.02·row.
private func plot(pointSize: Int = 1) -> ScatterPlot {
    var plot = ScatterPlot(width: 100, height: 100, xRange: -1...1, yRange: -1...1)
    plot.pointSize = pointSize
    return plot
}

/// The expected image: white with a black one-pixel border, then `colored` pixels.
private func expected(width: Int = 100, height: Int = 100, _ colored: [(Int, Int, [UInt8])]) -> PixelImage {
    var image = PixelImage(width: width, height: height, channels: 3, fill: white)
    func set(_ x: Int, _ y: Int, _ c: [UInt8]) {
        let start = (y * width + x) * 3
        image.pixels.replaceSubrange(start..<(start + 3), with: c)
    }
    for (x, y, c) in colored { set(x, y, c) }
    for x in 0..<width { set(x, 0, black); set(x, height - 1, black) }
    for y in 0..<height { set(0, y, black); set(width - 1, y, black) }
    return image
}

/// The (column, row) of every pixel whose colour differs between `a` and `b`.
private func differences(_ a: PixelImage, _ b: PixelImage) -> [(Int, Int)] {
    var out = [(Int, Int)]()
    for y in 0..<a.height { for x in 0..<a.width where a[x, y] != b[x, y] { out.append((x, y)) } }
    return out
}

@Suite struct ScatterPlotTests {
    @Test func mappingIsFloorWithClosedUpperEnds() {
        let p = plot()
        #expect(p.pixel(x: 0, y: 0)! == (50, 50))
        #expect(p.pixel(x: -0.5, y: 0.5)! == (25, 25))
        #expect(p.pixel(x: 0.5, y: -0.5)! == (75, 75))
        #expect(p.pixel(x: -1, y: 1)! == (0, 0))
        #expect(p.pixel(x: 1, y: -1)! == (99, 99))     // closed upper ends land on the last pixel
        #expect(p.pixel(x: 1.0001, y: 0) == nil)
        #expect(p.pixel(x: 0, y: -1.0001) == nil)
        #expect(p.pixel(x: .nan, y: 0) == nil)
        #expect(p.pixel(x: 0, y: .infinity) == nil)
    }

    @Test func pointsLandOnTheirPixelsAndTheRestStaysWhite() {
        let image = plot().render(points: [0, 0, -0.5, 0.5, 0.5, -0.5], modes: [], modeRadius: 0.1)
        #expect(image.width == 100 && image.height == 100 && image.channels == 3)
        let want = expected([(50, 50, blue), (25, 25, blue), (75, 75, blue)])
        #expect(differences(image, want).isEmpty, "pixels differ at \(differences(image, want).prefix(10))")
    }

    @Test func dotSizeGrowsRightAndDownFromThePixel() {
        let two = plot(pointSize: 2).render(points: [0, 0], modes: [], modeRadius: 0.1)
        let want2 = expected([(50, 50, blue), (51, 50, blue), (50, 51, blue), (51, 51, blue)])
        #expect(differences(two, want2).isEmpty, "pixels differ at \(differences(two, want2).prefix(10))")
        let three = plot(pointSize: 3).render(points: [0, 0], modes: [], modeRadius: 0.1)
        let want3 = expected((49...51).flatMap { y in (49...51).map { x in (x, y, blue) } })
        #expect(differences(three, want3).isEmpty, "pixels differ at \(differences(three, want3).prefix(10))")
    }

    @Test func modesAreRingsOfTheirRadiusUnderThePoints() {
        // Radius 0.2 of a span of 2 over 100 pixels = 10 pixels; the ring is 2 pixels wide: 8² < dx² + dy² ≤ 10².
        let image = plot().render(points: [0.2, 0], modes: [SIMD2(0, 0)], modeRadius: 0.2)
        #expect(image[50, 50] == white)           // open centre
        #expect(image[58, 50] == white)
        #expect(image[59, 50] == vermillion)
        #expect(image[60, 50] == blue)            // the point, drawn over the ring
        #expect(image[61, 50] == white)
        #expect(image[41, 50] == vermillion && image[40, 50] == vermillion && image[39, 50] == white && image[42, 50] == white)
        #expect(image[50, 40] == vermillion && image[50, 41] == vermillion && image[50, 42] == white)
        #expect(image[50, 60] == vermillion && image[50, 61] == white)
        #expect(image[57, 57] == vermillion)      // 45°: 7² + 7² = 98 in (64, 100]
        #expect(image[56, 56] == vermillion)      // 6² + 6² = 72 in (64, 100]
        #expect(image[55, 55] == white)           // 5² + 5² = 50 ≤ 64 = 8²
        var count = 0
        for y in 1..<99 { for x in 1..<99 where image[x, y] == vermillion { count += 1 } }
        #expect(count > 100 && count < 130, "ring pixels: \(count)")  // 120 lattice points in the ring, less the point
    }

    @Test func pointsAndModesOutsideTheRangeAreClipped() {
        let outside: [Float] = [1.5, 0, 0, -3, .nan, 0, 0, .infinity, -.infinity, 0, 1e30, -1e30, .greatestFiniteMagnitude, 0]
        var p = plot(pointSize: 3)
        let image = p.render(points: outside, modes: [SIMD2(5, 5), SIMD2(.nan, 0)], modeRadius: 0.1)
        #expect(differences(image, expected([])).isEmpty)
        // Dots and rings at the edges are cut at the border, not wrapped or crashed.
        let edges = p.render(points: [-1, 1, 1, -1], modes: [SIMD2(-1, -1)], modeRadius: 0.1)
        #expect(edges[1, 1] == blue && edges[98, 98] == blue && edges[97, 97] == white)
        // Ring of radius 5 (width 2) about pixel (0, 99): 3² < dx² + dy² ≤ 5².
        #expect(edges[4, 99] == black && edges[4, 98] == vermillion && edges[1, 95] == vermillion)
        #expect(edges[4, 97] == vermillion && edges[2, 98] == white && edges[5, 98] == white)
        // A ring far larger than the image: capped, and every drawn pixel is a ring pixel.
        p.modeLineWidth = 1
        let huge = p.render(points: [], modes: [SIMD2(0, 0)], modeRadius: 1e30)
        #expect(differences(huge, expected([])).isEmpty)
    }

    @Test func framingPadsTheModesBoundingBoxByAQuarter() {
        let ring: [SIMD2<Float>] = (0..<8).map { k in
            let angle = 2 * Double.pi * Double(k) / 8
            return SIMD2<Float>(Float(cos(angle)), Float(sin(angle)))
        }
        let r = ScatterPlot.framing(modes: ring)
        #expect(r.width == 512 && r.height == 512)
        #expect(abs(r.xRange.lowerBound + 1.5) < 1e-6 && abs(r.xRange.upperBound - 1.5) < 1e-6, "\(r.xRange)")
        #expect(abs(r.yRange.lowerBound + 1.5) < 1e-6 && abs(r.yRange.upperBound - 1.5) < 1e-6, "\(r.yRange)")
        let grid: [SIMD2<Float>] = (0..<25).map { (k: Int) -> SIMD2<Float> in
            let x: Int = (k / 5) * 2 - 4
            let y: Int = (k % 5) * 2 - 4
            return SIMD2<Float>(Float(x), Float(y))
        }
        let g = ScatterPlot.framing(modes: grid)
        #expect(g.xRange == -6...6 && g.yRange == -6...6)
        // A wide, flat set is made square about its centre.
        let flat = ScatterPlot.framing(modes: [SIMD2(0, 1), SIMD2(4, 1)], size: 64)
        #expect(flat.xRange == -1...5 && flat.yRange == -2...4 && flat.width == 64)
        let single = ScatterPlot.framing(modes: [SIMD2(2, 3)], padding: 0)
        #expect(single.xRange == 1.5...2.5 && single.yRange == 2.5...3.5)
    }

    @Test func identicalInputsGiveIdenticalPNGBytes() throws {
        // 2,500 points spread about the 8 ring modes by a fixed pattern, at the default 512×512.
        let modes: [SIMD2<Float>] = (0..<8).map { k in
            let angle = 2 * Double.pi * Double(k) / 8
            return SIMD2<Float>(Float(cos(angle)), Float(sin(angle)))
        }
        var points = [Float]()
        for i in 0..<2500 {
            let mode = modes[i % 8]
            points += [mode.x + 0.02 * Float(sin(Double(i))), mode.y + 0.02 * Float(cos(Double(3 * i)))]
        }
        let plot = ScatterPlot.framing(modes: modes)
        let first = plot.render(points: points, modes: modes, modeRadius: 0.03)
        let second = plot.render(points: points, modes: modes, modeRadius: 0.03)
        let bytes = try PNGCodec.encode(first)
        #expect(bytes == (try PNGCodec.encode(second)))
        #expect(try PNGCodec.decode(bytes) == first)
        #expect(first.width == 512 && first.height == 512 && first.channels == 3)
        #expect(first.pixels.contains(0) && first[256, 256] == white)
    }
}
