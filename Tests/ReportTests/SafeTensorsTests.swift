import Formats
import Foundation
import Report
import Testing

/// Tensors covering every dtype, a scalar, an empty tensor and awkward names, in an order that
/// is not sorted (so data order ≠ header key order).
private func sampleTensors() -> [(name: String, tensor: SafeTensor)] {
    [
        ("decoder.weight", SafeTensor([Float(0.5), -1.25, 0.1, 3, 1e-3, -0.0], shape: [2, 3])),
        ("adam.step", SafeTensor([Int64(-9_223_372_036_854_775_808), 9_223_372_036_854_775_807], shape: [2])),
        ("encoder.bias", SafeTensor([Double(0.1), -2.5, 1e-10], shape: [3])),
        ("counts", SafeTensor([UInt64.max, 0, 42], shape: [3, 1])),
        ("labels", SafeTensor([Int32(-7), 7, 2_147_483_647, -2_147_483_648], shape: [2, 2])),
        ("mask", SafeTensor([UInt8(0), 1, 255], shape: [3])),
        ("epoch", SafeTensor([Int64(12)], shape: [])),
        ("empty", SafeTensor([Float](), shape: [0, 4])),
        ("ünï \"quoted\"\\\n", SafeTensor([Float(2)], shape: [1])),
    ]
}

private let sampleMetadata = ["format": "pt", "genlab.run": "a1b2c3", "note": "tab\there ✓"]

/// What a Python reader prints per tensor: `name|dtype|shape|values`, values as Python reprs.
private func expectedListing(_ tensors: [(name: String, tensor: SafeTensor)]) throws -> [String] {
    try tensors.map { name, tensor in
        let values: [String]
        switch tensor.dtype {
        case .f32: values = try tensor.values(as: Float.self).map { "\(Double($0))" }
        case .f64: values = try tensor.values(as: Double.self).map { "\($0)" }
        case .i64: values = try tensor.values(as: Int64.self).map { "\($0)" }
        case .u64: values = try tensor.values(as: UInt64.self).map { "\($0)" }
        case .i32: values = try tensor.values(as: Int32.self).map { "\($0)" }
        case .u8: values = try tensor.values(as: UInt8.self).map { "\($0)" }
        }
        let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
        return "\(name.debugDescription)|\(tensor.dtype.rawValue)|\(shape)|\(values.joined(separator: " "))"
    }.sorted()
}

/// Python side of the listing (shared by the numpy and safetensors readers).
private let pythonListing = #"""
import json, sys
def fmt(v):
    return repr(float(v)) if isinstance(v, float) else str(v)
def listing(arrays, dtypes):
    rows = []
    for name, arr in arrays.items():
        rows.append('%s|%s|%s|%s' % (json.dumps(name, ensure_ascii=False), dtypes[name], list(arr.shape),
                                     ' '.join(fmt(v) for v in arr.ravel().tolist())))
    for row in sorted(rows): print(row)
"""#

/// numpy only: the header parsed with `json`, each tensor read with `np.frombuffer`.
private let pythonNumpyReader = pythonListing + "\n" + #"""
import struct, numpy as np
data = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', data[:8])
assert n % 8 == 0, 'header length %d not aligned' % n
header = json.loads(data[8:8 + n].decode('utf-8'))
meta = header.pop('__metadata__', {})
kinds = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'U64': '<u8', 'I32': '<i4', 'U8': 'u1'}
arrays, dtypes = {}, {}
for name, e in header.items():
    b, end = e['data_offsets']
    arrays[name] = np.frombuffer(data[8 + n + b:8 + n + end], dtype=kinds[e['dtype']]).reshape(e['shape'])
    dtypes[name] = e['dtype']
