/// The legend box of a ``LinePlot``: one row per labelled series, a 28-pixel sample of its line
/// (dashed, with a marker and a band swatch as the series has them) and its label, on a nearly
/// opaque white box with a light gray border.
enum PlotLegend {
    struct Entry {
        var label: String
        var color: GridColor
        var dashed: Bool
        var marker: Bool
        var band: Bool
    }

    static let padding = 6
    static let sample = 28
    static let rowGap = 5

    /// Width and height of the box for `entries`.
    static func size(of entries: [Entry], font: BitmapFont) -> (width: Int, height: Int) {
        guard !entries.isEmpty else { return (0, 0) }
        let widest = entries.map { font.width(of: $0.label) }.max() ?? 0
        return (2 * padding + sample + 6 + widest, 2 * padding + entries.count * font.lineHeight + (entries.count - 1) * rowGap)
    }

    /// Draws the box with its top-left corner at (x, y).
    static func draw(_ entries: [Entry], on canvas: inout Canvas, x: Int, y: Int, font: BitmapFont) {
        let (width, height) = size(of: entries, font: font)
        guard width > 0 else { return }
        let border = GridColor.gray(204)
        canvas.blend(x0: x, y0: y, x1: x + width - 1, y1: y + height - 1, color: .white, alpha: 230)
        canvas.fill(x0: x, y0: y, x1: x + width - 1, y1: y, color: border)
        canvas.fill(x0: x, y0: y + height - 1, x1: x + width - 1, y1: y + height - 1, color: border)
        canvas.fill(x0: x, y0: y, x1: x, y1: y + height - 1, color: border)
        canvas.fill(x0: x + width - 1, y0: y, x1: x + width - 1, y1: y + height - 1, color: border)
        let s = Canvas.subpixels
        let middle = (font.capitalRows.lowerBound + font.capitalRows.upperBound) / 2
        for (i, entry) in entries.enumerated() {
            let top = y + padding + i * (font.lineHeight + rowGap)
            let (x0, x1, row) = (x + padding, x + padding + sample - 1, top + middle)
            if entry.band {
                canvas.blend(x0: x0, y0: row - 4, x1: x1, y1: row + 4, color: entry.color, alpha: LinePlot.bandAlpha)
            }
            // Centres of the sample's end pixels, so a dashed sample shows whole dashes.
            let line = [SubpixelPoint.centre(ofPixel: x0, row), SubpixelPoint.centre(ofPixel: x1, row)]
            canvas.stroke(line, width: LinePlot.lineWidth, color: entry.color, dash: entry.dashed ? (on: 8 * s, off: 4 * s) : nil)
            if entry.marker {
                canvas.disc(centre: .centre(ofPixel: (x0 + x1) / 2, row), radius: LinePlot.markerRadius, color: entry.color)
            }
            canvas.text(entry.label, x: x1 + 7, y: top)
        }
    }

    /// How many pixels of the box at (x, y) are neither background nor grid: the data it would hide.
    static func inkCount(on canvas: Canvas, x: Int, y: Int, size: (width: Int, height: Int), background: [GridColor]) -> Int {
        let area = PixelRect(x0: x, y0: y, x1: x + size.width - 1, y1: y + size.height - 1).intersection(canvas.bounds)
        guard !area.isEmpty else { return 0 }
        let plain = background.map { [$0.red, $0.green, $0.blue] }
        var count = 0
        for py in area.y0...area.y1 {
            for px in area.x0...area.x1 where !plain.contains(canvas.image[px, py]) { count += 1 }
        }
        return count
    }
}
