import Foundation

/// Counts as people read them in the model summary: `1,234,567` and `2.31 GFLOP`.
public enum ReadableCount {
    /// `n` with a comma every three digits: "1,234,567", "-12,000".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var text = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (n < 0 ? "-" : "") + text
    }

    /// Three significant digits in decimal units: "840 FLOP", "38.1 MFLOP", "2.31 GFLOP".
    public static func flops(_ value: Double) -> String {
        let units = ["FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP"]
        var scaled = value, unit = 0
        while unit < units.count - 1, scaled >= 999.5 {
            scaled /= 1000
            unit += 1
        }
        let decimals = unit == 0 || scaled >= 99.95 ? 0 : scaled >= 9.995 ? 1 : 2
        return String(format: "%.\(decimals)f", scaled) + " " + units[unit]
    }
}
