/// A strict RFC 8259 parser: no comments, trailing commas, single quotes, NaN/Infinity, leading
/// zeros, raw control characters in strings, lone surrogates or duplicate keys. A leading UTF-8
/// byte-order mark is skipped. Errors are `SpecError`s whose path is `line L, column C` (1-based;
/// columns count Unicode scalars).
///
/// Integer literals (no fraction, no exponent) that fit in `Int64` become `.int`; every other
/// number becomes `.number`, and a number outside `Double`'s range is an error.
public enum JSONParser {
    /// Nesting deeper than this is rejected (keeps recursion bounded).
    public static let maxDepth = 512

    public static func parse(_ text: String, file: String) throws -> JSONValue {
        try parse(bytes: Array(text.utf8), file: file)
    }

    public static func parse(bytes: [UInt8], file: String) throws -> JSONValue {
        var scanner = JSONScanner(bytes: bytes, file: file)
        return try scanner.document()
    }
}

private extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isLetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }
    var isJSONWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

/// The parser's cursor over UTF-8 bytes.
private struct JSONScanner {
    let bytes: [UInt8]
    let file: String
    var position = 0
    var depth = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func document() throws -> JSONValue {
        skipWhitespace()
        let value = try value()
        skipWhitespace()
        if position < bytes.count {
            throw error(at: position, expected: "end of input after the document", found: describe(position))
        }
        return value
    }

    // MARK: - Values

