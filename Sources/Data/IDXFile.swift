import Foundation

/// One IDX file (LeCun's MNIST format): a big-endian header — magic number `0x0000TTDD` (T the
/// element type, 0x08 = unsigned byte; D the number of dimensions), then D 32-bit sizes — followed
/// by the elements, row-major. Plain or gzipped (detected by the 1f 8b magic bytes).
///
/// Only unsigned-byte files are read: images `0x00000803` (N, rows, cols) and labels `0x00000801` (N).
public struct IDXFile: Sendable, Equatable {
    /// Magic number of an unsigned-byte IDX file with three dimensions (N, rows, cols).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// Magic number of an unsigned-byte IDX file with one dimension (N).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The sizes from the header, outermost first.
    public let dimensions: [Int]
    /// The elements, row-major: `dimensions.reduce(1, *)` bytes.
    public let elements: [UInt8]

    public init(dimensions: [Int], elements: [UInt8]) {
        precondition(dimensions.allSatisfy { $0 >= 0 && $0 <= Int(UInt32.max) }, "IDX sizes must fit in 32 bits")
        precondition(dimensions.reduce(1, *) == elements.count,
                     "\(elements.count) elements do not fill dimensions \(dimensions)")
        self.dimensions = dimensions
        self.elements = elements
    }

    /// The magic number of this file: unsigned bytes, `dimensions.count` dimensions.
    public var magic: UInt32 { 0x0000_0800 | UInt32(dimensions.count) }

    /// The uncompressed IDX bytes (header and elements).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + 4 * dimensions.count + elements.count)
        appendBigEndian(magic, to: &bytes)
        for d in dimensions { appendBigEndian(UInt32(d), to: &bytes) }
        bytes.append(contentsOf: elements)
        return bytes
    }

    /// Reads and validates the IDX file at `path`, gunzipping it if it is gzipped.
    /// - Throws: `DataError` naming `path`: missing, unreadable, corrupt gzip, bad magic number,
    ///   truncated (fewer bytes than the header announces) or trailing bytes.
    public static func read(path: String, expectedMagic: UInt32) throws -> IDXFile {
        var bytes = try readFile(path: path)
        if Gzip.isGzip(bytes) { bytes = try Gzip.decompress(bytes, path: path) }
        return try parse(bytes, path: path, expectedMagic: expectedMagic)
    }

    /// Validates and splits uncompressed IDX bytes; `path` only names the source in errors.
    public static func parse(_ bytes: [UInt8], path: String, expectedMagic: UInt32) throws -> IDXFile {
        guard bytes.count >= 4 else {
            throw DataError.truncated(path: path, detail: "\(bytes.count) bytes, too short for an IDX header")
        }
        let magic = readBigEndian(bytes, at: 0)
        guard magic == expectedMagic else {
            throw DataError.badMagic(path: path, expected: expectedMagic, found: magic)
        }
        let rank = Int(magic & 0xff)
        let headerBytes = 4 + 4 * rank
        guard bytes.count >= headerBytes else {
            throw DataError.truncated(path: path, detail: "\(bytes.count) bytes, the header alone needs \(headerBytes)")
        }
        let dimensions = (0..<rank).map { Int(readBigEndian(bytes, at: 4 + 4 * $0)) }
        let (size, overflow) = dimensions.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        let expected = headerBytes + size
        guard !overflow, bytes.count >= expected else {
            let shape = dimensions.map(String.init).joined(separator: "×")
            throw DataError.truncated(path: path, detail: "the header announces \(shape) bytes of data "
                + "(\(overflow ? "overflow" : String(expected)) bytes in all) but the file holds \(bytes.count)")
        }
        guard bytes.count == expected else {
            throw DataError.trailingBytes(path: path, expected: expected, found: bytes.count)
        }
        return IDXFile(dimensions: dimensions, elements: Array(bytes[headerBytes...]))
    }
}

/// The whole contents of a file.
func readFile(path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw DataError.missingFile(path: path)
    }
    guard !isDirectory.boolValue else { throw DataError.unreadable(path: path, reason: "it is a directory") }
    guard let contents = FileManager.default.contents(atPath: path) else {
        throw DataError.unreadable(path: path, reason: "permission denied or I/O error")
    }
    return [UInt8](contents)
}

private func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
}

private func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    bytes.append(UInt8(truncatingIfNeeded: value >> 16))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
}