print(json.dumps(meta, sort_keys=True, ensure_ascii=False))
listing(arrays, dtypes)
"""#

/// The reference implementation (`pip install safetensors`).
private let pythonSafetensorsReader = pythonListing + "\n" + #"""
from safetensors import safe_open
from safetensors.numpy import load_file
arrays = load_file(sys.argv[1])
names = {'float32': 'F32', 'float64': 'F64', 'int64': 'I64', 'uint64': 'U64', 'int32': 'I32', 'uint8': 'U8'}
with safe_open(sys.argv[1], framework='np') as f:
    print(json.dumps(f.metadata() or {}, sort_keys=True, ensure_ascii=False))
listing(arrays, {k: names[str(v.dtype)] for k, v in arrays.items()})
"""#

private func headerText(_ bytes: [UInt8]) -> (length: Int, json: String) {
    let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    return (length, String(decoding: bytes[8..<(8 + length)], as: UTF8.self))
}

@Suite struct SafeTensorsTests {
    @Test func roundTripKeepsTensorsOrderAndMetadata() throws {
        let tensors = sampleTensors()
        let bytes = try SafeTensors.encode(tensors: tensors, metadata: sampleMetadata)
        let file = try SafeTensors.decode(bytes)
        #expect(file.names == tensors.map(\.name))
        #expect(file.metadata == sampleMetadata)
        for (name, tensor) in tensors {
            #expect(file.tensors[name] == tensor, "tensor \(name)")
        }
        #expect(try file.tensors["decoder.weight"]!.values(as: Float.self) == [0.5, -1.25, 0.1, 3, 1e-3, -0.0])
        #expect(try file.tensors["epoch"]!.values(as: Int64.self) == [12])
        #expect(throws: SafeTensorsError.self) { _ = try file.tensors["epoch"]!.values(as: Float.self) }
    }

    @Test func headerIsAlignedSortedAndStable() throws {
        let bytes = try SafeTensors.encode(tensors: sampleTensors(), metadata: sampleMetadata)
        let (length, json) = headerText(bytes)
        #expect(length % 8 == 0)
        #expect(json.hasPrefix("{\"__metadata__\":{\"format\":\"pt\",\"genlab.run\":\"a1b2c3\",\"note\":\"tab\\there ✓\"},\"adam.step\":"))
        #expect(json.contains("\"decoder.weight\":{\"data_offsets\":[0,24],\"dtype\":\"F32\",\"shape\":[2,3]}"))
        #expect(json.contains("\"adam.step\":{\"data_offsets\":[24,40],\"dtype\":\"I64\",\"shape\":[2]}"))
        #expect(json.contains("\"epoch\":{\"data_offsets\":[107,115],\"dtype\":\"I64\",\"shape\":[]}"))
        #expect(json.contains("\"empty\":{\"data_offsets\":[115,115],\"dtype\":\"F32\",\"shape\":[0,4]}"))
        #expect(json.contains("\"ünï \\\"quoted\\\"\\\\\\n\":"))
        #expect(json.trimmingCharacters(in: .whitespaces).hasSuffix("}"))
        #expect(bytes.count == 8 + length + 119)
        #expect(try SafeTensors.encode(tensors: sampleTensors(), metadata: sampleMetadata) == bytes)

        // Every header length is padded to a multiple of 8, and no metadata means no key.
        for nameLength in 1...9 {
            let one = try SafeTensors.encode(tensors: [(String(repeating: "w", count: nameLength), SafeTensor([Float(1)], shape: [1]))])
            let (n, text) = headerText(one)
            #expect(n % 8 == 0 && !text.contains("__metadata__"))
            #expect(try SafeTensors.decode(one).names == [String(repeating: "w", count: nameLength)])
        }
    }

    /// `header(tensors:)` is `encode`'s file up to the data, so a writer can fill the data in place.
    @Test func headerIsTheEncodedFileBeforeItsData() throws {
        let tensors = sampleTensors()
        let bytes = try SafeTensors.encode(tensors: tensors, metadata: sampleMetadata)
        let header = try SafeTensors.header(tensors: tensors.map { ($0.name, $0.tensor.dtype, $0.tensor.shape) },
                                            metadata: sampleMetadata)
        #expect(header == Array(bytes.prefix(header.count)))
        #expect(bytes.count == header.count + tensors.reduce(0) { $0 + $1.tensor.data.count })
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.header(tensors: [("a", .f32, [-1])]) }
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.header(tensors: [("a", .f32, [1]), ("a", .u8, [2])]) }
    }

    @Test func encoderRejectsDuplicateAndReservedNames() throws {
        let t = SafeTensor([Float(1)], shape: [1])
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.encode(tensors: [("a", t), ("a", t)]) }
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.encode(tensors: [("__metadata__", t)]) }
        #expect(throws: SafeTensorsError.self) { _ = try SafeTensor(dtype: .f32, shape: [2], data: [0, 0, 0, 0]) }
    }

    /// Files the reader must refuse, each built by editing a valid file's header.
    @Test func decoderValidatesOffsetsAndSizes() throws {
        func file(_ header: String, data: Int) -> [UInt8] {
            var h = Array(header.utf8)
            h += [UInt8](repeating: 0x20, count: (8 - h.count % 8) % 8)
            var bytes = [UInt8]()
            withUnsafeBytes(of: UInt64(h.count).littleEndian) { bytes += $0 }
            return bytes + h + [UInt8](repeating: 0, count: data)
        }
        let valid = file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 8)
        #expect(try SafeTensors.decode(valid).tensors["a"]?.values(as: Float.self) == [0, 0])

        let invalid: [(String, [UInt8])] = [
            ("too short", [1, 0, 0]),
            ("header past end", Array(valid.prefix(20))),
            ("not JSON", file("{\"a\":", data: 0)),
            ("unknown dtype", file(#"{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, data: 4)),
            ("size mismatch", file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8)),
            ("offset past data", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: 8)),
            ("reversed offsets", file(#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}"#, data: 8)),
            ("negative dimension", file(#"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}"#, data: 0)),
            ("gap", file(#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, data: 4)),
            ("overlap", file(#"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, data: 4)),
            ("trailing bytes", file(#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, data: 3)),
            ("metadata not strings", file(#"{"__metadata__":{"k":1}}"#, data: 0)),
            ("overflowing shape", file(#"{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#, data: 0)),
        ]
        for (what, bytes) in invalid {
            #expect(throws: SafeTensorsError.self, "\(what)") { _ = try SafeTensors.decode(bytes) }
        }
    }

    @Test(.enabled(if: Python.canImport("numpy"), "numpy not importable by python3: numpy reader check skipped"))
    func numpyReadsTheSameTensors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("checkpoint.safetensors")
        try AtomicFile.write(try SafeTensors.encode(tensors: sampleTensors(), metadata: sampleMetadata), to: path)

        let lines = try Python.run(pythonNumpyReader, arguments: [path]).split(separator: "\n").map(String.init)
        #expect(lines.first == #"{"format": "pt", "genlab.run": "a1b2c3", "note": "tab\there ✓"}"#)
        #expect(Array(lines.dropFirst()) == (try expectedListing(sampleTensors())))
    }

    @Test(.enabled(if: Python.canImport("safetensors.numpy"),
                   "pip package safetensors not importable by python3: reference reader check skipped"))
    func referenceSafetensorsReadsTheSameTensors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("checkpoint.safetensors")
        try AtomicFile.write(try SafeTensors.encode(tensors: sampleTensors(), metadata: sampleMetadata), to: path)

        let lines = try Python.run(pythonSafetensorsReader, arguments: [path]).split(separator: "\n").map(String.init)
        #expect(lines.first == #"{"format": "pt", "genlab.run": "a1b2c3", "note": "tab\there ✓"}"#)
        #expect(Array(lines.dropFirst()) == (try expectedListing(sampleTensors())))
    }
}
