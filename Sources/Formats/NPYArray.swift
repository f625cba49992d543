import Foundation

#if !_endian(little)
#error("NPYArray reads little-endian data by copying bytes: port the byte copies first")
#endif

/// A NumPy `.npy` array as read from disk: what `numpy.save` writes without pickles (format
/// versions 1 to 3, C order, little-endian or byte-sized elements). Reading is strict, so a
/// damaged or hostile file is an error with a reason, never a crash: the magic, the version, the
/// header's `descr`, `fortran_order` and `shape` (each dimension counted with overflow checks)
/// and the data length must all agree.
public struct NPYArray: Sendable, Equatable {
    /// The element types GenLab reads: images as bytes or floats, labels as integers.
    public enum Element: String, Sendable, CaseIterable {
        case u8 = "u1", i8 = "i1", i16 = "i2", i32 = "i4", i64 = "i8", u16 = "u2", u32 = "u4", u64 = "u8"
        case f32 = "f4", f64 = "f8", bool = "b1"

        /// Bytes per element.
        public var size: Int { self == .bool ? 1 : Int(rawValue.dropFirst())! }
        public var isFloat: Bool { self == .f32 || self == .f64 }
        /// NumPy's name (`uint8`, `float32`), for messages.
        public var numpyName: String {
            switch self {
            case .u8: "uint8"
            case .i8: "int8"
            case .i16: "int16"
            case .i32: "int32"
            case .i64: "int64"
            case .u16: "uint16"
            case .u32: "uint32"
            case .u64: "uint64"
            case .f32: "float32"
            case .f64: "float64"
            case .bool: "bool"
            }
        }
    }

    public let element: Element
    public let shape: [Int]
    /// The raw little-endian elements, C order.
    public let data: [UInt8]

    public init(element: Element, shape: [Int], data: [UInt8]) {
        self.element = element
        self.shape = shape
        self.data = data
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Parses a whole `.npy` file; the error says what is wrong in a phrase.
    public static func decode(_ bytes: [UInt8]) throws(NPYError) -> NPYArray {
        guard bytes.count >= 10, Array(bytes[0..<6]) == NPYFile.magic else {
            throw NPYError("is not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NPYError("ends inside its header length (truncated)") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw NPYError("has .npy format version \(major).\(bytes[7]); GenLab reads versions 1 to 3")
        }
        guard headerLength <= bytes.count - headerStart else { throw NPYError("ends inside its header (truncated)") }
        let header = String(decoding: bytes[headerStart ..< headerStart + headerLength], as: UTF8.self)
        let descr = try value(of: "descr", in: header)
        guard descr.count >= 3, descr.hasPrefix("'"), descr.hasSuffix("'") else {
            throw NPYError("has a descr that is not a simple type (\(descr)); structured arrays are not read")
        }
        let type = descr.dropFirst().dropLast()
        guard let order = type.first, "<|=".contains(order), let element = Element(rawValue: String(type.dropFirst())) else {
            throw NPYError("holds \(type) elements; GenLab reads little-endian integers, bool, float32 and float64")
        }
        guard element.size == 1 || order != "|" else { throw NPYError("has descr \(descr) without a byte order") }
        guard try value(of: "fortran_order", in: header) == "False" else {
            throw NPYError("is in Fortran order; save it in C order (numpy.ascontiguousarray)")
        }
        let shape = try parseShape(try value(of: "shape", in: header))
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw NPYError("has a shape \(shape) too large to hold") }
            count = product
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: element.size)
        let dataStart = headerStart + headerLength
        guard !overflow, bytes.count - dataStart == expected else {
            throw NPYError("holds \(bytes.count - dataStart) data bytes, but its header describes \(shape) \(element.numpyName) (\(overflow ? "too many" : String(expected)) bytes)"
                + (bytes.count - dataStart < expected ? " (truncated)" : ""))
        }
        return NPYArray(element: element, shape: shape, data: Array(bytes[dataStart...]))
    }

    /// The elements as Float (exact for bytes and small integers; float64 rounded to float32).
    public func floats() -> [Float] {
        switch element {
        case .u8, .bool: return data.map { Float($0) }
        case .f32: return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        case .f64: return data.withUnsafeBytes { $0.bindMemory(to: Double.self).map { Float($0) } }
        default: return integers().map { Float($0) }
        }
    }

    /// The elements as integers; `Int64.min` for floats that are not whole numbers.
    public func integers() -> [Int64] {
        data.withUnsafeBytes { raw -> [Int64] in
            switch element {
            case .u8, .bool: return raw.map { Int64($0) }
            case .i8: return raw.bindMemory(to: Int8.self).map { Int64($0) }
            case .i16: return (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self)) }
            case .u16: return (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) }
            case .i32: return (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
            case .u32: return (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
            case .i64: return (0..<count).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self) }
            case .u64: return (0..<count).map { Int64(clamping: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
            case .f32: return (0..<count).map { Int64(exactly: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self)) ?? Int64.min }
            case .f64: return (0..<count).map { Int64(exactly: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self)) ?? Int64.min }
            }
        }
    }

    /// The text after `'key':` in the header dict, up to the next top-level comma or brace.
    private static func value(of key: String, in header: String) throws(NPYError) -> String {
        guard let range = header.range(of: "'\(key)':") else { throw NPYError("has no '\(key)' in its header") }
        var depth = 0, end = range.upperBound
        for index in header[range.upperBound...].indices {
            let character = header[index]
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0, character == "," || character == "}" { end = index; break }
            end = header.index(after: index)
        }
        return header[range.upperBound ..< end].trimmingCharacters(in: .whitespaces)
    }

    /// `(N, C, H, W)`, `(N,)` or `()`.
    private static func parseShape(_ text: String) throws(NPYError) -> [Int] {
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw NPYError("has a shape that is not a tuple (\(text))") }
        let inner = text.dropFirst().dropLast()
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let digits = part.trimmingCharacters(in: .whitespaces)
            if digits.isEmpty { continue }
            guard let dimension = Int(digits), dimension >= 0 else { throw NPYError("has a shape with \(digits) in it (\(text))") }
            shape.append(dimension)
        }
        return shape
    }
}

/// What is wrong with a `.npy` file, as a phrase after its name ("is in Fortran order; …").
public struct NPYError: Error, Sendable, Equatable, CustomStringConvertible {
    public var phrase: String
    public init(_ phrase: String) { self.phrase = phrase }
    public var description: String { phrase }
}