    mutating func value() throws -> JSONValue {
        guard position < bytes.count else {
            throw error(at: position, expected: "a JSON value", found: "end of input")
        }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case .quote: return .string(try string())
        case UInt8(ascii: "-"): return try number()
        case _ where byte.isDigit: return try number()
        case _ where byte.isLetter: return try word()
        case UInt8(ascii: "/"):
            throw error(at: position, expected: "a JSON value", found: describe(position),
                        hint: "JSON does not allow comments")
        case UInt8(ascii: "'"):
            throw error(at: position, expected: "a JSON value", found: describe(position),
                        hint: "JSON strings use double quotes")
        default:
            throw error(at: position, expected: "a JSON value", found: describe(position))
        }
    }

    mutating func object() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1  // {
        var members: [JSONObject.Member] = []
        var firstSeen: [String: Int] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject())
        }
        var afterComma = false
        while true {
            skipWhitespace()
            guard peek == .quote else {
                if afterComma && peek == UInt8(ascii: "}") {
                    throw error(at: position, expected: "a string key", found: describe(position),
                                hint: "trailing commas are not allowed")
                }
                let hint: String? = peek.map { $0.isLetter || $0 == UInt8(ascii: "'") } == true
                    ? "object keys are double-quoted strings" : nil
                throw error(at: position, expected: afterComma ? "a string key" : "a string key or \"}\"",
                            found: describe(position), hint: hint)
            }
            let keyStart = position
            let key = try string()
            if let first = firstSeen[key] {
                let (line, column) = lineAndColumn(first)
                throw error(at: keyStart, expected: "a key not already in this object",
                            found: "duplicate key \(JSONWriter.quoted(key))",
                            hint: "first at line \(line), column \(column)")
            }
            firstSeen[key] = keyStart
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else {
                throw error(at: position, expected: "\":\" after the key", found: describe(position))
            }
            position += 1
            skipWhitespace()
            members.append(JSONObject.Member(key: key, value: try value()))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                position += 1
                afterComma = true
            case UInt8(ascii: "}"):
                position += 1
                return .object(JSONObject(members))
            default:
                throw error(at: position, expected: "\",\" or \"}\"", found: describe(position))
            }
        }
    }

    mutating func array() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            if !elements.isEmpty && peek == UInt8(ascii: "]") {
                throw error(at: position, expected: "a value", found: describe(position),
                            hint: "trailing commas are not allowed")
            }
            elements.append(try value())
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw error(at: position, expected: "\",\" or \"]\"", found: describe(position))
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func number() throws -> JSONValue {
        let start = position
        var isInteger = true
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek, first.isDigit else {
            let hint = peek.map(\.isLetter) == true ? "JSON has no NaN or Infinity" : nil
            throw error(at: position, expected: "a digit", found: describe(position), hint: hint)
        }
        position += 1
        if first == UInt8(ascii: "0"), peek?.isDigit == true {
            skipDigits()
            throw error(at: start, expected: "a number without leading zeros", found: text(start))
        }
        skipDigits()
        if peek == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard peek?.isDigit == true else {
                throw error(at: position, expected: "a digit after the decimal point", found: describe(position))
            }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard peek?.isDigit == true else {
                throw error(at: position, expected: "a digit in the exponent", found: describe(position))
            }
            skipDigits()
        }
        let literal = text(start)
        if isInteger, let integer = Int64(literal) { return .int(integer) }
        guard let double = Double(literal), double.isFinite else {
            throw error(at: start, expected: "a number within the range of a 64-bit float", found: "number \(literal)")
        }
        return .number(double)
    }

    mutating func word() throws -> JSONValue {
        let start = position
        while let byte = peek, byte.isLetter || byte.isDigit || byte == UInt8(ascii: "_") { position += 1 }
        let word = text(start)
        switch word {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            let lower = word.lowercased()
            let hint: String?
            if ["nan", "inf", "infinity"].contains(lower) {
                hint = "JSON has no NaN or Infinity"
            } else if ["true", "false", "null"].contains(lower) {
                hint = "did you mean \(JSONWriter.quoted(lower))?"
            } else {
                hint = "strings are double-quoted"
            }
            throw error(at: start, expected: "a JSON value", found: "word \(JSONWriter.quoted(word))", hint: hint)
        }
    }

    mutating func string() throws -> String {
        let start = position
        position += 1  // opening quote
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek else {
                let (line, column) = lineAndColumn(start)
                throw error(at: position, expected: "the closing quote of the string at line \(line), column \(column)",
                            found: "end of input")
            }
            switch byte {
            case .quote:
                position += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw error(at: start, expected: "a string of valid UTF-8", found: "invalid UTF-8 bytes")
                }
                return text
            case .backslash:
                try escape(into: &buffer)
            case 0x00..<0x20:
                throw error(at: position, expected: "a control character written as an escape such as \\n",
                            found: describe(position))
            default:
                buffer.append(byte)
                position += 1
            }
        }
    }

    mutating func escape(into buffer: inout [UInt8]) throws {
        let start = position
        position += 1  // backslash
        guard let byte = peek else {
            throw error(at: position, expected: "an escape character", found: "end of input")
        }
        position += 1
        switch byte {
        case .quote: buffer.append(.quote)
        case .backslash: buffer.append(.backslash)
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code) {
                guard peek == .backslash, position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error(at: start, expected: "a low surrogate \\uDC00-\\uDFFF after a high surrogate",
                                found: text(start))
                }
                position += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error(at: start, expected: "a low surrogate \\uDC00-\\uDFFF after a high surrogate",
                                found: text(start))
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw error(at: start, expected: "a high surrogate before a low surrogate", found: text(start))
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw error(at: start, expected: "a Unicode scalar", found: text(start))
            }
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            throw error(at: start, expected: "one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                        found: "\\" + describe(start + 1))
        }
    }

    mutating func hex4() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw error(at: position, expected: "four hexadecimal digits after \\u", found: describe(position))
            }
            code = code * 16 + digit
            position += 1
        }
        return code
    }

    // MARK: - Cursor

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte.isJSONWhitespace { position += 1 }
    }

    mutating func skipDigits() {
        while peek?.isDigit == true { position += 1 }
    }

    mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth {
            throw error(at: position, expected: "at most \(JSONParser.maxDepth) levels of nesting",
                        found: "deeper nesting")
        }
    }

    func text(_ start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `character "x"`, `end of input`, `control character U+000A`, `byte 0xFF`.
    func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        switch byte {
        case 0x00..<0x20, 0x7F:
            let hex = String(byte, radix: 16, uppercase: true)
            return "control character U+" + String(repeating: "0", count: 4 - hex.count) + hex
        case .quote: return "character '\"'"
        case 0x20..<0x7F: return "character \"\(Character(UnicodeScalar(byte)))\""
        default:
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            let end = min(bytes.count, offset + length)
            if let text = String(validating: bytes[offset..<end], as: UTF8.self), text.unicodeScalars.count == 1 {
                return "character \"\(text)\""
            }
            return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }

    func lineAndColumn(_ offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    func error(at offset: Int, expected: String, found: String, hint: String? = nil) -> SpecError {
        let (line, column) = lineAndColumn(offset)
        return SpecError(file: file, path: "line \(line), column \(column)", expected: expected, found: found, hint: hint)
    }
}
