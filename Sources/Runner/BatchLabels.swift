/// The class labels of a batch, gathered from a split's labels by the same indices as its
/// examples (so the epoch's shuffled order carries them). Allocated once; `gather` allocates
/// nothing. Without labels (an unconditional model) it gathers nothing.
final class BatchLabels {
    private let source: [Int32]?
    private let buffer: UnsafeMutableBufferPointer<Int32>  // (N)

    init(_ source: [Int32]?, batch: Int) {
        self.source = source
        buffer = .allocate(capacity: source == nil ? 0 : batch)
    }

    deinit { buffer.deallocate() }

    /// The labels at `indices` (at most the batch), or nil without labels.
    func gather(_ indices: UnsafeBufferPointer<Int>) -> UnsafePointer<Int32>? {
        guard let source else { return nil }
        for (j, i) in indices.enumerated() { buffer[j] = source[i] }
        return UnsafePointer(buffer.baseAddress!)
    }
}
