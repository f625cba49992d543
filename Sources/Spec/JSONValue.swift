/// A JSON document as a tree. Objects keep their members in document order (the parser rejects
/// duplicate keys), integer literals stay distinct from other numbers, so that `4` and `4.0` are
/// different values and an experiment can require an integer where it means one.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case int(Int64)
    /// Any other number (always finite).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// The members of a JSON object, in order, keys unique.
///
/// Equality is structural and order-sensitive; use `JSONWriter.canonical` to compare documents
/// regardless of key order.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One `"key": value` pair.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    /// Precondition: keys are unique (checked with a set: the parser builds objects of any size
    /// through here, so the check must stay linear).
    public init(_ members: [Member] = []) {
        var seen = Set<String>(minimumCapacity: members.count)
        for member in members {
            precondition(seen.insert(member.key).inserted, "duplicate JSON object key \"\(member.key)\"")
        }
        self.members = members
    }

    /// Precondition: keys are unique.
    public init(pairs: [(String, JSONValue)]) {
        self.init(pairs.map { Member(key: $0.0, value: $0.1) })
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(pairs: elements)
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// The value of `key`; assigning replaces it in place, appends a new key at the end, or with
    /// `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case let (index?, value?): members[index].value = value
            case let (index?, nil): members.remove(at: index)
            case let (nil, value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(pairs: elements)) }
}

extension JSONValue {
    /// A 32-bit float as the JSON number with the same shortest decimal text (`0.001`, not
    /// `0.0010000000474974513`), so resolved specs show the value that runs and read back to it.
    public static func float(_ value: Float) -> JSONValue {
        guard value.isFinite else { return .null }
        if let double = Double(value.description), Float(double) == value { return .number(double) }
        return .number(Double(value))
    }

    /// How error messages show a value: its type and a short rendering, e.g. `string "relux"`,
    /// `number -3`, `boolean true`, `array of 2 elements`.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "boolean \(value)"
        case .int(let value): return "number \(value)"
        case .number(let value): return "number \(JSONWriter.numberText(value))"
        case .string(let value):
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "string \(JSONWriter.quoted(shown))"
        case .array(let elements):
            switch elements.count {
            case 0: return "empty array"
            case 1: return "array of 1 element"
            default: return "array of \(elements.count) elements"
            }
        case .object(let object):
            if object.isEmpty { return "empty object" }
            let keys = object.keys.prefix(4).map(JSONWriter.quoted).joined(separator: ", ")
            return "object with keys \(keys)\(object.count > 4 ? ", …" : "")"
        }
    }
}

extension JSONValue {
    /// The number of an `.int` or `.number`, nil otherwise.
    public var numberValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The value of an `.int` that fits an `Int`, nil otherwise.
    public var intValue: Int? {
        if case .int(let value) = self { return Int(exactly: value) }
        return nil
    }

    /// The text of a `.string`, nil otherwise.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension JSONValue {
    /// A finite number as JSON; NaN and infinities (which JSON cannot hold) as null.
    public static func finite(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }
}
