import Formats

extension BitmapFont {
    /// Reads back `count` characters that ``draw(_:on:x:y:color:direction:)`` painted in `color`
    /// with the text box's top-left corner at (`x`, `y`): each character cell must show exactly a
    /// glyph's set pixels in `color` (the lowest code point wins where glyphs look alike, so ASCII
    /// comes back as ASCII). Nil when a cell matches no glyph or leaves the image.
    ///
    /// GenLab's own figures are the only text it reads: `genlab migrate` rewrites labels of
    /// committed figures (latent dimensions counted from 0) without retraining.
    public func read(_ image: PixelImage, x: Int, y: Int, count: Int, color: GridColor = .black,
                     direction: TextDirection = .horizontal) -> String? {
        let length = count * glyphWidth
        var text = ""
        for k in 0..<count {
            var cell = [UInt8](repeating: 0, count: lineHeight)
            for row in 0..<lineHeight {
                for column in 0..<glyphWidth {
                    let (sx, sy) = (k * glyphWidth + column, row)
                    let (px, py) = direction == .horizontal ? (x + sx, y + sy) : (x + sy, y + length - 1 - sx)
                    guard px >= 0, px < image.width, py >= 0, py < image.height else { return nil }
                    if image.color(x: px, y: py) == color { cell[row] |= 0x80 >> column }
                }
            }
            guard let scalar = scalar(drawnAs: cell) else { return nil }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// The scalar of lowest code point whose glyph is `rows`.
    private func scalar(drawnAs rows: [UInt8]) -> Unicode.Scalar? {
        for (i, code) in codePoints.enumerated() where bitmaps[(i * lineHeight)..<((i + 1) * lineHeight)].elementsEqual(rows) {
            return Unicode.Scalar(code)
        }
        return nil
    }
}

extension PixelImage {
    /// The colour of pixel (x, y) (gray as a gray colour; alpha ignored).
    public func color(x: Int, y: Int) -> GridColor {
        let start = (y * width + x) * channels
        return channels == 1 ? .gray(pixels[start])
            : GridColor(red: pixels[start], green: pixels[start + 1], blue: pixels[start + 2])
    }

    /// The `width` × `height` part of the image whose top-left corner is (x, y); it must lie
    /// inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> PixelImage {
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height,
                     "PixelImage: crop \(width)×\(height) at (\(x), \(y)) outside \(self.width)×\(self.height)")
        var part = [UInt8]()
        part.reserveCapacity(width * height * channels)
        for row in y..<(y + height) {
            let start = (row * self.width + x) * channels
            part += pixels[start..<(start + width * channels)]
        }
        return PixelImage(width: width, height: height, channels: channels, pixels: part)
    }
}
