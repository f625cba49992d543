/// A standalone elementwise activation (used after batch norm, or wherever a spec lists one).
public final class ActivationLayer: TeamLayer {
    public let function: ActivationFunction
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public var parameterCount: Int { 0 }

    public var team = ThreadTeam.serial
    private var output: Tensor!   // (N, …)
    private var tangentOutput: Tensor?           // (N, …)  ẏ (`TangentLayer`)
    private var tangentInput: UnsafePointer<Float>?   // ẋ of the last tangent pass

    public init(_ function: ActivationFunction, shape: [Int]) {
        self.function = function
        self.inputShape = shape
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {}
    public func initialize(rng: inout RandomStream) {}
    public func prepare(maxBatch: Int) { output = Tensor(shape: [maxBatch] + inputShape) }
    public var bufferFloats: Int { (output?.capacity ?? 0) + tangentBufferFloats }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        team.run(forwardJob, (x, batch * inputSize))
        return output.pointer
    }

    /// y = f(x) over each member's part of the elements.
    private lazy var forwardJob = TeamJob<(UnsafePointer<Float>, Int)> { [unowned(unsafe) self] a, member in
        let (x, count) = a, r = team.part(member, of: count, granule: 64), y = output.pointer + r.lowerBound
        y.update(from: x + r.lowerBound, count: r.count)
        function.apply(y, count: r.count)
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        team.run(backwardJob, (dy, batch * inputSize))
        return dy
    }

    /// dy ← f′·dy over each member's part of the elements.
    private lazy var backwardJob = TeamJob<(UnsafeMutablePointer<Float>, Int)> { [unowned(unsafe) self] a, member in
        let (dy, count) = a, r = team.part(member, of: count, granule: 64)
        function.backward(output: output.pointer + r.lowerBound, gradient: dy + r.lowerBound, count: r.count)
    }
}

extension ActivationLayer: TangentLayer {
    public func prepareTangent(maxBatch: Int) { tangentOutput = Tensor(shape: [maxBatch] + inputShape) }

    public var tangentBufferFloats: Int { tangentOutput?.capacity ?? 0 }

    /// ẏ = f′(x)·ẋ.
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        guard let out = tangentOutput?.pointer else { preconditionFailure("ActivationLayer.forwardTangent before prepareTangent") }
        let n = batch * inputSize
        out.update(from: dx, count: n)
        function.backward(output: output.pointer, gradient: out, count: n)
        tangentInput = dx
        return out
    }

    /// x̄ = f′·ȳ + f″·ẋ·ẏ̄, ẋ̄ = f′·ẏ̄, in place.
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                                inputGradient: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        function.backwardTangent(output: output.pointer, pre: tangentInput, dy: dy, dTangent: dTangent, count: batch * inputSize)
        return (dy, dTangent)
    }
}
