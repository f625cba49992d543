/// Reinterprets each example with a new shape of the same element count (flatten is a reshape to
/// one dimension). Data is contiguous, so both passes hand the buffer through unchanged.
public final class Reshape: Layer {
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameterCount: Int { 0 }

    public init(from inputShape: [Int], to outputShape: [Int]) {
        precondition(inputShape.reduce(1, *) == outputShape.reduce(1, *),
                     "reshape from \(inputShape) to \(outputShape) changes the element count")
        self.inputShape = inputShape
        self.outputShape = outputShape
    }

    /// Flattens `shape` to one dimension.
    public convenience init(flattening shape: [Int]) {
        self.init(from: shape, to: [shape.reduce(1, *)])
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {}
    public func initialize(rng: inout RandomStream) {}
    public func prepare(maxBatch: Int) {}
    public var bufferFloats: Int { 0 }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(mutating: x)
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        dy
    }
}

extension Reshape: TangentLayer {
    public func prepareTangent(maxBatch: Int) {}
    public var tangentBufferFloats: Int { 0 }

    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(mutating: dx)
    }

    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        (dy, dTangent)
    }
}
