/// One split (train or test) of a data set, read by the trainer every step.
///
/// Storage is immutable after loading, so a split can be shared between runs in one process.
/// `gather` is the only hot path: it writes a batch of examples as Float32 into a caller-owned
/// buffer and allocates nothing.
public protocol Dataset: AnyObject, Sendable {
    /// Shape of one example: `[C, H, W]` for images, `[D]` for points.
    var exampleShape: [Int] { get }
    /// Number of examples in the split.
    var count: Int { get }
    /// Writes the examples at `indices` as Float32 into `out`, one after another:
    /// `(indices.count, exampleSize)` floats, NCHW for images, pixels scaled to [0, 1].
    /// Every index must lie in `0..<count`.
    func gather(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>)
    /// Class labels, one per example (Fashion-MNIST class, sprite shape, mixture component),
    /// if the source has them.
    var labels: [Int32]? { get }
}

extension Dataset {
    /// Number of floats in one example: the product of `exampleShape`.
    public var exampleSize: Int { exampleShape.reduce(1, *) }
}
