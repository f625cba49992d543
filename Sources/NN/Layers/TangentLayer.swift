// Dimensions: N batch; x, y a layer's input and output, ẋ, ẏ their tangents; x̄, ẋ̄, ȳ, ẏ̄ the
// adjoints (∂L/∂·) of each.

/// A layer that can run a tangent (forward-mode) pass and backpropagate through it: what a
/// gradient penalty on the discriminator's input needs.
///
/// A penalty P(∇ₓD(x)) has the parameter gradient ∂P/∂θ = ∂/∂θ ⟨v, ∇ₓD(x; θ)⟩ with v = ∂P/∂∇ₓD
/// held constant, and ⟨v, ∇ₓD⟩ is the directional derivative D′(x; v): the output tangent of a
/// forward pass at x with input tangent v. So after `forward(x)`, `forwardTangent(v)` computes
/// ẏ = J(x)·ẋ layer by layer, and `backwardTangent(ȳ, ẏ̄)` backpropagates through both passes at
/// once (reverse over forward mode): for z = Wx + b, y = f(z), ż = Wẋ, ẏ = f′(z)ż,
///
///     z̄ = f′(z)·ȳ + f″(z)·ż·ẏ̄,   ż̄ = f′(z)·ẏ̄,
///     W̄ += z̄ xᵀ + ż̄ ẋᵀ,   b̄ += Σ z̄,   x̄ = Wᵀz̄,   ẋ̄ = Wᵀż̄,
///
/// exact, with no Hessian and no finite difference. The passes use the weights (and dropout mask,
/// and maxout winners) of the layer's last `forward`; buffers come from `prepareTangent(maxBatch:)`,
/// so the passes allocate nothing. Batch norm does not conform: its output couples the examples of
/// a batch, so one example's input gradient is not its own (models refuse it in a penalised critic).
public protocol TangentLayer: Layer {
    /// Allocates the tangent passes' buffers for batches of up to `maxBatch` examples.
    func prepareTangent(maxBatch: Int)
    /// Floats those buffers hold (0 before `prepareTangent`).
    var tangentBufferFloats: Int { get }
    /// ẏ = J ẋ at the last forward's input; `dx` (N, input shape) must stay valid until `backwardTangent`.
    func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float>
    /// Given ȳ and ẏ̄ (both may be overwritten), accumulates the parameter gradients of both passes
    /// and returns (x̄, ẋ̄) when `inputGradient`, else nil.
    func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int,
                         inputGradient: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)?
}

/// The buffers of a layer with a weight and a fused activation in its tangent passes.
final class TangentBuffers {
    /// ẏ (N, output).
    let output: Tensor
    /// ż (N, output), kept when the activation is curved (f″ ≠ 0) for the f″ term of z̄.
    let preActivation: Tensor?
    /// ẋ̄ (N, input).
    let inputGradient: Tensor
    /// ẋ of the last tangent pass.
    var input: UnsafePointer<Float>?

    init(maxBatch: Int, inputSize: Int, outputSize: Int, activation: ActivationFunction) {
        output = Tensor(shape: [maxBatch, outputSize])
        preActivation = activation.isCurved ? Tensor(shape: [maxBatch, outputSize]) : nil
        inputGradient = Tensor(shape: [maxBatch, inputSize])
    }

    var floats: Int { output.capacity + (preActivation?.capacity ?? 0) + inputGradient.capacity }

    /// Where the linear part writes ż: its own buffer when curved, else straight into ẏ.
    var linearOutput: UnsafeMutablePointer<Float> { (preActivation ?? output).pointer }

    /// ẏ = f′(z)·ż from the layer's output y, after the linear part wrote ż to `linearOutput`.
    func activate(_ activation: ActivationFunction, output y: UnsafePointer<Float>, count: Int) {
        if let pre = preActivation { output.pointer.update(from: pre.pointer, count: count) }
        activation.backward(output: y, gradient: output.pointer, count: count)
    }
}
