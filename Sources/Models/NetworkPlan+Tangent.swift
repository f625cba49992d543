// Dimensions: N batch, I inputs, O outputs, U units, P pieces.
import NN
import Spec

/// What a gradient penalty needs of the discriminator's plan: every layer with a tangent pass
/// (`NN.TangentLayer`), and the floats of the tangent buffers for the memory estimate.
extension NetworkPlan {
    /// Refuses a penalised network holding batch norm, naming the spec entry that brought it.
    func requireTangents(path: String, file: String) throws(SpecError) {
        guard let layer = layers.firstIndex(where: { if case .batchNorm = $0.kind { true } else { false } }) else { return }
        let entry = specEnds.firstIndex { $0 >= layer } ?? 0
        throw SpecError(file: file, path: "\(path)[\(entry)]",
                        expected: "no batch norm in a discriminator with a gradient penalty (batch norm mixes a batch's "
                            + "examples, so one input's gradient is not its own; \"spectral_norm\": true normalises without that)",
                        found: "a layer with batch norm",
                        hint: "model.schedule.gradient_penalty asks for the penalty")
    }

    /// Floats of every layer's tangent buffers (`prepareTangents`) for `maxBatch` examples.
    func tangentFloats(maxBatch: Int) -> Int { Saturating.sum(layers.map { $0.tangentFloats(maxBatch: maxBatch) }) }
}

extension LayerPlan {
    /// Floats a layer's `prepareTangent(maxBatch:)` allocates: ẏ, ż when the activation is
    /// curved, and ẋ̄ (as `NN.TangentBuffers`); ẏ for the elementwise layers.
    func tangentFloats(maxBatch n: Int) -> Int {
        let input = Saturating.product([n, inputSize]), output = Saturating.product([n, outputSize])
        func weighted(_ activation: ActivationFunction) -> Int {
            Saturating.sum([output, activation.isCurved ? output : 0, input])
        }
        switch kind {
        case let .dense(_, activation, _): return weighted(activation)
        case let .conv(_, _, _, _, activation, _): return weighted(activation)
        case let .deconv(_, _, _, _, activation, _): return weighted(activation)
        case let .maxout(units, pieces, _):
            let pieceFloats = Saturating.product([n, units, pieces])
            // The linear affine layer's ż and ẋ̄, then ẏ and ż̄.
            return Saturating.sum([pieceFloats, input, Saturating.product([n, units]), pieceFloats])
        case .activation, .dropout: return output
        case .reshape, .batchNorm, .projection: return 0   // refused in a penalised critic (no tangent pass)
        }
    }
}
