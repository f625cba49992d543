// Dimensions: N batch, I inputs, O outputs, U units, P pieces, C channels, F filters, K kernel,
// OH·OW output positions of a convolution, H·W input positions of a transposed one.

/// The arithmetic of a planned layer, counted as `genlab validate --summary` reports it: only the
/// weight products of the matrix layers (dense, maxout, conv, deconv) count, 2 FLOPs per
/// multiply-add; biases, activations, batch norm, dropout and reshapes are elementwise and left out.
/// A backward pass computes up to two products of the forward's size — the weight gradient (when
/// parameter gradients are wanted) and the input gradient (when wanted) — so forward + backward is
/// 3× the forward with both, 2× with one.
extension LayerPlan {
    /// Multiply-adds of one example's forward pass: I·O (dense), I·U·P (maxout), F·C·K·K·OH·OW
    /// (conv), C·F·K·K·H·W (deconv), 2·F (projection); 0 for the elementwise layers.
    public var multiplyAdds: Int {
        switch kind {
        case let .dense(outputs, _, _):
            return Saturating.product([inputSize, outputs])
        case let .maxout(units, pieces, _):
            return Saturating.product([inputSize, units, pieces])
        case let .conv(_, kernel, _, _, _, _):
            return Saturating.product([outputSize, inputShape[0], kernel, kernel])
        case let .deconv(filters, kernel, _, _, _, _):
            return Saturating.product([inputSize, filters, kernel, kernel])
        case .projection:
            return Saturating.product([2, inputSize])   // (w + E[y])·h
        case .batchNorm, .activation, .reshape, .dropout:
            return 0
        }
    }

    /// FLOPs of the forward pass on `batch` examples: 2·N·`multiplyAdds` (a dense layer: 2·N·I·O).
    public func forwardFLOPs(batch: Int) -> Int {
        Saturating.product([2, batch, multiplyAdds])
    }

    /// FLOPs of the backward pass on `batch` examples: `forwardFLOPs` for the weight gradient when
    /// `parameterGradients`, and again for the input gradient when `inputGradient`.
    public func backwardFLOPs(batch: Int, parameterGradients: Bool, inputGradient: Bool) -> Int {
        let products = (parameterGradients ? 1 : 0) + (inputGradient ? 1 : 0)
        return Saturating.product([products, forwardFLOPs(batch: batch)])
    }
}
