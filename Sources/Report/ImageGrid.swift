import Formats

// Dimension letters: N images, C channels (1 or 3), H height, W width — input is (N, C, H, W).

/// An 8-bit colour for grid separators and empty cells.
public struct GridColor: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A gray level, usable in gray and RGB grids alike.
    public static func gray(_ level: UInt8) -> GridColor { GridColor(red: level, green: level, blue: level) }
    public static let black = GridColor.gray(0)
    public static let white = GridColor.gray(255)
}

/// A grid layout failure (bad shapes or a colour a gray grid cannot show).
public struct ImageGridError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "image grid: \(message)" }
}

/// Composes same-sized images into one ``PixelImage``, row by row, `columns` per row.
///
/// Geometry, with `s` = `scale` and `p` = `spacing` and no outer border:
/// width = columns·W·s + (columns − 1)·p, height = rows·H·s + (rows − 1)·p, rows = ⌈cells / columns⌉.
/// Cell (row r, column c) starts at x = c·(W·s + p), y = r·(H·s + p). Separators and the empty
/// cells of a last, partial row have `separatorColor`. Upscaling is nearest neighbour (each
/// source pixel becomes an s×s block). The output has C channels: gray for C = 1, RGB for C = 3.
///
/// Floats map to bytes by ``quantize(_:)``: clamp to [0, 1], then `(x · 255).rounded()`
/// (ties away from zero); NaN becomes 0.
public struct ImageGrid: Sendable, Equatable {
    /// Images per row (≥ 1).
    public var columns: Int
    /// Separator width in output pixels between cells (≥ 0; default 1).
    public var spacing: Int
    /// Separator and empty-cell colour (default white). Gray grids need a gray colour.
    public var separatorColor: GridColor
    /// Nearest-neighbour upscale factor (≥ 1; default 1).
    public var scale: Int

    public init(columns: Int, spacing: Int = 1, separatorColor: GridColor = .white, scale: Int = 1) {
        precondition(columns >= 1, "ImageGrid: columns must be ≥ 1, got \(columns)")
        precondition(spacing >= 0, "ImageGrid: spacing must be ≥ 0, got \(spacing)")
        precondition(scale >= 1, "ImageGrid: scale must be ≥ 1, got \(scale)")
        self.columns = columns
        self.spacing = spacing
        self.separatorColor = separatorColor
        self.scale = scale
    }

    /// The byte for an intensity in [0, 1]: `UInt8((clamp(x, 0, 1) · 255).rounded())`, NaN → 0.
    @inlinable
    public static func quantize(_ x: Float) -> UInt8 {
        guard x > 0 else { return 0 }  // also NaN
        guard x < 1 else { return 255 }
        return UInt8((x * 255).rounded())
    }

    /// The grid of `count` images stored as (N, C, H, W) floats in [0, 1], in order.
    public func compose(_ images: UnsafeBufferPointer<Float>, count: Int, channels: Int,
                        height: Int, width: Int) throws -> PixelImage {
        let shape = try Shape(count: count, channels: channels, height: height, width: width, buffer: images.count)
        return try render(cells: (0..<count).map { Cell(source: 0, index: $0) }, sources: [images], shape: shape)
    }

    /// The grid of `count` images stored as (N, C, H, W) floats in [0, 1], in order.
    public func compose(_ images: [Float], count: Int, channels: Int,
                        height: Int, width: Int) throws -> PixelImage {
        try images.withUnsafeBufferPointer {
            try compose($0, count: count, channels: channels, height: height, width: width)
        }
    }

