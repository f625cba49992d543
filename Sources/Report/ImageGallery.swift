import Formats

/// Several images, possibly of different sizes, side by side in a grid with a caption under each:
/// the experiment's "every configuration's samples" figure.
///
/// Every cell is as wide as the widest image and as tall as the tallest, plus the caption lines;
/// an image sits at the top of its cell, centred horizontally, and its caption is centred under
/// it, wrapped at spaces to the cell width (a word longer than that is cut). Cells are
/// `spacing` pixels apart and from the border, on white. The result is gray when every image is
/// gray, RGB otherwise (gray images are expanded, RGBA ones blended over white).
public struct ImageGallery: Sendable, Equatable {
    /// Images per row (≥ 1).
    public var columns: Int
    /// Pixels between cells and around the border (default 12).
    public var spacing: Int

    public init(columns: Int, spacing: Int = 12) {
        precondition(columns >= 1, "ImageGallery: columns must be ≥ 1, got \(columns)")
        precondition(spacing >= 0, "ImageGallery: spacing must be ≥ 0, got \(spacing)")
        self.columns = columns
        self.spacing = spacing
    }

    /// The gallery of `images` with `captions` (one per image, "" for none), row by row.
    public func compose(_ images: [PixelImage], captions: [String]) -> PixelImage {
        precondition(!images.isEmpty, "ImageGallery: needs at least one image")
        precondition(captions.count == images.count, "ImageGallery: \(captions.count) captions for \(images.count) images")
        let font = BitmapFont.standard
        let cellWidth = max(images.map(\.width).max()!, font.glyphWidth)
        let imageHeight = images.map(\.height).max()!
        let lines = captions.map { Self.wrap($0, width: cellWidth, font: font) }
        let maxLines = lines.map(\.count).max()!
        let cellHeight = imageHeight + (maxLines == 0 ? 0 : 4 + maxLines * font.lineHeight)
        let rows = (images.count + columns - 1) / columns
        let used = min(columns, images.count)
        let width = used * cellWidth + (used + 1) * spacing
        let height = rows * cellHeight + (rows + 1) * spacing

        let gray = images.allSatisfy { $0.channels == 1 }
        var out: PixelImage
        if gray {
            out = PixelImage(width: width, height: height, channels: 1, fill: [255])
            for (i, image) in images.enumerated() {
                let (x, y) = origin(of: i, image: image, cellWidth: cellWidth, cellHeight: cellHeight)
                for row in 0..<image.height {
                    let target = (y + row) * width + x
                    out.pixels.replaceSubrange(target..<(target + image.width),
                                               with: image.pixels[(row * image.width)..<((row + 1) * image.width)])
                }
            }
        } else {
            var canvas = Canvas(width: width, height: height)
            for (i, image) in images.enumerated() {
                let (x, y) = origin(of: i, image: image, cellWidth: cellWidth, cellHeight: cellHeight)
                canvas.draw(image, x: x, y: y)
            }
            out = canvas.image
        }
        for (i, captionLines) in lines.enumerated() {
            let cellX = spacing + (i % columns) * (cellWidth + spacing)
            let top = spacing + (i / columns) * (cellHeight + spacing) + imageHeight + 4
            for (k, line) in captionLines.enumerated() {
                font.draw(line, on: &out, x: cellX + (cellWidth - font.width(of: line)) / 2,
                          y: top + k * font.lineHeight, color: .black)
            }
        }
        return out
    }

    /// Top-left corner of image `i` in its cell.
    private func origin(of i: Int, image: PixelImage, cellWidth: Int, cellHeight: Int) -> (Int, Int) {
        (spacing + (i % columns) * (cellWidth + spacing) + (cellWidth - image.width) / 2,
         spacing + (i / columns) * (cellHeight + spacing))
    }

    /// `text` broken at spaces into lines at most `width` pixels wide; over-long words are cut.
    static func wrap(_ text: String, width: Int, font: BitmapFont) -> [String] {
        let limit = max(width / font.glyphWidth, 1)
        var lines = [String](), current = ""
        for word in text.split(separator: " ") {
            var word = Substring(word)
            while word.unicodeScalars.count > limit {  // a word longer than a line: cut it
                if !current.isEmpty { lines.append(current); current = "" }
                let cut = word.unicodeScalars.index(word.unicodeScalars.startIndex, offsetBy: limit)
                lines.append(String(word.unicodeScalars[..<cut]))
                word = Substring(word.unicodeScalars[cut...])
            }
            if current.isEmpty {
                current = String(word)
            } else if current.unicodeScalars.count + 1 + word.unicodeScalars.count <= limit {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
