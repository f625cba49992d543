import Formats
import Report
import Testing

private let font = BitmapFont.standard

/// The image as text: `#` where the pixel is not white, `.` elsewhere, one line per row.
private func picture(_ image: PixelImage) -> [String] {
    (0..<image.height).map { y in
        String((0..<image.width).map { x in image[x, y].allSatisfy { $0 == 255 } ? "." : "#" })
    }
}

@Suite struct BitmapFontTests {
    @Test func metricsAreThoseOfTheFixed8x13Font() {
        #expect(font.glyphWidth == 8)
        #expect(font.lineHeight == 13)
        #expect(font.width(of: "") == 0)
        #expect(font.width(of: "β = 4") == 40)
        #expect(font.width(of: "loss ± sd") == 72)   // one advance per Unicode scalar, not per byte
    }

    @Test func capitalAHasItsKnownPattern() {
        #expect(font.rows(of: "A") == [0x00, 0x00, 0x18, 0x24, 0x42, 0x42, 0x42, 0x7E, 0x42, 0x42, 0x42, 0x00, 0x00])
        #expect(font.rows(of: " ") == [UInt8](repeating: 0, count: 13))
        // Descender of g reaches the last row.
        #expect(font.rows(of: "g").last == 0x3C)
    }

    @Test func plotSymbolsArePresentAndOthersAreNot() {
        for scalar in "βγσμλ±×−·≤≥…²".unicodeScalars {
            #expect(font.contains(scalar), "missing \(scalar)")
        }
        for code in 0x20...0x7E { #expect(font.contains(Unicode.Scalar(UInt8(code)))) }
        #expect(!font.contains("€"))
        #expect(!font.contains("\u{7F}"))
        #expect(font.rows(of: "β") != font.rows(of: "B"))
    }

    @Test func horizontalTextPaintsTheGlyphAtItsCorner() {
        var image = PixelImage(width: 12, height: 15, channels: 3, fill: [255])
        font.draw("A", on: &image, x: 2, y: 1, color: GridColor(red: 1, green: 2, blue: 3))
        #expect(picture(image) == [
            "............",
            "............",
            "............",
            ".....##.....",
            "....#..#....",
            "...#....#...",
            "...#....#...",
            "...#....#...",
            "...######...",
            "...#....#...",
            "...#....#...",
            "...#....#...",
            "............",
            "............",
            "............",
        ])
        #expect(image[5, 3] == [1, 2, 3])
    }

    @Test func upwardTextIsTheHorizontalTextTurnedCounterClockwise() {
        var flat = PixelImage(width: 16, height: 13, channels: 3, fill: [255])
        font.draw("Lg", on: &flat, x: 0, y: 0, color: .black)
        var turned = PixelImage(width: 13, height: 16, channels: 3, fill: [255])
        font.draw("Lg", on: &turned, x: 0, y: 0, color: .black, direction: .upward)
        // (sx, sy) of the horizontal text lands on (sy, 15 − sx): reading bottom to top.
        for sy in 0..<13 {
            for sx in 0..<16 { #expect(flat[sx, sy] == turned[sy, 15 - sx], "(\(sx), \(sy))") }
        }
        // The L's upright stroke (column 1 of the first glyph) is now a row near the bottom.
        #expect(turned[3, 14] == [0, 0, 0] && turned[3, 1] == [255, 255, 255])
    }

    @Test func missingGlyphDrawsAHollowBox() {
        var image = PixelImage(width: 8, height: 13, channels: 1, fill: [255])
        font.draw("€", on: &image, x: 0, y: 0, color: .black)
        #expect(picture(image) == [
            "........",
            "........",
            ".######.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".#....#.",
            ".######.",
            "........",
            "........",
        ])
    }

    @Test func drawingClipsAtTheEdgesAndKeepsOtherPixels() {
        var image = PixelImage(width: 6, height: 6, channels: 4, fill: [9, 9, 9, 0])
        font.draw("WW", on: &image, x: -5, y: -9, color: .black)
        font.draw("x", on: &image, x: 100, y: 100, color: .black)
        #expect(image.pixels.contains(255))          // painted pixels become opaque
        #expect(image[5, 5] == [9, 9, 9, 0])         // untouched pixels keep colour and alpha
        var blank = PixelImage(width: 4, height: 4, channels: 3, fill: [255])
        font.draw("A", on: &blank, x: -20, y: 0, color: .black, direction: .upward)
        #expect(blank.pixels.allSatisfy { $0 == 255 })
    }

    @Test func textIsTheSameEveryTime() throws {
        var a = PixelImage(width: 200, height: 13, channels: 3, fill: [255])
        var b = a
        font.draw("β-VAE: KL ≤ 4.5 × 10²", on: &a, x: 0, y: 0, color: .black)
        font.draw("β-VAE: KL ≤ 4.5 × 10²", on: &b, x: 0, y: 0, color: .black)
        #expect(a == b)
        #expect(try PNGCodec.encode(a) == PNGCodec.encode(b))
    }
}
