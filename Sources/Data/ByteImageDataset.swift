/// Images stored as bytes, converted to Float32 in [0, 1] per batch.
///
/// Bytes take a quarter of the memory of floats (Fashion-MNIST: 47 MB instead of 188 MB) and
/// the conversion through a 256-entry table costs one load per pixel, well below a training
/// step. Used by the IDX (MNIST family) and sprites data sets.
public final class ByteImageDataset: Dataset {
    // C channels, H rows, W columns; N examples.
    public let exampleShape: [Int]  // [C, H, W]
    public let count: Int
    public let labels: [Int32]?
    /// All pixels, example after example: (N, C, H, W), 0 = black, 255 = white.
    public let pixels: [UInt8]
    /// Byte value → Float32 in [0, 1]: `table[b] = Float(b) / 255`, so 0 ↦ 0 and 255 ↦ 1 exactly.
    private let table: [Float]  // (256)
    private let exampleBytes: Int

    /// - Parameters:
    ///   - pixels: `count × C·H·W` bytes, NCHW.
    ///   - exampleShape: `[C, H, W]`.
    ///   - labels: `count` labels, or nil.
    public init(pixels: [UInt8], exampleShape: [Int], labels: [Int32]?) {
        precondition(exampleShape.count == 3 && exampleShape.allSatisfy { $0 > 0 },
                     "image shape must be [C, H, W] with positive sizes, got \(exampleShape)")
        let size = exampleShape.reduce(1, *)
        precondition(pixels.count % size == 0,
                     "\(pixels.count) bytes is not a whole number of \(exampleShape) images")
        let n = pixels.count / size
        if let labels {
            precondition(labels.count == n, "\(labels.count) labels for \(n) images")
        }
        self.exampleShape = exampleShape
        self.exampleBytes = size
        self.count = n
        self.pixels = pixels
        self.labels = labels
        self.table = (0..<256).map { Float($0) / 255 }
    }

    public func gather(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) {
        let e = exampleBytes
        let n = count
        pixels.withUnsafeBufferPointer { src in
            table.withUnsafeBufferPointer { lut in
                let source = src.baseAddress!
                let lookup = lut.baseAddress!
                var dst = out  // (indices.count, C, H, W)
                for index in indices {
                    precondition(index >= 0 && index < n, "example index \(index) outside 0..<\(n)")
                    let row = source + index * e
                    for j in 0..<e { dst[j] = lookup[Int(row[j])] }
                    dst += e
                }
            }
        }
    }

    /// The bytes of example `index`: (C, H, W), for image grids of real data.
    public func bytes(of index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "example index \(index) outside 0..<\(count)")
        return pixels[index * exampleBytes ..< (index + 1) * exampleBytes]
    }
}
