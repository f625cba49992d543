import Foundation

/// `search` with `"method": "random"`: `trials` configurations, each drawing one value per
/// searched path from its distribution. Runs are variants × sweep × trials × seeds (seeds
/// innermost), each recording its trial as the swept value `trial` and the drawn values under
/// their paths, so the report's configurations are the trials.
///
/// Deterministic by construction: the value of path p in trial k is a function of (`seed`, p, k)
/// alone — SHA-256 of that triple gives the uniform draw — so trial k is the same whatever
/// `--jobs`, shard, resume or machine, whatever other paths are searched, and raising `trials`
/// keeps the earlier trials. A trial whose values repeat an earlier trial's draws again (attempt
/// 1, 2, … in the hash) until it differs. Continuous draws are rounded to 6 significant digits
/// (printf's correctly rounded `%.6g`), so files stay readable and no run id depends on the last
/// bit of libm's `exp`.
public struct RandomSearch: Sendable, Equatable {
    /// How one path's values are drawn.
    public enum Distribution: Sendable, Equatable {
        /// low + u (high − low).
        case uniform(low: Double, high: Double)
        /// exp(log low + u (log high − log low)); both bounds > 0.
        case logUniform(low: Double, high: Double)
        /// An integer from low to high, both included, each equally likely.
        case integer(low: Int64, high: Int64)
        /// One of the listed JSON values, each equally likely.
        case choice([JSONValue])

        /// The value for the uniform draw u ∈ [0, 1).
        func value(_ u: Double) -> JSONValue {
            switch self {
            case .uniform(let low, let high): return .number(RandomSearch.rounded(low + u * (high - low), within: low...high))
            case .logUniform(let low, let high):
                return .number(RandomSearch.rounded(exp(log(low) + u * (log(high) - log(low))), within: low...high))
            case .integer(let low, let high):
                let span = Double(high - low) + 1
                return .int(min(high, low + Int64((u * span).rounded(.down))))
            case .choice(let values): return values[min(values.count - 1, Int((u * Double(values.count)).rounded(.down)))]
            }
        }

        /// How many distinct values it can give (nil: practically unbounded).
        var distinctValues: Int? {
            switch self {
            case .uniform, .logUniform: return nil
            case .integer(let low, let high): return high - low < Int64(Int.max) ? Int(high - low) + 1 : nil
            case .choice(let values): return values.count
            }
        }
    }

    public var trials: Int
    public var seed: UInt64
    /// The searched paths as written, in the file's order, with their distributions.
    public var parameters: [(path: String, distribution: Distribution)]
    /// Early stopping of the trials, when the file asks for it.
    public var halving: SuccessiveHalving?

    public init(trials: Int, seed: UInt64, parameters: [(path: String, distribution: Distribution)],
                halving: SuccessiveHalving? = nil) {
        self.trials = trials
        self.seed = seed
        self.parameters = parameters
        self.halving = halving
    }

    public static func == (a: RandomSearch, b: RandomSearch) -> Bool {
        a.trials == b.trials && a.seed == b.seed && a.halving == b.halving && a.parameters.map(\.path) == b.parameters.map(\.path)
            && zip(a.parameters, b.parameters).allSatisfy { $0.distribution == $1.distribution }
    }

    /// The swept path under which runs of a search record their trial (0, 1, …).
    public static let trialPath = "trial"

    /// Attempts at drawing a trial that differs from the earlier ones before giving up.
    static let maxAttempts = 1000

    /// Every trial's values, one per parameter in order; nil when the space has fewer distinct
    /// configurations than `trials` (some trial found no new one in `maxAttempts` draws).
    public func draw() -> [[JSONValue]]? {
        var drawn: [[JSONValue]] = []
        var seen: Set<String> = []
        for trial in 0..<trials {
            var found = false
            for attempt in 0..<Self.maxAttempts {
                let values = parameters.map { $0.distribution.value(uniform(path: $0.path, trial: trial, attempt: attempt)) }
                let key = values.map(\.canonical).joined(separator: "\u{1}")
                if seen.insert(key).inserted {
                    drawn.append(values)
                    found = true
                    break
                }
            }
            if !found { return nil }
        }
        return drawn
    }

    /// The number of distinct configurations, when it is small enough to count.
    var distinctConfigurations: Int? {
        var product = 1
        for parameter in parameters {
            guard let count = parameter.distribution.distinctValues else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: count)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// u ∈ [0, 1) from the first 8 bytes of SHA-256("genlab search <seed> <trial> <attempt> <path>").
    func uniform(path: String, trial: Int, attempt: Int) -> Double {
        let digest = SHA256Text.hex(Array("genlab search \(seed) \(trial) \(attempt) \(path)".utf8))
        let bits = UInt64(digest.prefix(16), radix: 16)!
        return Double(bits >> 11) * 0x1p-53
    }

    /// `x` to 6 significant digits, kept inside the bounds.
    static func rounded(_ x: Double, within bounds: ClosedRange<Double>) -> Double {
        let value = Double(String(format: "%.6g", x)) ?? x
        return min(max(value, bounds.lowerBound), bounds.upperBound)
    }
}
