/// Decoding context: the file being read, for error messages. Every section decoder is an
/// extension of this type, in the file named after its section.
struct SpecDecoder: Sendable {
    let file: String

    func error(_ path: JSONPath, expected: String, found: String, hint: String? = nil) -> SpecError {
        SpecError(file: file, path: path.description, expected: expected, found: found, hint: hint)
    }

    /// Applies `rule` to `value`, or throws the rule's expectation against what was found.
    func read<T>(_ value: JSONValue, at path: JSONPath, _ rule: Rule<T>) throws -> T {
        if let result = rule.convert(value) { return result }
        throw error(path, expected: rule.expected, found: value.summary, hint: rule.hint(value))
    }

    /// An array whose elements are decoded by `element`, at `path[i]`.
    func readArray<T>(_ value: JSONValue, at path: JSONPath, expected: String,
                      element: (JSONValue, JSONPath) throws -> T) throws -> [T] {
        guard case .array(let elements) = value else {
            throw error(path, expected: expected, found: value.summary)
        }
        return try elements.enumerated().map { try element($0.element, path.index($0.offset)) }
    }
}

/// One check of a scalar value: what it accepts (`convert` returns nil otherwise) and how an error
/// describes it (`expected`, e.g. "an integer ≥ 1").
struct Rule<T> {
    var expected: String
    var convert: (JSONValue) -> T?
    var hint: (JSONValue) -> String? = { _ in nil }

    /// The same rule also accepting `null`, as nil.
    var orNull: Rule<T?> {
        let convert = self.convert
        return Rule<T?>(expected: expected + " or null", convert: { value in
            if value == .null { return .some(nil) }
            return convert(value).map { .some($0) }
        }, hint: hint)
    }
}

/// The rules the schema uses. Integers must be integer literals (`4.0` is not an integer);
/// numbers may be written as integers; 32-bit fields must stay finite as `Float`.
enum Rules {
    static func integer(atLeast min: Int64, atMost max: Int64? = nil) -> Rule<Int> {
        let expected = max.map { "an integer from \(min) to \($0)" } ?? "an integer ≥ \(min)"
        return Rule(expected: expected) { value in
            guard case .int(let n) = value, n >= min, n <= (max ?? .max) else { return nil }
            return Int(n)
        }
    }

    /// One of a few allowed integers (`channels`: 1 or 3).
    static func integer(in allowed: [Int64]) -> Rule<Int> {
        Rule(expected: allowed.count == 2 ? "\(allowed[0]) or \(allowed[1])" : "one of \(allowed.map(String.init).joined(separator: ", "))") { value in
            guard case .int(let n) = value, allowed.contains(n) else { return nil }
            return Int(n)
        }
    }

    /// A step count (checkpoint interval, warm-up, decay): 0 to `SpecLimits.maxSteps`.
    static var steps: Rule<Int> { integer(atLeast: 0, atMost: Int64(SpecLimits.maxSteps)) }
    /// Units, filters or a reshape dimension: 1 to `SpecLimits.maxUnits`.
    static var units: Rule<Int> { integer(atLeast: 1, atMost: Int64(SpecLimits.maxUnits)) }
    /// A latent dimension: 1 to `SpecLimits.maxLatent`.
    static var latent: Rule<Int> { integer(atLeast: 1, atMost: Int64(SpecLimits.maxLatent)) }

    static var seed: Rule<UInt64> {
        Rule(expected: "an integer ≥ 0") { value in
            guard case .int(let n) = value, n >= 0 else { return nil }
            return UInt64(n)
        }
    }

    /// A number within bounds, as `Float`.
    static func number(min: Double? = nil, minExclusive: Bool = false,
                       max: Double? = nil, maxExclusive: Bool = false) -> Rule<Float> {
        var conditions: [String] = []
        if let min { conditions.append((minExclusive ? "> " : "≥ ") + text(min)) }
        if let max { conditions.append((maxExclusive ? "< " : "≤ ") + text(max)) }
        let expected = conditions.isEmpty ? "a number" : "a number " + conditions.joined(separator: " and ")
        return Rule(expected: expected) { value in
            let x: Double
            switch value {
            case .int(let n): x = Double(n)
            case .number(let d): x = d
            default: return nil
            }
            if let min, minExclusive ? !(x > min) : !(x >= min) { return nil }
            if let max, maxExclusive ? !(x < max) : !(x <= max) { return nil }
            let float = Float(x)
            return float.isFinite ? float : nil
        }
    }

    static var boolean: Rule<Bool> {
        Rule(expected: "true or false") { value in
            guard case .bool(let flag) = value else { return nil }
            return flag
        }
    }

    /// Exactly `true` (marker keys such as `"flatten": true`).
    static var trueMarker: Rule<Void> {
        Rule(expected: "true") { $0 == .bool(true) ? () : nil }
    }

    /// An experiment `name`, which becomes a folder under `--results`: 1 to
    /// `SpecLimits.maxNameLength` ASCII letters, digits, ".", "_" and "-", not starting with "."
    /// (so never ".", ".." or a hidden folder such as the classifier cache `.classifiers`).
    static var folderName: Rule<String> {
        let expected = "a name of 1 to \(SpecLimits.maxNameLength) letters, digits, \".\", \"_\" and \"-\", not starting with \".\""
        return Rule(expected: expected) { value in
            guard case .string(let text) = value, !text.isEmpty, text.utf8.count <= SpecLimits.maxNameLength,
                  !text.hasPrefix("."),
                  text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) })
            else { return nil }
            return text
        }
    }

    static var nonEmptyString: Rule<String> {
        Rule(expected: "a non-empty string") { value in
            guard case .string(let text) = value, !text.isEmpty else { return nil }
            return text
        }
    }

    /// One of an enumeration's raw values; a near miss gets a "did you mean" hint.
    static func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> Rule<E> where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return Rule(expected: "one of " + names.map(JSONWriter.quoted).joined(separator: ", "),
                    convert: { value in
                        guard case .string(let text) = value else { return nil }
                        return E(rawValue: text)
                    },
                    hint: { value in
                        guard case .string(let text) = value else { return nil }
                        return NearestKey.hint(for: text, among: names)
                    })
    }

    /// `1`, `0.5`, `1e-05`: integral bounds without a fraction.
    static func text(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : x.description
    }
}
