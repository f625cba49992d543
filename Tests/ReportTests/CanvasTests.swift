import Formats
import Report
import Testing

private let white: [UInt8] = [255, 255, 255]
private let blue = GridColor(red: 0, green: 114, blue: 178)
private let s = Canvas.subpixels

/// The subpixel point at pixel coordinates (x, y) (not the pixel's centre: its corner).
private func at(_ x: Int, _ y: Int) -> SubpixelPoint { SubpixelPoint(x: x * s, y: y * s) }

@Suite struct CanvasTests {
    @Test func integerSquareRootIsExactFloor() {
        for n in 0..<2000 {
            let r = Canvas.integerSquareRoot(n)
            #expect(r * r <= n && (r + 1) * (r + 1) > n, "√\(n) → \(r)")
        }
        let big = 3_037_000_499  // ⌊√(2⁶³ − 1)⌋
        #expect(Canvas.integerSquareRoot(big * big) == big)
        #expect(Canvas.integerSquareRoot(big * big - 1) == big - 1)
    }

    @Test func blendingOverWhiteUsesRoundedIntegerArithmetic() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.blend(x0: 0, y0: 0, x1: 0, y1: 0, color: blue, alpha: 64)
        canvas.blend(x0: 1, y0: 0, x1: 1, y1: 0, color: blue, alpha: 255)
        canvas.blend(x0: 2, y0: 0, x1: 2, y1: 0, color: blue, alpha: 0)
        // (c·64 + 255·191 + 127) / 255 for c = 0, 114, 178.
        #expect(canvas.image[0, 0] == [191, 220, 236])
        #expect(canvas.image[1, 0] == [0, 114, 178])
        #expect(canvas.image[2, 0] == white)
    }

    @Test func polygonFillCoversPixelsWhoseCentresAreInside() {
        var canvas = Canvas(width: 12, height: 12)
        // Square with corners at pixel corners (2, 3) and (7, 9): pixels 2…6 × 3…8.
        canvas.fillPolygon([at(2, 3), at(7, 3), at(7, 9), at(2, 9)], color: blue, alpha: 64)
        let tint: [UInt8] = [191, 220, 236]
        for y in 0..<12 {
            for x in 0..<12 {
                let inside = (2...6).contains(x) && (3...8).contains(y)
                #expect(canvas.image[x, y] == (inside ? tint : white), "(\(x), \(y))")
            }
        }
    }

    @Test func bandBetweenTwoPolylinesIsBlendedOnceEvenWhereItFolds() {
        // Upper and lower lines cross in the middle (a bow tie): each pixel still blends once.
        var canvas = Canvas(width: 20, height: 20)
        let upper = [at(0, 2), at(10, 10), at(20, 2)]
        let lower = [at(0, 18), at(10, 10), at(20, 18)]
        canvas.fillPolygon(upper + lower.reversed(), color: blue, alpha: 64)
        #expect(canvas.image[1, 10] == [191, 220, 236])    // left lobe
        #expect(canvas.image[18, 10] == [191, 220, 236])   // right lobe
        #expect(canvas.image[10, 3] == white)              // above the crossing
        let values = Set(canvas.image.pixels)
        #expect(values == [191, 220, 236, 255], "\(values)")  // one level of tint, never two
    }

    @Test func strokesThroughPixelCentresAreCrispAndWideStrokesCoverTwoRows() {
        var thin = Canvas(width: 10, height: 10)
        thin.stroke([.centre(ofPixel: 1, 5), .centre(ofPixel: 8, 5)], width: s, color: blue)
        #expect(thin.image[4, 5] == [0, 114, 178])
        #expect(thin.image[4, 4] == white && thin.image[4, 6] == white)
        #expect(thin.image[0, 5] == white && thin.image[9, 5] == white)  // round caps reach ½ pixel

        var wide = Canvas(width: 10, height: 10)
        wide.stroke([at(1, 5), at(9, 5)], width: 2 * s, color: blue)  // on the line between rows 4 and 5
        #expect(wide.image[4, 4] == [0, 114, 178] && wide.image[4, 5] == [0, 114, 178])
        #expect(wide.image[4, 3] == white && wide.image[4, 6] == white)
    }

    @Test func antiAliasedEdgesAreBetweenColourAndBackground() {
        var canvas = Canvas(width: 10, height: 10)
        // Half a pixel above row 5's centre: rows 4 and 5 are each half covered by a 1-pixel line.
        canvas.stroke([SubpixelPoint(x: 8, y: 5 * s), SubpixelPoint(x: 9 * s + 8, y: 5 * s)], width: s, color: .black)
        // d = 8 → coverage (8 + 8 − 8)·255 / 16 = 127 → 255 − 127 = 128 (rounded blend).
        #expect(canvas.image[5, 4] == [128, 128, 128])
        #expect(canvas.image[5, 5] == [128, 128, 128])
    }

    @Test func dashesLeaveGapsAlongTheLine() {
        var canvas = Canvas(width: 40, height: 3)
        canvas.stroke([.centre(ofPixel: 0, 1), .centre(ofPixel: 39, 1)], width: s, color: .black, dash: (on: 4 * s, off: 4 * s))
        let row = (0..<40).map { canvas.image[$0, 1][0] }
        // Dashes of 4 pixels from centre 0 to centre 4, gaps to centre 8 … : pixels x with x mod 8 ≤ 4
        // are on; the round caps end exactly between pixels, so nothing is partly covered.
        #expect(row == (0..<40).map { $0 % 8 <= 4 ? 0 : 255 }, "\(row)")
    }

    @Test func discIsRoundAndCentred() {
        var canvas = Canvas(width: 11, height: 11)
        canvas.disc(centre: .centre(ofPixel: 5, 5), radius: 3 * s, color: .black)
        #expect(canvas.image[5, 5] == [0, 0, 0])
        #expect(canvas.image[7, 5] == [0, 0, 0] && canvas.image[5, 3] == [0, 0, 0])
        #expect(canvas.image[9, 5] == white && canvas.image[8, 8] == white)
        for (x, y) in [(2, 5), (8, 5), (5, 2), (5, 8)] {  // symmetric edge pixels
            #expect(canvas.image[x, y] == canvas.image[8, 5], "(\(x), \(y))")
        }
    }

    @Test func clipKeepsDrawingInsideTheRectangle() {
        var canvas = Canvas(width: 10, height: 10)
        let clip = PixelRect(x0: 2, y0: 2, x1: 6, y1: 6)
        canvas.stroke([at(0, 0), at(10, 10)], width: 3 * s, color: .black, clip: clip)
        canvas.fillPolygon([at(0, 0), at(10, 0), at(10, 10)], color: .black, alpha: 255, clip: clip)
        for y in 0..<10 {
            for x in 0..<10 where !(2...6).contains(x) || !(2...6).contains(y) {
                #expect(canvas.image[x, y] == white, "(\(x), \(y))")
            }
        }
        #expect(canvas.image[4, 4] == [0, 0, 0])
    }

    @Test func crispLinesAndPastedImages() {
        var canvas = Canvas(width: 6, height: 6)
        canvas.line(x0: 0, y0: 0, x1: 5, y1: 5, color: .black)
        #expect((0..<6).allSatisfy { canvas.image[$0, $0] == [0, 0, 0] })
        #expect(canvas.image[1, 0] == white)
        canvas.line(x0: 5, y0: 0, x1: 5, y1: 0, color: .black)    // a point
        #expect(canvas.image[5, 0] == [0, 0, 0])
        canvas.draw(PixelImage(width: 2, height: 1, channels: 1, pixels: [10, 20]), x: 4, y: 5)
        #expect(canvas.image[4, 5] == [10, 10, 10] && canvas.image[5, 5] == [20, 20, 20])
        canvas.draw(PixelImage(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 0]), x: 0, y: 5)
        #expect(canvas.image[0, 5] == white)                      // transparent: nothing
        canvas.draw(PixelImage(width: 3, height: 3, channels: 3, fill: [7]), x: -1, y: -1)
        #expect(canvas.image[1, 1] == [7, 7, 7] && canvas.image[2, 2] == [0, 0, 0])
    }
}
