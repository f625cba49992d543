/// A contiguous, 64-byte aligned Float32 buffer with a shape (row-major, NCHW for images).
///
/// Layers allocate their activation buffers as tensors once, for the largest batch, when a
/// network is built; a training step only reads and writes them. A tensor owns its memory and
/// frees it on deinit; `pointer` stays valid for the tensor's lifetime.
public final class Tensor: @unchecked Sendable {
    /// Dimensions, outermost first.
    public private(set) var shape: [Int]
    /// Number of elements the storage holds.
    public let capacity: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled tensor of the given shape.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor dimensions must be non-negative, got \(shape)")
        self.shape = shape
        capacity = shape.reduce(1, *)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(capacity, 1))
        pointer.initialize(repeating: 0, count: max(capacity, 1))
    }

    /// A tensor holding a copy of `values`.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == capacity, "expected \(capacity) values for shape \(shape), got \(values.count)")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: capacity) }
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Number of elements in the current shape.
    public var count: Int { shape.reduce(1, *) }

    /// Changes the shape without moving data (the element count may shrink, e.g. a smaller batch).
    public func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) <= capacity, "shape \(newShape) exceeds capacity \(capacity)")
        shape = newShape
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// The elements as an array (for tests and small outputs; allocates).
    public var array: [Float] { Array(buffer) }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func fill(_ value: Float) { pointer.update(repeating: value, count: capacity) }
}
