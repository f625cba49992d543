/// Reads the members of one JSON object strictly: keys are checked against the schema first
/// (unknown ⇒ error with the nearest known key), then each value through a `Rule`, with the
/// default spelled out at the call site.
struct ObjectReader {
    let decoder: SpecDecoder
    let path: JSONPath
    let object: JSONObject

    init(_ value: JSONValue, at path: JSONPath, _ decoder: SpecDecoder, expected: String = "an object") throws {
        guard case .object(let object) = value else {
            throw decoder.error(path, expected: expected, found: value.summary)
        }
        self.decoder = decoder
        self.path = path
        self.object = object
    }

    subscript(key: String) -> JSONValue? { object[key] }

    func has(_ key: String) -> Bool { object[key] != nil }

    /// Throws at the first key (in document order) that is not in `known`.
    func rejectUnknownKeys(_ known: [String], in context: String) throws {
        for key in object.keys where !known.contains(key) {
            throw decoder.error(path.key(key), expected: "a key of \(context): " + ObjectReader.list(known),
                                found: "unknown key \(JSONWriter.quoted(key))",
                                hint: NearestKey.hint(for: key, among: known))
        }
    }

    /// Throws at the first key not in `allowed` — a key of the section that does not apply to the
    /// chosen variant (`context`, e.g. `optimizer type "sgd"`).
    func rejectInapplicableKeys(_ allowed: [String], in context: String) throws {
        for key in object.keys where !allowed.contains(key) {
            throw decoder.error(path.key(key), expected: "a key of \(context): " + ObjectReader.list(allowed),
                                found: "key \(JSONWriter.quoted(key)), which does not apply to \(context)")
        }
    }

    func required<T>(_ key: String, _ rule: Rule<T>) throws -> T {
        guard let value = object[key] else {
            throw decoder.error(path.key(key), expected: rule.expected, found: "missing key")
        }
        return try decoder.read(value, at: path.key(key), rule)
    }

    func optional<T>(_ key: String, default value: T, _ rule: Rule<T>) throws -> T {
        guard let found = object[key] else { return value }
        return try decoder.read(found, at: path.key(key), rule)
    }

    /// Absent and `null` both mean nil.
    func nullable<T>(_ key: String, _ rule: Rule<T>) throws -> T? {
        guard let found = object[key] else { return nil }
        return try decoder.read(found, at: path.key(key), rule.orNull)
    }

    /// A composite member: `decode` gets the value and its path; `missing` is what a missing key
    /// was expected to be (nil = use `absent`).
    func member<T>(_ key: String, absent: @autoclosure () throws -> T,
                   _ decode: (JSONValue, JSONPath) throws -> T) throws -> T {
        guard let value = object[key] else { return try absent() }
        return try decode(value, path.key(key))
    }

    func requiredMember<T>(_ key: String, expected: String, _ decode: (JSONValue, JSONPath) throws -> T) throws -> T {
        guard let value = object[key] else {
            throw decoder.error(path.key(key), expected: expected, found: "missing key")
        }
        return try decode(value, path.key(key))
    }

    /// A key allowed only under a condition, e.g. `slope` only with `leaky_relu`.
    func forbid(_ key: String, unless condition: String) throws {
        if let value = object[key] {
            throw decoder.error(path.key(key), expected: "no \(JSONWriter.quoted(key)) unless \(condition)",
                                found: value.summary)
        }
    }

    static func list(_ keys: [String]) -> String {
        keys.map(JSONWriter.quoted).joined(separator: ", ")
    }
}
