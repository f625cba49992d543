import Formats

/// Text around an image grid: a caption above or below it and labels beside its rows, in black
/// on white margins (``BitmapFont/standard``).
public struct GridCaptions: Sendable, Equatable {
    public enum VerticalSide: Sendable, Equatable { case above, below }
    public enum HorizontalSide: Sendable, Equatable { case left, right }

    /// One line centred over or under the grid (nil: none).
    public var caption: String?
    public var captionSide: VerticalSide
    /// One label per grid row, from the top, vertically centred on the row (fewer labels than
    /// rows leave the last rows unlabelled; empty: no label column).
    public var rowLabels: [String]
    public var rowLabelSide: HorizontalSide

    public init(caption: String? = nil, captionSide: VerticalSide = .above, rowLabels: [String] = [],
                rowLabelSide: HorizontalSide = .left) {
        self.caption = caption
        self.captionSide = captionSide
        self.rowLabels = rowLabels
        self.rowLabelSide = rowLabelSide
    }

    /// Margin between text and the grid or the image edge, in pixels.
    public static let padding = 6
}

extension ImageGrid {
    /// `grid` — made by this `ImageGrid` from images `imageHeight` pixels tall — with `captions`
    /// in white margins. The grid's pixels are copied unchanged (a gray grid stays gray).
    ///
    /// Geometry, with p = ``GridCaptions/padding`` and L the font's line height: a caption adds
    /// a band of L + 2p rows; row labels add a column as wide as the widest label + 2p; the image
    /// widens, centred, when the caption is wider than everything else. Row r of the grid starts
    /// at r · (imageHeight · scale + spacing), as in ``compose(_:count:channels:height:width:)``.
    /// No captions: `grid` itself, byte for byte.
    public func captioned(_ grid: PixelImage, imageHeight: Int, captions: GridCaptions) -> PixelImage {
        precondition(imageHeight >= 1, "ImageGrid.captioned: image height must be ≥ 1, got \(imageHeight)")
        let font = BitmapFont.standard
        let p = GridCaptions.padding
        let caption = captions.caption ?? ""
        guard !caption.isEmpty || !captions.rowLabels.isEmpty else { return grid }

        let labelWidth = captions.rowLabels.isEmpty ? 0 : (captions.rowLabels.map { font.width(of: $0) }.max() ?? 0) + 2 * p
        let band = caption.isEmpty ? 0 : font.lineHeight + 2 * p
        let width = max(grid.width + labelWidth, caption.isEmpty ? 0 : font.width(of: caption) + 2 * p)
        let height = grid.height + band
        // The grid and its label column, centred as one block.
        let blockX = (width - grid.width - labelWidth) / 2
        let gridX = blockX + (captions.rowLabelSide == .left ? labelWidth : 0)
        let gridY = captions.captionSide == .above ? band : 0

        var out = PixelImage(width: width, height: height, channels: grid.channels, fill: [255])
        let c = grid.channels
        for y in 0..<grid.height {
            let source = y * grid.width * c, target = ((gridY + y) * width + gridX) * c
            out.pixels.replaceSubrange(target..<(target + grid.width * c), with: grid.pixels[source..<(source + grid.width * c)])
        }
        if !caption.isEmpty {
            let y = captions.captionSide == .above ? p : grid.height + p
            font.draw(caption, on: &out, x: (width - font.width(of: caption)) / 2, y: y, color: .black)
        }
        let cellHeight = imageHeight * scale
        let centre = (font.capitalRows.lowerBound + font.capitalRows.upperBound) / 2
        for (row, label) in captions.rowLabels.enumerated() {
            let middle = gridY + row * (cellHeight + spacing) + cellHeight / 2
            let x = captions.rowLabelSide == .left ? gridX - p - font.width(of: label) : gridX + grid.width + p
            font.draw(label, on: &out, x: x, y: middle - centre, color: .black)
        }
        return out
    }
}
