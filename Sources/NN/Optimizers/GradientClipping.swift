/// Global-norm gradient clipping (Pascanu et al. 2013): when ‖g‖₂ over all buffers exceeds
/// `maxNorm`, every gradient is scaled by `maxNorm / ‖g‖₂`.
public enum GradientClipping {
    /// Clips in place and returns the norm before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ buffers: [UnsafeMutableBufferPointer<Float>], maxNorm: Float) -> Float {
        var sumSq = 0.0
        for b in buffers {
            var partial: Float = 0
            for x in b { partial += x * x }
            sumSq += Double(partial)
        }
        let norm = Float(sumSq.squareRoot())
        if norm > maxNorm {
            let s = maxNorm / norm
            for b in buffers { for i in b.indices { b[i] *= s } }
        }
        return norm
    }
}
