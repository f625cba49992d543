import Formats

// Dimension letters: N images, C channels (1 or 3), H height, W width — input is (N, C, H, W).

/// An ``ImageGrid`` with a text label beside each row and above each column, as an RGB image
/// (latent traversals: "z3  KL 2.41" beside a row, the swept value above a column).
///
/// Layout, with m = ``margin`` and the ``font``'s line height L: a label column as wide as the
/// widest row label plus 2m on the left, a header of L + 2m on top (none when every column label
/// is empty), the grid, and m on the right and bottom. A row label is left-aligned at x = m and
/// centred on its row; a column label is centred over its cell, and left out when it is wider
/// than the cell plus the spacing. Background white, text black.
public struct LabeledGrid: Sendable {
    public var grid: ImageGrid
    public var font: BitmapFont = .standard
    /// Space around the labels, in pixels (default 4).
    public var margin = 4

    public init(grid: ImageGrid) {
        self.grid = grid
    }

    /// The grid of `count` images (N, C, H, W) in [0, 1], `grid.columns` per row, with one label
    /// per row (⌈count / columns⌉ of them) and one per column (`grid.columns`, or none).
    public func compose(_ images: [Float], count: Int, channels: Int, height: Int, width: Int,
                        rowLabels: [String], columnLabels: [String] = []) throws -> PixelImage {
        let columns = grid.columns, rows = (count + columns - 1) / columns
        guard rowLabels.count == rows else {
            throw ImageGridError(message: "\(rowLabels.count) row labels for \(rows) rows")
        }
        guard columnLabels.isEmpty || columnLabels.count == columns else {
            throw ImageGridError(message: "\(columnLabels.count) column labels for \(columns) columns")
        }
        let cells = try grid.compose(images, count: count, channels: channels, height: height, width: width)
        let labelWidth = (rowLabels.map(font.width(of:)).max() ?? 0) + 2 * margin
        let header = columnLabels.allSatisfy(\.isEmpty) ? margin : font.lineHeight + 2 * margin
        var canvas = Canvas(width: labelWidth + cells.width + margin, height: header + cells.height + margin)
        canvas.draw(cells, x: labelWidth, y: header)

        let cellWidth = width * grid.scale, cellHeight = height * grid.scale
        for (row, label) in rowLabels.enumerated() {
            let y = header + row * (cellHeight + grid.spacing) + (cellHeight - font.lineHeight) / 2
            canvas.text(label, x: margin, y: y, font: font)
        }
        for (column, label) in columnLabels.enumerated() where font.width(of: label) <= cellWidth + grid.spacing {
            let x = labelWidth + column * (cellWidth + grid.spacing) + (cellWidth - font.width(of: label)) / 2
            canvas.text(label, x: x, y: margin, font: font)
        }
        return canvas.image
    }
}
