/// Tangent passes through a whole network (`TangentLayer`): the directional derivative of its
/// output along an input tangent, and the parameter gradient of that derivative, for gradient
/// penalties.
extension Network {
    /// The index of the first layer that cannot run tangent passes (batch norm), nil when all can.
    public var firstLayerWithoutTangent: Int? { layers.firstIndex { !($0 is any TangentLayer) } }

    /// Allocates every layer's tangent buffers for `maxBatch` examples (once, when a model that
    /// penalises this network is built).
    public func prepareTangents() {
        precondition(firstLayerWithoutTangent == nil, "network \(name): layer \(firstLayerWithoutTangent!) has no tangent pass")
        for case let layer as any TangentLayer in layers { layer.prepareTangent(maxBatch: maxBatch) }
    }

    /// ẏ = J(x)·ẋ (N, output shape) at the input of the last `forward`, which must have run every
    /// layer. `dx` must stay valid until `backwardTangent`.
    @discardableResult
    public func forwardTangent(_ dx: UnsafePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        var h = dx
        var out: UnsafeMutablePointer<Float>! = nil
        for layer in layers {
            out = tangentLayer(layer).forwardTangent(h, batch: batch)
            h = UnsafePointer(out)
        }
        return out
    }

    /// Backpropagates ȳ and ẏ̄ (both may be overwritten) through the forward and tangent passes,
    /// accumulating every parameter's gradient; the input is a constant (no input gradients).
    public func backwardTangent(_ dy: UnsafeMutablePointer<Float>, _ dTangent: UnsafeMutablePointer<Float>, batch: Int) {
        var g = dy, gt = dTangent
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            guard let (next, nextTangent) = tangentLayer(layers[i]).backwardTangent(g, gt, batch: batch, inputGradient: i > 0) else {
                return
            }
            g = next
            gt = nextTangent
        }
    }

    private func tangentLayer(_ layer: Layer) -> any TangentLayer {
        guard let tangent = layer as? any TangentLayer else { preconditionFailure("network \(name): a layer has no tangent pass") }
        return tangent
    }
}