    /// Reconstruction grid: rows alternate between originals and their reconstructions.
    ///
    /// Both buffers hold `count` images (N, C, H, W). Row 2k shows originals
    /// k·columns ..< (k+1)·columns and row 2k + 1 their reconstructions, so each reconstruction
    /// sits directly below its original. The grid has 2·⌈count / columns⌉ rows.
    public func composePairs(originals: UnsafeBufferPointer<Float>, reconstructions: UnsafeBufferPointer<Float>,
                             count: Int, channels: Int, height: Int, width: Int) throws -> PixelImage {
        let shape = try Shape(count: count, channels: channels, height: height, width: width, buffer: originals.count)
        _ = try Shape(count: count, channels: channels, height: height, width: width, buffer: reconstructions.count)
        var cells = [Cell?]()
        for start in stride(from: 0, to: count, by: columns) {
            let end = min(start + columns, count)
            let pad = [Cell?](repeating: nil, count: columns - (end - start))
            cells += (start..<end).map { Cell(source: 0, index: $0) } + pad
            cells += (start..<end).map { Cell(source: 1, index: $0) } + pad
        }
        return try render(cells: cells, sources: [originals, reconstructions], shape: shape)
    }

    /// Reconstruction grid from arrays; see the buffer-pointer overload for the layout.
    public func composePairs(originals: [Float], reconstructions: [Float],
                             count: Int, channels: Int, height: Int, width: Int) throws -> PixelImage {
        try originals.withUnsafeBufferPointer { o in
            try reconstructions.withUnsafeBufferPointer { r in
                try composePairs(originals: o, reconstructions: r, count: count,
                                 channels: channels, height: height, width: width)
            }
        }
    }

    // MARK: - Layout

    /// Validated (N, C, H, W) of the input.
    private struct Shape {
        let count, channels, height, width: Int

        init(count: Int, channels: Int, height: Int, width: Int, buffer: Int) throws {
            guard count >= 1 else { throw ImageGridError(message: "needs at least one image, got \(count)") }
            guard channels == 1 || channels == 3 else {
                throw ImageGridError(message: "channels must be 1 or 3, got \(channels)")
            }
            guard height >= 1, width >= 1 else {
                throw ImageGridError(message: "image size \(height)×\(width) must be positive")
            }
            guard buffer == count * channels * height * width else {
                throw ImageGridError(message: "buffer holds \(buffer) floats, expected \(count)·\(channels)·\(height)·\(width)")
            }
            (self.count, self.channels, self.height, self.width) = (count, channels, height, width)
        }
    }

    /// One grid cell: image `index` of source buffer `source`.
    private struct Cell {
        let source: Int
        let index: Int
    }

    /// Draws `cells` in row-major order; nil cells stay in the separator colour.
    private func render(cells: [Cell?], sources: [UnsafeBufferPointer<Float>], shape: Shape) throws -> PixelImage {
        let (C, H, W) = (shape.channels, shape.height, shape.width)
        let rows = (cells.count + columns - 1) / columns
        let cellW = W * scale, cellH = H * scale
        let outW = columns * cellW + (columns - 1) * spacing
        let outH = rows * cellH + (rows - 1) * spacing

        let background: [UInt8]
        if C == 1 {
            let color = separatorColor
            guard color.red == color.green, color.green == color.blue else {
                throw ImageGridError(message: "a gray grid needs a gray separator colour, got \(color)")
            }
            background = [color.red]
        } else {
            background = [separatorColor.red, separatorColor.green, separatorColor.blue]
        }
        var out = PixelImage(width: outW, height: outH, channels: C, fill: background)  // (outH, outW, C)

        let plane = H * W
        out.pixels.withUnsafeMutableBufferPointer { dst in
            for (position, cell) in cells.enumerated() {
                guard let cell else { continue }
                let image = sources[cell.source].baseAddress! + cell.index * C * plane  // (C, H, W)
                let x0 = (position % columns) * (cellW + spacing)
                let y0 = (position / columns) * (cellH + spacing)
                for y in 0..<cellH {
                    let row = ((y0 + y) * outW + x0) * C
                    let sy = y / scale
                    for x in 0..<cellW {
                        let sx = x / scale
                        for c in 0..<C {
                            dst[row + x * C + c] = Self.quantize(image[c * plane + sy * W + sx])
                        }
                    }
                }
            }
        }
        return out
    }
}
