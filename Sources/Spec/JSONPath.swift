/// A location in a JSON document, written the way error messages show it:
/// `model.encoder[2].activation`, `sweep["model.beta"][1]`.
struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Component: Sendable, Equatable {
        case key(String)
        /// A key always written `["key"]`, for keys that are themselves paths (`sweep["model.beta"]`).
        case entry(String)
        case index(Int)
    }

    var components: [Component] = []

    static let root = JSONPath()

    func key(_ key: String) -> JSONPath { JSONPath(components: components + [.key(key)]) }
    func index(_ index: Int) -> JSONPath { JSONPath(components: components + [.index(index)]) }
    func entry(_ key: String) -> JSONPath { JSONPath(components: components + [.entry(key)]) }

    /// Keys made of letters, digits and `_` (not starting with a digit) are written `.key`; others
    /// `["key"]` with JSON string escaping.
    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key) where JSONPath.isIdentifier(key):
                text += text.isEmpty ? key : "." + key
            case .key(let key), .entry(let key):
                text += "[\(JSONWriter.quoted(key))]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Whether `self` is `other` or lies inside it.
    func isWithin(_ other: JSONPath) -> Bool {
        components.starts(with: other.components)
    }

    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
