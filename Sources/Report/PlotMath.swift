/// log₂, 2ˣ and powers of ten from IEEE arithmetic alone (+ − × ÷, exact exponent and
/// significand), so axis positions do not depend on the C library's `log10`/`pow`, whose last
/// bits may differ between versions. Accurate to about 1e-15 relative, far below a pixel.
enum PlotMath {
    /// log₂ x for finite x > 0: x = m · 2ᵉ with m ∈ [√½, √2), then ln m = 2·atanh(s),
    /// s = (m − 1)/(m + 1), |s| < 0.172, by its series to s²³.
    static func log2(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "PlotMath.log2 needs a finite positive number, got \(x)")
        var m = x.significand          // [1, 2)
        var e = Double(x.exponent)
        if m > 1.4142135623730951 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1), s2 = s * s
        var term = s, sum = 0.0
        for k in stride(from: 1, through: 23, by: 2) {
            sum += term / Double(k)
            term *= s2
        }
        return e + 2 * sum / 0.6931471805599453  // ln 2
    }

    /// 2ˣ for finite x: 2^⌊x⌉ exactly times e^(f·ln 2), |f| ≤ ½, by its Taylor series to 20 terms.
    static func exp2(_ x: Double) -> Double {
        precondition(x.isFinite, "PlotMath.exp2 needs a finite number, got \(x)")
        let n = x.rounded(), y = (x - n) * 0.6931471805599453
        var term = 1.0, sum = 1.0
        for k in 1...20 {
            term *= y / Double(k)
            sum += term
        }
        let clamped = Int(max(min(n, 2000), -2000))
        return sum * Double(sign: .plus, exponent: clamped, significand: 1)
    }

    /// 10ᵉ: exact up to 10²², then by repeated multiplication (or division), always the same bits.
    static func powerOfTen(_ e: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(abs(e), 400) { result *= 10 }
        return e >= 0 ? result : 1 / result
    }

    /// m · 10ᵉ as a Double (division for negative e, so 3 · 10⁻¹ is the double nearest 0.3).
    static func decimal(_ m: Int, _ e: Int) -> Double {
        e >= 0 ? Double(m) * powerOfTen(e) : Double(m) / powerOfTen(-e)
    }
}
