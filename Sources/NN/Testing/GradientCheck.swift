/// Finite-difference gradient checking: the oracle every layer and loss is tested against.
///
/// The numerical derivative is the central difference `(L(v+ε) − L(v−ε)) / 2ε`, exact to O(ε²)
/// for smooth L; with Float32 arithmetic ε ≈ 1e-2…1e-3 balances truncation and rounding error.
public enum GradientCheck {
    /// The worst disagreement between an analytic and a numerical gradient.
    public struct Report: CustomStringConvertible, Sendable {
        /// max |analytic − numerical| over all elements.
        public var maxAbsoluteError: Double
        /// `maxAbsoluteError` divided by max(max |analytic|, floor): a scale-free error.
        public var relativeError: Double
        /// Element with the largest error, and its two values.
        public var worstIndex: Int
        public var analytic: Double
        public var numerical: Double

        public var description: String {
            "relative error \(relativeError) (absolute \(maxAbsoluteError)) at element \(worstIndex): analytic \(analytic), numerical \(numerical)"
        }
    }

    /// Compares `analytic` with central differences of `loss` with respect to every element of
    /// `values` (which is perturbed and restored in place).
    public static func compare(
        values: UnsafeMutableBufferPointer<Float>, analytic: [Float], epsilon: Float = 1e-2,
        floor: Double = 1e-3, loss: () -> Double
    ) -> Report {
        precondition(values.count == analytic.count, "gradient check: \(values.count) values but \(analytic.count) gradients")
        var worst = Report(maxAbsoluteError: 0, relativeError: 0, worstIndex: -1, analytic: 0, numerical: 0)
        var scale = floor
        for a in analytic { scale = max(scale, Double(abs(a))) }
        for i in values.indices {
            let saved = values[i]
            values[i] = saved + epsilon
            let plus = loss()
            values[i] = saved - epsilon
            let minus = loss()
            values[i] = saved
            let numerical = (plus - minus) / (2 * Double(epsilon))
            let error = abs(numerical - Double(analytic[i]))
            if error > worst.maxAbsoluteError || worst.worstIndex < 0 {
                worst = Report(maxAbsoluteError: error, relativeError: 0, worstIndex: i, analytic: Double(analytic[i]), numerical: numerical)
            }
        }
        worst.relativeError = worst.maxAbsoluteError / scale
        return worst
    }
}
