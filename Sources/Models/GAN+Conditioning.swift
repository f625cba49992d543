// Dimensions: N batch, Z latent, D data, K classes.
import NN

/// The conditional pieces of `GAN` (Mirza & Osindero 2014; Miyato & Koyama 2018): the generator
/// input [z | onehot(y)], and the discriminator on (x, y) — [x | onehot(y)] (`LabelInput.data`:
/// a K-vector after flat inputs, K constant maps before a first conv layer) or the projection
/// head. All of it is the identity for an unconditional GAN (`classCount` 0, no labels).
extension GAN {
    /// Floats of the conditional buffers (what `ModelPlan.gan` counts).
    var conditioningFloats: Int {
        (generatorInput?.heldFloats ?? 0) + (discriminatorInput?.heldFloats ?? 0) + fakeLabels.count
    }

    /// The labels of a real batch: those given, for a conditional GAN (which needs them).
    func realLabels(_ labels: UnsafePointer<Int32>?) -> UnsafePointer<Int32>? {
        guard classCount > 0 else { return nil }
        guard let labels else { preconditionFailure("a conditional GAN needs the labels of its real batch") }
        return labels
    }

    /// The labels of the generated batch (nil for an unconditional GAN).
    var generatedLabels: UnsafePointer<Int32>? { classCount > 0 ? UnsafePointer(fakeLabels.baseAddress!) : nil }

    /// The generator's input for codes (count, Z): the codes, or [z | onehot(y)] with the
    /// generated batch's labels.
    func generatorInput(_ codes: UnsafePointer<Float>, count: Int) -> UnsafePointer<Float> {
        guard let generatorInput, let labels = generatedLabels else { return codes }
        return UnsafePointer(generatorInput.fill(codes, labels: labels, count: count))
    }

    /// The generated batch's labels set to i mod K (for the EMA generator's standing statistics).
    func balanceGeneratedLabels(count: Int) {
        guard classCount > 0 else { return }
        for i in 0..<count { fakeLabels[i] = Int32(i % classCount) }
    }

    /// The discriminator's logits (N) on inputs x (N, D) with labels y (nil: unconditional).
    func discriminate(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int,
                      mode: PassMode) -> UnsafeMutablePointer<Float> {
        guard let labels else { return discriminator.forward(x, batch: batch, mode: mode) }
        projection?.labels = labels
        guard let discriminatorInput else { return discriminator.forward(x, batch: batch, mode: mode) }
        return discriminator.forward(discriminatorInput.fill(x, labels: labels, count: batch), batch: batch, mode: mode)
    }

    /// ∂L/∂x (N, D) through the last `discriminate`, without parameter gradients.
    func discriminatorInputGradient(_ dLogits: UnsafeMutablePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        let d = discriminator.backward(dLogits, batch: batch, parameterGradients: false, inputGradient: true)!
        guard let discriminatorInput else { return d }
        return discriminatorInput.inputGradient(d, count: batch)
    }
}
