import Foundation

/// Φ⁻¹, the inverse of the standard normal distribution function, for `manifold.png`'s grid.
///
/// Peter J. Acklam's rational approximation (2003; relative error below 1.15·10⁻⁹ over (0, 1)):
/// a rational function of q − ½ in the central region 0.02425 ≤ p ≤ 0.97575 and of
/// √(−2 log p) in the tails. Plain Double arithmetic with `log` and `sqrt` only, so the values —
/// and the figure — are the same on every machine. More than Float codes need.
package enum InverseNormalCDF {
    private static let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    private static let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01, -1.328068155288572e+01]
    private static let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    private static let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                            3.754408661907416e+00]
    private static let low = 0.02425

    /// z with Φ(z) = p, for p in (0, 1).
    static func value(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "Φ⁻¹ needs p in (0, 1), got \(p)")
        if p < low { return tail(p) }
        if p > 1 - low { return -tail(1 - p) }
        let q = p - 0.5, r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }

    /// The lower tail, p < 0.02425.
    private static func tail(_ p: Double) -> Double {
        let q = (-2 * log(p)).squareRoot()
        let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
        let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        return numerator / denominator
    }
}
