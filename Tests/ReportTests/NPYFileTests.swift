import Formats
import Foundation
import Report
import Testing

/// A `.npy` file read back by hand, as the format describes it: magic, version, header length,
/// the header dict, then the data.
private struct ParsedNPY {
    var version: (UInt8, UInt8)
    var headerLength: Int
    /// The dict text, without its padding and newline.
    var dict: String
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    var dataOffset: Int
    var values: [Float]

    init(_ bytes: [UInt8]) throws {
        struct Malformed: Error { let what: String }
        guard bytes.count >= 10, Array(bytes[0..<6]) == [0x93] + Array("NUMPY".utf8) else { throw Malformed(what: "magic") }
        version = (bytes[6], bytes[7])
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        dataOffset = 10 + headerLength
        guard dataOffset <= bytes.count, bytes[dataOffset - 1] == 0x0A else { throw Malformed(what: "newline") }
        let text = String(decoding: bytes[10..<(dataOffset - 1)], as: UTF8.self)
        let dict = String(text.reversed().drop { $0 == " " }.reversed())
        self.dict = dict
        func field(_ key: String, until end: Character) throws -> String {
            guard let start = dict.range(of: "'\(key)': ") else { throw Malformed(what: key) }
            return String(dict[start.upperBound...].prefix { $0 != end })
        }
        descr = try field("descr", until: ",").trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        fortranOrder = try field("fortran_order", until: ",") == "True"
        let tuple = try field("shape", until: ")").dropFirst()               // drop "("
        shape = tuple.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Int($0)! }
        let data = Array(bytes[dataOffset...])
        guard data.count % 4 == 0 else { throw Malformed(what: "data size") }
        values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}

@Suite struct NPYFileTests {
    @Test func headerLayoutIsVersion1WithAlignedData() throws {
        let header = NPYFile.header(shape: [64, 1, 16, 16])
        #expect(Array(header[0..<6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])        // \x93NUMPY
        #expect(header[6] == 1 && header[7] == 0)
        #expect(header.count % 64 == 0)
        #expect(Int(header[8]) | Int(header[9]) << 8 == header.count - 10)
        #expect(header.last == 0x0A)
        let text = String(decoding: header[10...], as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (64, 1, 16, 16), }"))
        #expect(text.dropFirst("{'descr': '<f4', 'fortran_order': False, 'shape': (64, 1, 16, 16), }".count).dropLast()
            .allSatisfy { $0 == " " })
    }

    @Test(arguments: [[Int](), [5], [3, 2], [2, 3, 1, 4, 4], [100_000, 3, 64, 64], [0, 2]])
    func everyShapeIsAlignedAndWrittenAsPythonDoes(shape: [Int]) throws {
        let header = NPYFile.header(shape: shape)
        #expect(header.count % NPYFile.alignment == 0)
        let parsed = try ParsedNPY(header)
        #expect(parsed.shape == shape)
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        #expect(parsed.dict == "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }")
    }

    @Test func valuesRoundTrip() throws {
        let values: [Float] = [0, 1, -1, 0.5, 1e-30, -3.25e7, .infinity, -.infinity, .leastNonzeroMagnitude, 0.1, -0.0, 42]
        let bytes = NPYFile.encode(values, shape: [2, 3, 2])
        let parsed = try ParsedNPY(bytes)
        #expect(parsed.version == (1, 0))
        #expect(parsed.descr == "<f4" && !parsed.fortranOrder && parsed.shape == [2, 3, 2])
        let start = parsed.dataOffset
        #expect(start == 128 && start == NPYFile.header(shape: [2, 3, 2]).count)   // 10 + the dict need 2 × 64 bytes
        #expect(bytes.count == start + 4 * values.count)
        #expect(parsed.values.map(\.bitPattern) == values.map(\.bitPattern))
        // Little-endian IEEE bytes: 1.0 is 00 00 80 3F.
        #expect(Array(bytes[(start + 4)..<(start + 8)]) == [0x00, 0x00, 0x80, 0x3F])
        let flat = NPYFile.encode(values, shape: [12])
        #expect(flat.count == 128 + 4 * values.count)
        #expect(Array(flat[128...]) == Array(bytes[start...]))
    }

    @Test(.enabled(if: Python.canImport("numpy"), "numpy not importable by python3: numpy.load check skipped"))
    func numpyLoadsTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let values = (0..<24).map { Float($0) * 0.25 - 2 }
        try AtomicFile.write(NPYFile.encode(values, shape: [2, 3, 4]), to: folder.file("a.npy"))
        let script = """
            import sys, numpy
            a = numpy.load(sys.argv[1], allow_pickle=False)
            print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'], ' '.join(repr(float(x)) for x in a.ravel()))
            """
        let line = try Python.run(script, arguments: [folder.file("a.npy")]).trimmingCharacters(in: .newlines)
        #expect(line == "<f4 (2, 3, 4) True " + values.map { "\(Double($0))" }.joined(separator: " "))
    }
}
