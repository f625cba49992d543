import NN

/// A dSprites-like split: distinct factor combinations, pre-rendered to bytes at load.
///
/// Each example keeps its factor index, so disentanglement metrics can read the true factors
/// (`factors(of:)`). Labels are the shapes (0 square, 1 ellipse, 2 heart).
public final class SpritesDataset: Dataset {
    /// The rendered images: (N, 1, size, size) bytes, 0 or 255.
    public let images: ByteImageDataset
    /// The factor index of each example: (N).
    public let factorIndices: [Int]
    /// Side of the images in pixels.
    public let size: Int

    public var exampleShape: [Int] { images.exampleShape }
    public var count: Int { images.count }
    public var labels: [Int32]? { images.labels }

    /// Renders the sprites with the given factor indices at `size`×`size`.
    public init(factorIndices: [Int], size: Int) {
        precondition(SpritesRenderer.sizes.contains(size), "sprite size \(size) outside \(SpritesRenderer.sizes)")
        let pixelsPerImage = size * size
        let pixels = [UInt8](unsafeUninitializedCapacity: factorIndices.count * pixelsPerImage) { buffer, initialized in
            for (i, index) in factorIndices.enumerated() {
                let image = UnsafeMutableBufferPointer(rebasing: buffer[i * pixelsPerImage ..< (i + 1) * pixelsPerImage])
                SpritesRenderer.render(factorIndex: index, size: size, into: image)
            }
            initialized = factorIndices.count * pixelsPerImage
        }
        let shapes = factorIndices.map { Int32($0 / (SpriteFactors.combinationCount / 3)) }
        self.images = ByteImageDataset(pixels: pixels, exampleShape: [1, size, size], labels: shapes)
        self.factorIndices = factorIndices
        self.size = size
    }

    public func gather(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) {
        images.gather(indices, into: out)
    }

    /// The generative factors of example `example`.
    public func factors(of example: Int) -> SpriteFactors {
        SpriteFactors(factorIndex: factorIndices[example])
    }

    /// `count` distinct factor indices in `0..<737280`, uniformly without replacement
    /// (a partial Fisher–Yates shuffle driven by `stream`).
    public static func distinctFactorIndices(count: Int, stream: inout RandomStream) -> [Int] {
        let total = SpriteFactors.combinationCount
        precondition(count >= 0 && count <= total, "cannot pick \(count) distinct sprites out of \(total)")
        var pool = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            for i in 0..<total { buffer[i] = Int32(i) }
            initialized = total
        }
        var picked = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let j = i + stream.nextInt(below: total - i)
            pool.swapAt(i, j)
            picked[i] = Int(pool[i])
        }
        return picked
    }

    /// The train and test splits of `DataSource.sprites`: `trainSize + testSize` distinct factor
    /// indices drawn with `RandomStream(seed: seed, purpose: "data.sprites")`, the first
    /// `trainSize` for training and the rest for testing.
    static func splits(size: Int, trainSize: Int, testSize: Int, seed: UInt64) throws -> (train: SpritesDataset, test: SpritesDataset) {
        guard SpritesRenderer.sizes.contains(size) else {
            throw DataError.invalidSource("sprite size must be in \(SpritesRenderer.sizes), got \(size)")
        }
        guard trainSize >= 1, testSize >= 0 else {
            throw DataError.invalidSource("sprites need trainSize ≥ 1 and testSize ≥ 0, got \(trainSize) and \(testSize)")
        }
        guard trainSize + testSize <= SpriteFactors.combinationCount else {
            throw DataError.invalidSource("sprites have \(SpriteFactors.combinationCount) factor combinations; "
                + "trainSize + testSize = \(trainSize + testSize) distinct ones cannot be drawn")
        }
        var stream = RandomStream(seed: seed, purpose: "data.sprites")
        let indices = distinctFactorIndices(count: trainSize + testSize, stream: &stream)
        return (SpritesDataset(factorIndices: Array(indices[..<trainSize]), size: size),
                SpritesDataset(factorIndices: Array(indices[trainSize...]), size: size))
    }
}
