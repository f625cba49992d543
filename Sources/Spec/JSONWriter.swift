/// Serialises `JSONValue`s deterministically.
///
/// Rules (both forms): object keys sorted by Unicode code point (UTF-8 byte order); `.int` as
/// decimal digits; `.number` as Swift's shortest round-trip `Double.description`, so an integral
/// `.number` keeps its fraction (`4.0`) and small or large ones use an exponent (`1e-05`,
/// `1e+20`) — both valid JSON; a non-finite number (not produced by the parser) is written `null`.
/// Strings escape `"` `\` and control characters (`\b \f \n \r \t`, others `\u00xx`); everything
/// else, non-ASCII included, is written as UTF-8 unchanged.
public enum JSONWriter {
    /// No whitespace at all: the text that run ids hash.
    public static func canonical(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: nil, level: 0)
        return out
    }

    /// Two-space indentation, `"key": value`, one member or element per line, no trailing newline.
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", level: 0)
        return out
    }

    /// A JSON string literal of `text`, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The text of a `.number`: `Double.description` (`0.1`, `4.0`, `1e-05`), `null` if not finite.
    public static func numberText(_ value: Double) -> String {
        value.isFinite ? value.description : "null"
    }

    private static func write(_ value: JSONValue, into out: inout String, indent: String?, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .number(let number): out += numberText(number)
        case .string(let text): out += quoted(text)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                newline(into: &out, indent: indent, level: level + 1)
                write(element, into: &out, indent: indent, level: level + 1)
            }
            newline(into: &out, indent: indent, level: level)
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            let sorted = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out += "," }
                newline(into: &out, indent: indent, level: level + 1)
                out += quoted(member.key)
                out += indent == nil ? ":" : ": "
                write(member.value, into: &out, indent: indent, level: level + 1)
            }
            newline(into: &out, indent: indent, level: level)
            out += "}"
        }
    }

    private static func newline(into out: inout String, indent: String?, level: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: indent, count: level)
    }
}

extension JSONValue {
    /// `JSONWriter.canonical(self)`.
    public var canonical: String { JSONWriter.canonical(self) }
    /// `JSONWriter.pretty(self)`.
    public var pretty: String { JSONWriter.pretty(self) }
}
