// Dimensions: N batch, D data, Z latent, K classes.
import NN

/// The conditional VAE of Sohn et al. 2015 (their CVAE, with p(z | y) = N(0, I)): q(z | x, y)
/// encodes [x | onehot(y)] and p(x | z, y) decodes [z | onehot(y)] (`LabelInput`). Everything here
/// is the identity for an unconditional VAE (`classCount` 0; labels are ignored).
extension VAE {
    /// The labels a step needs: those given for a conditional VAE (which needs them), nil otherwise.
    func required(_ labels: UnsafePointer<Int32>?) -> UnsafePointer<Int32>? {
        guard classCount > 0 else { return nil }
        guard let labels else { preconditionFailure("a conditional VAE needs the labels of its batch") }
        return labels
    }

    /// Runs `body` with labels i mod K for `count` examples (nil for an unconditional VAE).
    func withBalancedLabels(_ count: Int, _ body: (UnsafePointer<Int32>?) -> Void) {
        guard classCount > 0 else { body(nil); return }
        ClassLabels.balanced(count: count, classes: classCount).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The encoder's input: x, or [x | onehot(y)].
    func encoderInput(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int) -> UnsafePointer<Float> {
        guard let encoderInput, let labels else { return x }
        return UnsafePointer(encoderInput.fill(x, labels: labels, count: count))
    }

    /// The decoder's input: z, or [z | onehot(y)].
    func decoderInput(_ z: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int) -> UnsafePointer<Float> {
        guard let decoderInput, let labels else { return z }
        return UnsafePointer(decoderInput.fill(z, labels: labels, count: count))
    }

    /// ∂L/∂z (N, Z) from the decoder's input gradient.
    func decoderCodeGradient(_ d: UnsafeMutablePointer<Float>, count: Int) -> UnsafeMutablePointer<Float> {
        guard let decoderInput else { return d }
        return decoderInput.inputGradient(d, count: count)
    }

    /// Decoded means (count, D) of codes (count, Z) with labels (count). Changes nothing.
    public func decodeMean(_ codes: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int,
                           into out: UnsafeMutablePointer<Float>) {
        var start = 0
        while start < count {
            let n = min(decoder.maxBatch, count - start)
            let input = decoderInput(codes + start * latent, labels: labels.map { $0 + start }, count: n)
            (out + start * dataSize).update(from: decoder.forward(input, batch: n, mode: .evaluation), count: n * dataSize)
            start += n
        }
        if case .bernoulli = spec.likelihood { BernoulliLoss.mean(logits: out, count: count * dataSize, into: out) }
    }

    /// Posterior means (count, Z) of x (count, D) with labels (count). Changes nothing.
    public func encodeMean(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int, into out: UnsafeMutablePointer<Float>) {
        encodeStats(x, labels: labels, count: count) { i, stats in (out + i * latent).update(from: stats, count: latent) }
    }

    /// Posterior parameters `[μ | log σ²]` (count, 2Z) of x (count, D) with labels (count). Changes nothing.
    public func encodePosterior(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int,
                                into out: UnsafeMutablePointer<Float>) {
        encodeStats(x, labels: labels, count: count) { i, stats in (out + i * 2 * latent).update(from: stats, count: 2 * latent) }
    }

    /// Evaluation-mode encoder rows, `maxBatch` at a time, each handed to `row(i, [μ | log σ²])`.
    private func encodeStats(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int,
                             _ row: (Int, UnsafePointer<Float>) -> Void) {
        var start = 0
        while start < count {
            let n = min(maxBatch, count - start)
            let input = encoderInput(x + start * dataSize, labels: labels.map { $0 + start }, count: n)
            let stats = encoder.forward(input, batch: n, mode: .evaluation)
            for i in 0..<n { row(start + i, stats + i * 2 * latent) }
            start += n
        }
    }
}
