import Foundation
import Spec

// Dimension letters: Z latent, T steps.

/// Codes on the way between two latent codes, for `interpolations.png`.
package enum LatentInterpolation {
    /// `steps` codes from `a` to `b` (both included) at t = k / (steps − 1), as (T, Z) floats.
    ///
    /// Linear: (1 − t)·a + t·b. Spherical (slerp; Shoemake 1985, for GAN latents White 2016):
    /// sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b with Ω the angle between a and b, so codes of
    /// equal norm keep that norm all the way; when a or b is zero or sin Ω < 1e-6 (parallel or
    /// opposite codes) it falls back to linear. Arithmetic in Double, one rounding to Float.
    static func path(from a: [Float], to b: [Float], steps: Int, kind: InterpolationKind) -> [Float] {
        precondition(a.count == b.count, "interpolation between codes of \(a.count) and \(b.count) dimensions")
        precondition(steps >= 2, "an interpolation needs at least 2 steps, got \(steps)")
        let x = a.map(Double.init), y = b.map(Double.init)
        var weights: (Double) -> (Double, Double) = { t in (1 - t, t) }
        if kind == .spherical {
            let normA = x.reduce(0) { $0 + $1 * $1 }.squareRoot(), normB = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let dot = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
            if normA > 0, normB > 0 {
                let omega = acos(min(1, max(-1, dot / (normA * normB))))
                let s = sin(omega)
                if s >= 1e-6 { weights = { t in (sin((1 - t) * omega) / s, sin(t * omega) / s) } }
            }
        }
        var out = [Float]()                                                   // (T, Z)
        out.reserveCapacity(steps * a.count)
        for k in 0..<steps {
            let (wa, wb) = weights(Double(k) / Double(steps - 1))
            for j in 0..<a.count { out.append(Float(wa * x[j] + wb * y[j])) }
        }
        return out
    }
}
