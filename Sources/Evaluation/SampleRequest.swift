import Spec

/// What `genlab sample` draws from a finished run (`RunSampler`).
public enum SampleRequest: Sendable, Equatable {
    /// `count` codes from the prior, drawn from `RandomStream(seed:, purpose: "sample")` with
    /// `seed` (nil: the run's seed), decoded.
    case prior(count: Int, seed: UInt64?)
    /// The test images at `indices` (repeats allowed) and their reconstructions, the decoded
    /// posterior means. Needs an encoder.
    case reconstructions(indices: [Int])
    /// `steps` codes from the posterior mean of test image `from` to that of test image `to`,
    /// both included (`LatentInterpolation`), decoded. Needs an encoder.
    case interpolation(from: Int, to: Int, steps: Int, kind: InterpolationKind)

    /// Prior samples per file: 1…100,000 (`--count`; default 64).
    public static let counts = 1...100_000
    public static let defaultCount = 64
    /// Interpolation steps: 2…32 (`--steps`; default 10).
    public static let steps = 2...32
    public static let defaultSteps = 10

    /// The request of `genlab sample`'s options, checked for form and ranges; indices are checked
    /// against the test split later (`RunSampler`).
    /// - Throws: `SpecError` at the option (file `command line`).
    public init(count: Int?, seed: UInt64?, reconstruct: String?, interpolate: String?, steps: Int?,
                spherical: Bool) throws(SpecError) {
        func refuse(_ option: String, expected: String, found: String) -> SpecError {
            SpecError(file: "command line", path: option, expected: expected, found: found)
        }
        if reconstruct != nil, interpolate != nil {
            throw refuse("--interpolate", expected: "either --reconstruct or --interpolate",
                         found: "both")
        }
        let mode = reconstruct != nil ? "--reconstruct" : interpolate != nil ? "--interpolate" : nil
        if let mode {
            if let count { throw refuse("--count", expected: "no --count with \(mode) (it sets the images)", found: "\(count)") }
            if let seed { throw refuse("--seed", expected: "no --seed with \(mode) (it draws no noise)", found: "\(seed)") }
        }
        if interpolate == nil {
            if let steps { throw refuse("--steps", expected: "--steps only with --interpolate", found: "\(steps)") }
            if spherical { throw refuse("--spherical", expected: "--spherical only with --interpolate", found: "it alone") }
        }

        if let reconstruct {
            let parts = reconstruct.split(separator: ",", omittingEmptySubsequences: false)
            var indices: [Int] = []
            for part in parts {
                guard let index = Self.index(part) else {
                    throw refuse("--reconstruct", expected: "test image indices I,J,… (integers ≥ 0, comma-separated)",
                                 found: JSONWriter.quoted(reconstruct))
                }
                indices.append(index)
            }
            guard indices.count <= Self.counts.upperBound else {
                throw refuse("--reconstruct", expected: "at most \(Self.counts.upperBound) indices", found: "\(indices.count)")
            }
            self = .reconstructions(indices: indices)
        } else if let interpolate {
            let parts = interpolate.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let from = Self.index(parts[0]), let to = Self.index(parts[1]) else {
                throw refuse("--interpolate", expected: "two test image indices I:J (integers ≥ 0)",
                             found: JSONWriter.quoted(interpolate))
            }
            let steps = steps ?? Self.defaultSteps
            guard Self.steps.contains(steps) else {
                throw refuse("--steps", expected: "an integer from \(Self.steps.lowerBound) to \(Self.steps.upperBound)",
                             found: "\(steps)")
            }
            self = .interpolation(from: from, to: to, steps: steps, kind: spherical ? .spherical : .linear)
        } else {
            let count = count ?? Self.defaultCount
            guard Self.counts.contains(count) else {
                throw refuse("--count", expected: "an integer from \(Self.counts.lowerBound) to \(Self.counts.upperBound)",
                             found: "\(count)")
            }
            self = .prior(count: count, seed: seed)
        }
    }

    /// A non-negative decimal index (spaces around it allowed), or nil.
    private static func index(_ text: Substring) -> Int? {
        var digits = text
        while digits.first == " " { digits = digits.dropFirst() }
        while digits.last == " " { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// The option that asked for this request, for messages about it.
    var option: String {
        switch self {
        case .prior: return "--count"
        case .reconstructions: return "--reconstruct"
        case .interpolation: return "--interpolate"
        }
    }
}
