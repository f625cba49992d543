import Foundation
import Spec

/// The most memory one worker (one training process) may be estimated to need; a run whose
/// `MemoryEstimate` is larger is refused as bad input before anything is allocated. 16 GiB by
/// default; the user raises it with `--memory-limit GIB`, or `GENLAB_MEMORY_LIMIT` (GiB) when the
/// option is absent. The sweep coordinator hands it to its workers through that variable.
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in GiB (2³⁰ bytes).
    public var gibibytes: Double

    public static let standard = MemoryLimit(gibibytes: 16)
    public static let environmentVariable = "GENLAB_MEMORY_LIMIT"
    /// Accepted values: more than 0 and at most 1,048,576 GiB (1 PiB).
    static let largest = 1_048_576.0

    public init(gibibytes: Double) { self.gibibytes = gibibytes }

    public var bytes: Int { Int(gibibytes * 1_073_741_824) }

    /// "16 GiB", "0.5 GiB".
    public var description: String { "\(ReadableBytes.number(gibibytes)) GiB" }

    /// The option when given, else `GENLAB_MEMORY_LIMIT` from `environment`, else `standard`.
    public static func resolve(option: Double?, environment: [String: String]) throws(SpecError) -> MemoryLimit {
        if let option {
            guard option > 0, option <= largest else {
                throw SpecError(file: "command line", path: "--memory-limit",
                                expected: "a memory limit in GiB, more than 0 and at most \(Int(largest))", found: "\(option)")
            }
            return MemoryLimit(gibibytes: option)
        }
        if let text = environment[environmentVariable] {
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0, value <= largest else {
                throw SpecError(file: "environment", path: environmentVariable,
                                expected: "a memory limit in GiB, more than 0 and at most \(Int(largest))",
                                found: JSONWriter.quoted(text))
            }
            return MemoryLimit(gibibytes: value)
        }
        return standard
    }
}

/// Byte counts as people read them: "210 MB", "24.6 GB" (decimal units).
enum ReadableBytes {
    static func text(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 1e12 { return number(value / 1e12, decimals: 1) + " TB" }
        if value >= 1e9 { return number(value / 1e9, decimals: 1) + " GB" }
        if value >= 1e6 { return number((value / 1e6).rounded(), decimals: 0) + " MB" }
        return number(value / 1e6, decimals: 1) + " MB"
    }

    /// `x` with at most `decimals` decimals and no trailing zeros ("16", "0.5").
    static func number(_ x: Double, decimals: Int = 2) -> String {
        if x >= 1e15 { return String(format: "%.3g", x) }
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
