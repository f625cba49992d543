/// An 8-bit image in memory: `height` rows of `width` pixels of `channels` interleaved bytes,
/// row-major with no padding — `pixels[(y * width + x) * channels + c]`.
///
/// Channels: 1 = gray, 3 = RGB, 4 = RGBA (straight, not premultiplied, alpha). Values are the
/// PNG's sRGB-encoded bytes, with no gamma conversion anywhere in `Report`.
public struct PixelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 (gray), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// `height · width · channels` bytes, row-major, channels interleaved.
    public var pixels: [UInt8]

    /// An image from existing bytes; the count must be `width · height · channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "PixelImage: size \(width)×\(height) must be positive")
        precondition([1, 3, 4].contains(channels), "PixelImage: channels must be 1, 3 or 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "PixelImage: \(pixels.count) bytes for \(width)×\(height)×\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image of one colour; `fill` holds one value per channel (or one value for all).
    public init(width: Int, height: Int, channels: Int, fill: [UInt8] = [0]) {
        precondition(fill.count == 1 || fill.count == channels,
                     "PixelImage: fill has \(fill.count) values for \(channels) channels")
        let pixel = fill.count == 1 ? Array(repeating: fill[0], count: channels) : fill
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * height * channels)
        for _ in 0..<(width * height) { bytes.append(contentsOf: pixel) }
        self.init(width: width, height: height, channels: channels, pixels: bytes)
    }

    /// The channel values of the pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> [UInt8] {
        precondition(x >= 0 && x < width && y >= 0 && y < height,
                     "PixelImage: pixel (\(x), \(y)) outside \(width)×\(height)")
        let start = (y * width + x) * channels
        return Array(pixels[start..<(start + channels)])
    }
}
