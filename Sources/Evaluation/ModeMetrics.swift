import Data
import Foundation

// Dimension letters: N generated points, K mixture modes. Points are (N, 2), x and y interleaved.

/// Mode-coverage metrics of generated 2-D points against an equal-weight Gaussian mixture: the
/// numbers reported for the ring (8 modes) and grid (25 modes) benchmarks by VEEGAN (Srivastava
/// et al. 2017, §5.1) and PacGAN (Lin et al. 2018, §5.1, Table 1).
///
/// Each sample is assigned to its nearest mode (Euclidean distance; ties go to the lower mode
/// index). A sample is *high quality* when that distance is at most 3σ.
/// - ``modesCaptured``: modes that are the nearest mode of at least one high-quality sample.
/// - ``hqFraction``: high-quality samples / N.
/// - ``reverseKL``: KL(q ‖ p) in nats, where q is the histogram of **all** finite samples over
///   their nearest modes (not only the high-quality ones — as in PacGAN's released code) and p
///   is the data's uniform distribution over the K modes: Σₖ qₖ log(qₖ · K) over modes with
///   qₖ > 0. It is 0 when the samples spread evenly over the modes and log K when all fall on
///   one mode.
///
/// Arithmetic: distances and the divergence are computed in Double from the Float inputs, so the
/// 3σ boundary is exact up to the inputs' own rounding. A non-finite point (NaN or ±∞) has no
/// nearest mode: it counts in N, is never high quality and is left out of q; when no point is
/// finite (or N = 0), ``reverseKL`` is NaN (and, NaN being unequal to itself, so is `==`).
public struct ModeMetrics: Sendable, Equatable {
    /// Modes that are the nearest mode of at least one high-quality sample (0 … K).
    public var modesCaptured: Int
    /// K, the number of mixture modes.
    public var modeCount: Int
    /// High-quality samples / N, in [0, 1] (0 when N = 0).
    public var hqFraction: Double
    /// KL(q ‖ uniform over the K modes) in nats, in [0, log K]; NaN when no sample is finite.
    public var reverseKL: Double
    /// N, the number of points measured (finite or not).
    public var sampleCount: Int

    public init(modesCaptured: Int, modeCount: Int, hqFraction: Double, reverseKL: Double, sampleCount: Int) {
        self.modesCaptured = modesCaptured
        self.modeCount = modeCount
        self.hqFraction = hqFraction
        self.reverseKL = reverseKL
        self.sampleCount = sampleCount
    }

    /// The metrics of `points` (N, 2), interleaved x, y, against a mixture with centres `modes`
    /// (K ≥ 1) and per-coordinate standard deviation `sigma` (> 0). The benchmarks use N = 2,500.
    public static func compute(points: UnsafeBufferPointer<Float>, modes: [SIMD2<Float>], sigma: Float) -> ModeMetrics {
        precondition(points.count % 2 == 0, "ModeMetrics: \(points.count) floats is not a whole number of 2-D points")
        precondition(!modes.isEmpty, "ModeMetrics: needs at least one mode")
        precondition(sigma > 0 && sigma.isFinite, "ModeMetrics: sigma must be positive and finite, got \(sigma)")
        let n = points.count / 2
        let k = modes.count
        let centres = modes.map { SIMD2<Double>(Double($0.x), Double($0.y)) }  // (K)
        let radius = 3 * Double(sigma)
        let radiusSquared = radius * radius

        var assigned = [Int](repeating: 0, count: k)      // (K) samples whose nearest mode is k
        var highQuality = [Int](repeating: 0, count: k)   // (K) of those, within 3σ
        for i in 0..<n {
            let x = points[2 * i], y = points[2 * i + 1]
            guard x.isFinite, y.isFinite else { continue }
            let p = SIMD2<Double>(Double(x), Double(y))
            var nearest = 0
            var best = Double.infinity
            for (j, centre) in centres.enumerated() {
                let d = p - centre
                let squared = (d * d).sum()
                if squared < best { (best, nearest) = (squared, j) }
            }
            assigned[nearest] += 1
            if best <= radiusSquared { highQuality[nearest] += 1 }
        }

        let finite = assigned.reduce(0, +)
        var kl = Double.nan
        if finite > 0 {
            kl = 0
            for count in assigned where count > 0 {
                let q = Double(count) / Double(finite)
                kl += q * log(q * Double(k))
            }
        }
        let hq = highQuality.reduce(0, +)
        return ModeMetrics(modesCaptured: highQuality.count(where: { $0 > 0 }), modeCount: k,
                           hqFraction: n == 0 ? 0 : Double(hq) / Double(n), reverseKL: kl, sampleCount: n)
    }

    /// The metrics of `points` (N, 2); see the buffer-pointer overload.
    public static func compute(points: [Float], modes: [SIMD2<Float>], sigma: Float) -> ModeMetrics {
        points.withUnsafeBufferPointer { compute(points: $0, modes: modes, sigma: sigma) }
    }

    /// The metrics of `points` (N, 2) against `mixture`'s modes and σ.
    public static func compute(points: [Float], mixture: GaussianMixture) -> ModeMetrics {
        compute(points: points, modes: mixture.modes, sigma: mixture.sigma)
    }
}
