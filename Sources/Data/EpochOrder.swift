import NN

/// The training order: a fresh shuffled permutation of `0..<count` each epoch, cut into
/// `batchesPerEpoch` full batches of `batch` indices (the last partial batch is dropped, so every
/// step sees the same batch size).
///
/// Each epoch starts from the identity and shuffles it with Fisher–Yates driven by the run's
/// "data" stream, so the order depends only on the stream's state at the start of the epoch —
/// saving that state is enough to resume mid-run. Nothing is allocated after `init`.
public final class EpochOrder {
    public let count: Int
    public let batch: Int
    /// Completed calls to `startEpoch` (0 before the first epoch).
    public private(set) var epochsStarted = 0
    private let permutation: UnsafeMutableBufferPointer<Int>  // (count)

    public init(count: Int, batch: Int) {
        precondition(batch >= 1, "batch size must be at least 1, got \(batch)")
        precondition(count >= batch, "\(count) examples cannot fill one batch of \(batch)")
        self.count = count
        self.batch = batch
        permutation = .allocate(capacity: count)
        for i in 0..<count { permutation[i] = i }
    }

    deinit { permutation.deallocate() }

    /// Full batches per epoch: ⌊count / batch⌋.
    public var batchesPerEpoch: Int { count / batch }

    /// Shuffles a new permutation for the next epoch, advancing `stream`.
    public func startEpoch(using stream: inout RandomStream) {
        for i in 0..<count { permutation[i] = i }
        var i = count - 1
        while i > 0 {
            permutation.swapAt(i, stream.nextInt(below: i + 1))
            i -= 1
        }
        epochsStarted += 1
    }

    /// The whole current permutation (count); valid until the next `startEpoch` or until the
    /// order is released.
    public var indices: UnsafeBufferPointer<Int> { UnsafeBufferPointer(permutation) }

    /// The indices of batch `k` of the current epoch (batch); valid until the next `startEpoch`
    /// or until the order is released.
    public func batch(_ k: Int) -> UnsafeBufferPointer<Int> {
        precondition(k >= 0 && k < batchesPerEpoch, "batch \(k) outside 0..<\(batchesPerEpoch)")
        return UnsafeBufferPointer(rebasing: permutation[k * batch ..< (k + 1) * batch])
    }
}

/// Evaluation order: `0..<count` in order, in batches of `batch` with a final partial batch,
/// so every example is seen exactly once. Nothing is allocated after `init`.
public final class SequentialBatches {
    public let count: Int
    public let batch: Int
    private let identity: UnsafeMutableBufferPointer<Int>  // (count)

    public init(count: Int, batch: Int) {
        precondition(batch >= 1, "batch size must be at least 1, got \(batch)")
        precondition(count >= 0, "count must be non-negative")
        self.count = count
        self.batch = batch
        identity = .allocate(capacity: count)
        for i in 0..<count { identity[i] = i }
    }

    deinit { identity.deallocate() }

    /// Number of batches: ⌈count / batch⌉.
    public var batchCount: Int { (count + batch - 1) / batch }

    /// The indices of batch `k`: `batch` of them, fewer for the last; valid while this object lives.
    public func batch(_ k: Int) -> UnsafeBufferPointer<Int> {
        precondition(k >= 0 && k < batchCount, "batch \(k) outside 0..<\(batchCount)")
        return UnsafeBufferPointer(rebasing: identity[k * batch ..< min(count, (k + 1) * batch)])
    }
}
