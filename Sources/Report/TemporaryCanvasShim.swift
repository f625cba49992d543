// TEMPORARY: stands in for helper-plots' PlotCanvas and BitmapFont until that branch is merged;
// removed by the merge. Same signatures, text not drawn.

public enum TextDirection: Sendable, Equatable { case horizontal, upward }

public struct SubpixelPoint: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { (self.x, self.y) = (x, y) }
    public static func centre(ofPixel x: Int, _ y: Int) -> SubpixelPoint { SubpixelPoint(x: x * 16 + 8, y: y * 16 + 8) }
}

public struct BitmapFont: Sendable {
    public let glyphWidth = 8
    public let lineHeight = 13
    public let capitalRows = 2...10
    public static let standard = BitmapFont()
    public func width(of text: String) -> Int { text.unicodeScalars.count * glyphWidth }
}

public struct PlotCanvas: Sendable {
    public static let subpixels = 16
    public private(set) var image: PixelImage
    public init(width: Int, height: Int, background: GridColor = .white) {
        image = PixelImage(width: width, height: height, channels: 3, fill: [background.red, background.green, background.blue])
    }
    public var width: Int { image.width }
    public var height: Int { image.height }
    public mutating func fill(x0: Int, y0: Int, x1: Int, y1: Int, color: GridColor) {
        guard max(x0, 0) <= min(x1, width - 1), max(y0, 0) <= min(y1, height - 1) else { return }
        for y in max(y0, 0)...min(y1, height - 1) {
            for x in max(x0, 0)...min(x1, width - 1) {
                let s = (y * width + x) * 3
                image.pixels[s] = color.red; image.pixels[s + 1] = color.green; image.pixels[s + 2] = color.blue
            }
        }
    }
    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, color: GridColor) {
        fill(x0: min(x0, x1), y0: min(y0, y1), x1: max(x0, x1), y1: max(y0, y1), color: color)
    }
    public mutating func text(_ text: String, x: Int, y: Int, color: GridColor = .black,
                              direction: TextDirection = .horizontal, font: BitmapFont = .standard) {}
    public mutating func draw(_ picture: PixelImage, x: Int, y: Int) {
        for py in 0..<picture.height {
            for px in 0..<picture.width {
                let p = picture[px, py]
                let c = p.count == 1 ? GridColor.gray(p[0]) : GridColor(red: p[0], green: p[1], blue: p[2])
                fill(x0: x + px, y0: y + py, x1: x + px, y1: y + py, color: c)
            }
        }
    }
    public mutating func disc(centre: SubpixelPoint, radius: Int, color: GridColor, clip: Int? = nil) {
        let (cx, cy, r) = (centre.x / 16, centre.y / 16, max(radius / 16, 0))
        fill(x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r, color: color)
    }
}
