/// A standalone elementwise activation (used after batch norm, or wherever a spec lists one).
public final class ActivationLayer: Layer {
    public let function: ActivationFunction
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public var parameterCount: Int { 0 }

    private var output: Tensor!   // (N, …)

    public init(_ function: ActivationFunction, shape: [Int]) {
        self.function = function
        self.inputShape = shape
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {}
    public func initialize(rng: inout RandomStream) {}
    public func prepare(maxBatch: Int) { output = Tensor(shape: [maxBatch] + inputShape) }
    public var bufferFloats: Int { output?.capacity ?? 0 }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        let n = batch * inputSize
        output.pointer.update(from: x, count: n)
        function.apply(output.pointer, count: n)
        return output.pointer
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        function.backward(output: output.pointer, gradient: dy, count: batch * inputSize)
        return dy
    }
}
