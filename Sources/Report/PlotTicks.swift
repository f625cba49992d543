/// A labelled position on a plot axis.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// "Nice" tick positions and their labels.
///
/// Linear axes: the smallest step s = m · 10ᵉ, m ∈ {1, 2, 5}, that puts at most `maxCount`
/// multiples of s in the range; ticks are those multiples. Log axes: the powers of ten in the
/// range (every n-th when there are too many); when fewer than three, 2 and 5 times each power
/// are added, and when still fewer than two, every digit times each power.
///
/// Ticks are held as exact decimals (integer mantissa, exponent), so labels are written from
/// integers, never from a rounded double: "0.3", not "0.30000000000000004". Trailing zeros are
/// trimmed; an axis with a tick of 10⁶ or more, or a non-zero one below 10⁻⁴, writes every label as
/// `1.5e6`/`2e−5`. Negative numbers use the minus sign "−" (U+2212).
public enum NiceTicks {
    /// Ticks of a linear axis over [lower, upper] (lower < upper, both finite), at most
    /// `maxCount` (≥ 2) of them; with `integers`, steps are at least 1 (epochs, counts).
    public static func linear(from lower: Double, to upper: Double, maxCount: Int, integers: Bool = false) -> [Tick] {
        precondition(lower.isFinite && upper.isFinite && lower < upper, "NiceTicks: bad range \(lower)…\(upper)")
        let count = max(maxCount, 2)
        // Far from zero relative to the span (1e15 + 0…1), tick indices would not fit an Int:
        // label the ends instead.
        guard max(abs(lower), abs(upper)) / (upper - lower) < 1e12 else {
            return [Tick(value: lower, label: label(lower)), Tick(value: upper, label: label(upper))]
        }
        var e = decimalExponent((upper - lower) / Double(count))
        if integers { e = max(e, 0) }
        while true {
            for m in [1, 2, 5] {
                let step = PlotMath.decimal(m, e)
                // A small tolerance keeps ticks that sit on an end despite rounding.
                let first = Int((lower / step - 1e-9).rounded(.up))
                let last = Int((upper / step + 1e-9).rounded(.down))
                guard last - first + 1 <= count else { continue }
                return ticks(first <= last ? (first...last).map { (mantissa: $0 * m, exponent: e) } : [])
            }
            e += 1
        }
    }

    /// Ticks of a log₁₀ axis over [lower, upper] (0 < lower < upper, both finite).
    public static func log10(from lower: Double, to upper: Double, maxCount: Int) -> [Tick] {
        precondition(lower > 0 && upper.isFinite && lower < upper, "NiceTicks: bad log range \(lower)…\(upper)")
        let count = max(maxCount, 2)
        let (low, high) = (decimalExponent(lower), decimalExponent(upper))
        func inside(_ m: Int, _ e: Int) -> Bool {
            let v = PlotMath.decimal(m, e)
            return v >= lower * (1 - 1e-12) && v <= upper * (1 + 1e-12)
        }
        var decades = (low...high + 1).filter { inside(1, $0) }
        if decades.count > count {
            let stride = (decades.count + count - 1) / count
            decades = decades.filter { ($0 % stride + stride) % stride == 0 }
        }
        var decimals = decades.map { (mantissa: 1, exponent: $0) }
        for digits in [[1, 2, 5], Array(1...9)] where decimals.count < (digits.count == 3 ? 3 : 2) {
            decimals = (low...high).flatMap { e in digits.map { (mantissa: $0, exponent: e) } }.filter { inside($0.mantissa, $0.exponent) }
        }
        return ticks(decimals)
    }

    /// A short label for any finite number: Swift's shortest round-trip digits, with ".0"
    /// dropped, exponents as `e−5`, and "−" for minus (`0.001`, `4`, `1e−5`, `−2.5`).
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "−inf") }
        if value == 0 { return "0" }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e]), exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            if exponent.hasPrefix("+") { exponent.removeFirst() }
            let negative = exponent.hasPrefix("-")
            if negative { exponent.removeFirst() }
            while exponent.count > 1 && exponent.hasPrefix("0") { exponent.removeFirst() }
            text = mantissa + "e" + (negative ? "-" : "") + exponent
        }
        return String(text.map { $0 == "-" ? "−" : $0 })
    }

    /// The label of mantissa · 10^exponent, written from the integers.
    public static func label(mantissa: Int, exponent: Int, scientific: Bool) -> String {
        if mantissa == 0 { return "0" }
        let sign = mantissa < 0 ? "−" : ""
        var (digits, e) = (String(mantissa.magnitude), exponent)
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast(); e += 1 }
        if scientific {
            let power = e + digits.count - 1
            let lead = digits.prefix(1), rest = digits.dropFirst()
            return sign + lead + (rest.isEmpty ? "" : "." + rest) + "e" + (power < 0 ? "−" : "") + String(abs(power))
        }
        if e >= 0 { return sign + digits + String(repeating: "0", count: e) }
        let padded = String(repeating: "0", count: max(0, -e + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: e)
        return sign + padded[..<point] + "." + padded[point...]
    }

    // MARK: - Helpers

    /// Ticks for exact decimals, all labelled in one style (scientific when any non-zero tick
    /// reaches 10⁶ or lies below 10⁻⁴).
    private static func ticks(_ decimals: [(mantissa: Int, exponent: Int)]) -> [Tick] {
        let magnitudes = decimals.filter { $0.mantissa != 0 }.map { String($0.mantissa.magnitude).count - 1 + $0.exponent }
        let scientific = magnitudes.contains { $0 >= 6 || $0 <= -5 }
        return decimals.map {
            Tick(value: PlotMath.decimal($0.mantissa, $0.exponent),
                 label: label(mantissa: $0.mantissa, exponent: $0.exponent, scientific: scientific))
        }
    }

    /// ⌊log₁₀ |x|⌋ for finite non-zero x, by comparison with exact-as-possible powers of ten.
    static func decimalExponent(_ x: Double) -> Int {
        let v = abs(x)
        precondition(v > 0 && v.isFinite, "NiceTicks: decimal exponent of \(x)")
        var e = Int((PlotMath.log2(v) * 0.30102999566398120).rounded(.down))  // a guess, then corrected
        while PlotMath.powerOfTen(e) > v { e -= 1 }
        while PlotMath.powerOfTen(e + 1) <= v { e += 1 }
        return e
    }
}
