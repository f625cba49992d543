import Formats

/// Which way a line of text runs.
public enum TextDirection: Sendable, Equatable {
    /// Left to right, glyphs upright.
    case horizontal
    /// Bottom to top: the horizontal text turned 90° counter-clockwise (a y-axis title).
    case upward
}

/// A fixed-width bitmap font, so GenLab draws its own labels with no system font or text
/// renderer: every machine draws the same pixels.
///
/// ``standard`` is the X11 misc-fixed 8×13 font (public domain), taken from Debian's console
/// font `Uni2-Fixed13.psf.gz` by `tools/bitmap-font.py`: printable ASCII, Greek letters and the
/// symbols plots need (± × − · ≤ ≥ … ² and more). Each character (Unicode scalar) advances
/// ``glyphWidth`` pixels; a character the font lacks draws as a hollow box the size of a capital.
///
/// Text is placed by the top-left corner of its box: ``width(of:)`` × ``lineHeight`` when
/// horizontal, ``lineHeight`` × ``width(of:)`` when ``TextDirection/upward``. Only the glyphs'
/// set pixels are painted (no background, no anti-aliasing), clipped to the image.
public struct BitmapFont: Sendable {
    /// Horizontal advance of every character, in pixels (8 for ``standard``).
    public let glyphWidth: Int
    /// Height of a line of text, in pixels (13 for ``standard``).
    public let lineHeight: Int
    /// Rows of the glyph's cell that capitals occupy (2…10 for ``standard``): used to centre
    /// text vertically and for the missing-glyph box.
    public let capitalRows: ClosedRange<Int>
    /// The code points that have glyphs, ascending.
    let codePoints: [UInt32]
    /// (glyphs, lineHeight) rows of 8 pixels, bit 7 leftmost, in `codePoints` order.
    let bitmaps: [UInt8]

    /// The X11 misc-fixed 8×13 font (see `BitmapFontGlyphs.swift`).
    public static let standard = BitmapFont(table: fixed8x13Table, glyphWidth: 8, lineHeight: 13, capitalRows: 2...10)

    /// A font from the generated table's text: one glyph per line, "CODEPOINT ROWS" in hex.
    init(table: String, glyphWidth: Int, lineHeight: Int, capitalRows: ClosedRange<Int>) {
        precondition(glyphWidth >= 1 && glyphWidth <= 8, "BitmapFont: glyphs are at most 8 pixels wide")
        var codePoints = [UInt32](), bitmaps = [UInt8]()
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            precondition(fields.count == 2 && fields[1].count == 2 * lineHeight, "BitmapFont: bad table line \(line)")
            guard let code = UInt32(fields[0], radix: 16) else { preconditionFailure("BitmapFont: bad code point in \(line)") }
            precondition(codePoints.last.map { $0 < code } ?? true, "BitmapFont: table not sorted at \(line)")
            codePoints.append(code)
            let hex = Array(fields[1].utf8)
            for row in 0..<lineHeight {
                guard let byte = UInt8(String(decoding: hex[(2 * row)..<(2 * row + 2)], as: UTF8.self), radix: 16)
                else { preconditionFailure("BitmapFont: bad row in \(line)") }
                bitmaps.append(byte)
            }
        }
        self.glyphWidth = glyphWidth
        self.lineHeight = lineHeight
        self.capitalRows = capitalRows
        self.codePoints = codePoints
        self.bitmaps = bitmaps
    }

    /// Width of `text` in pixels: one ``glyphWidth`` per Unicode scalar.
    public func width(of text: String) -> Int { text.unicodeScalars.count * glyphWidth }

    /// Whether the font has a glyph for `scalar` (otherwise it draws as a box).
    public func contains(_ scalar: Unicode.Scalar) -> Bool { index(of: scalar) != nil }

    /// The ``lineHeight`` rows of `scalar`'s glyph (bit 7 is the leftmost column), or the
    /// missing-glyph box: the outline of columns 1…6 over ``capitalRows``.
    public func rows(of scalar: Unicode.Scalar) -> [UInt8] {
        if let i = index(of: scalar) { return Array(bitmaps[(i * lineHeight)..<((i + 1) * lineHeight)]) }
        return (0..<lineHeight).map { row in
            if row == capitalRows.lowerBound || row == capitalRows.upperBound { return 0b0111_1110 }
            return capitalRows.contains(row) ? 0b0100_0010 : 0
        }
    }

    /// Paints the set pixels of `text` in `color` with its box's top-left corner at (`x`, `y`).
    ///
    /// Gray images need a gray colour (a precondition, as for ``ImageGrid``'s separators);
    /// RGBA pixels painted become opaque.
    public func draw(_ text: String, on image: inout PixelImage, x: Int, y: Int, color: GridColor,
                     direction: TextDirection = .horizontal) {
        let value: [UInt8]
        switch image.channels {
        case 1:
            precondition(color.red == color.green && color.green == color.blue,
                         "BitmapFont: a gray image needs a gray colour, got \(color)")
            value = [color.red]
        case 3: value = [color.red, color.green, color.blue]
        default: value = [color.red, color.green, color.blue, 255]
        }
        let length = width(of: text)
        let (width, height, channels) = (image.width, image.height, image.channels)
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for (k, scalar) in text.unicodeScalars.enumerated() {
                let glyph = rows(of: scalar)
                for row in 0..<lineHeight where glyph[row] != 0 {
                    for column in 0..<glyphWidth where glyph[row] & (0x80 >> column) != 0 {
                        // (sx, sy): the pixel in the horizontal text's own box.
                        let (sx, sy) = (k * glyphWidth + column, row)
                        let (px, py) = direction == .horizontal ? (x + sx, y + sy) : (x + sy, y + length - 1 - sx)
                        guard px >= 0, px < width, py >= 0, py < height else { continue }
                        let start = (py * width + px) * channels
                        for c in 0..<channels { pixels[start + c] = value[c] }
                    }
                }
            }
        }
    }

    /// Binary search of the code point table.
    private func index(of scalar: Unicode.Scalar) -> Int? {
        var (low, high) = (0, codePoints.count)
        while low < high {
            let mid = (low + high) / 2
            if codePoints[mid] < scalar.value { low = mid + 1 } else { high = mid }
        }
        return low < codePoints.count && codePoints[low] == scalar.value ? low : nil
    }
}
