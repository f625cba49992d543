import Foundation

/// Numbers formatted for reading in tables: four significant digits for a single value, and for
/// a mean ± sd the sd to two significant digits with the mean to the same decimal place. Uses
/// C's correctly rounded `printf`, so the text is the same on every machine.
public enum ReadableNumber {
    /// `0.8333`, `771.8`, `8`, `1.2e-05`; `nan`/`inf` spelled out.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }

    /// `0.833 ± 0.087`, or the mean alone when there is no sd or it is only rounding error (below
    /// 1e-9 of the mean: seeds that agree give `0.8915`, not `0.892 ± 1.4e-16`).
    public static func format(_ stats: MetricStats) -> String {
        guard let sd = stats.sd, sd.isFinite, sd > abs(stats.mean) * 1e-9, stats.mean.isFinite else { return format(stats.mean) }
        let exponent = decimalExponent(sd)
        if exponent < -4 || exponent > 6 {
            return String(format: "%.3g ± %.2g", stats.mean, sd)
        }
        let decimals = max(0, 1 - exponent)
        return String(format: "%.*f ± %.*f", decimals, stats.mean, decimals, sd)
    }

    /// ⌊log10 |x|⌋ for finite non-zero x, by repeated scaling (no libm).
    static func decimalExponent(_ x: Double) -> Int {
        var v = abs(x)
        var e = 0
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }
}
