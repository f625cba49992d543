import Foundation
import Spec

#if !_endian(little)
#error("SafeTensors copies host bytes as little-endian data: port the byte copies first")
#endif

/// Element types GenLab writes to safetensors files (the format's names: `F32`, `I64`, …).
public enum SafeTensorDType: String, Sendable, Equatable, CaseIterable {
    case f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64", i32 = "I32", u8 = "U8"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32, .i32: 4
        case .f64, .i64, .u64: 8
        case .u8: 1
        }
    }
}

/// Swift scalars with a safetensors dtype.
public protocol SafeTensorScalar: BitwiseCopyable, Sendable {
    static var safeTensorDType: SafeTensorDType { get }
}
extension Float: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .f32 } }
extension Double: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .f64 } }
extension Int64: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .i64 } }
extension UInt64: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .u64 } }
extension Int32: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .i32 } }
extension UInt8: SafeTensorScalar { public static var safeTensorDType: SafeTensorDType { .u8 } }

/// A malformed safetensors file or tensor; the message names the tensor or field.
public struct SafeTensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "safetensors: \(message)" }
}

/// One tensor: dtype, shape (row-major; `[]` is a scalar) and its little-endian bytes.
public struct SafeTensor: Sendable, Equatable {
    public let dtype: SafeTensorDType
    public let shape: [Int]
    /// `shape.product · dtype.size` little-endian bytes.
    public let data: [UInt8]

    /// Elements the shape holds (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// A tensor from raw little-endian bytes; throws if the size does not match the shape.
    public init(dtype: SafeTensorDType, shape: [Int], data: [UInt8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw SafeTensorsError(message: "negative dimension in shape \(shape)") }
        let expected = shape.reduce(1, *) * dtype.size
        guard data.count == expected else {
            throw SafeTensorsError(message: "\(data.count) bytes for \(dtype.rawValue) shape \(shape), expected \(expected)")
        }
        self.dtype = dtype
        self.shape = shape
        self.data = data
    }

    /// A tensor of `values` with `shape` (the element count must match).
    public init<T: SafeTensorScalar>(_ values: [T], shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "SafeTensor: \(values.count) values do not fill shape \(shape)")
        self.dtype = T.safeTensorDType
        self.shape = shape
        self.data = values.withUnsafeBytes { Array($0) }
    }

    /// The elements as `T`; throws if `T` is not this tensor's dtype.
    public func values<T: SafeTensorScalar>(as type: T.Type = T.self) throws -> [T] {
        guard T.safeTensorDType == dtype else {
            throw SafeTensorsError(message: "tensor is \(dtype.rawValue), asked for \(T.safeTensorDType.rawValue)")
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
    }
}

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON header, then the tensors' raw little-endian bytes.
///
/// Header: `{"__metadata__": {"k": "v"}, "<name>": {"data_offsets": [begin, end], "dtype": "F32",
/// "shape": [..]}, …}` with offsets relative to the end of the header. GenLab writes it with its
/// own JSON writer so the bytes are stable: keys sorted by Unicode scalar values (as Python's
/// `sort_keys`), integers in decimal, no spaces, then padded with spaces so N is a multiple of 8.
/// Data follows in insertion order, tightly packed; `__metadata__` is omitted when empty.
public enum SafeTensors {
    /// A decoded file: tensors by name, their names in data order, and the metadata.
    public struct File: Sendable, Equatable {
        public var tensors: [String: SafeTensor]
        /// Tensor names ordered by their data offsets (the writer's insertion order).
        public var names: [String]
        public var metadata: [String: String]
    }

    /// Encodes `tensors` in the given order, with optional string `metadata`.
    /// Throws on duplicate or reserved (`__metadata__`) names.
    public static func encode(tensors: [(name: String, tensor: SafeTensor)],
                              metadata: [String: String] = [:]) throws -> [UInt8] {
        var bytes = try header(tensors: tensors.map { ($0.name, $0.tensor.dtype, $0.tensor.shape) }, metadata: metadata)
        bytes.reserveCapacity(bytes.count + tensors.reduce(0) { $0 + $1.tensor.data.count })
        for (_, tensor) in tensors { bytes += tensor.data }
        return bytes
    }

    /// Everything before the data of a file holding tensors of these dtypes and shapes, in this
    /// order: the 8-byte header length and the padded header, as `encode` writes them. The tensors'
    /// bytes follow, tightly packed in the same order (for writers that fill the data in place).
    /// Throws on duplicate or reserved (`__metadata__`) names and negative dimensions.
    public static func header(tensors: [(name: String, dtype: SafeTensorDType, shape: [Int])],
                              metadata: [String: String] = [:]) throws -> [UInt8] {
        var seen = Set<String>()
        var offsets = [String: (Int, Int)]()
        var end = 0
        for (name, dtype, shape) in tensors {
            guard name != metadataKey else { throw SafeTensorsError(message: "tensor name \(metadataKey) is reserved") }
            guard seen.insert(name).inserted else { throw SafeTensorsError(message: "duplicate tensor name \(quoted(name))") }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw SafeTensorsError(message: "negative dimension in shape \(shape)") }
            let size = shape.reduce(1, *) * dtype.size
            offsets[name] = (end, end + size)
            end += size
        }

        // Header entries in sorted-key order.
        var entries = [(key: String, value: String)]()
        if !metadata.isEmpty {
            let fields = sortedKeys(metadata.keys).map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            entries.append((metadataKey, "{" + fields.joined(separator: ",") + "}"))
        }
        for (name, dtype, shape) in tensors {
            let (begin, end) = offsets[name]!
            let dimensions = shape.map(String.init).joined(separator: ",")
            entries.append((name, "{\"data_offsets\":[\(begin),\(end)],\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(dimensions)]}"))
        }
        let order = sortedKeys(entries.map(\.key))
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        var header = Array(("{" + order.map { "\(quoted($0)):\(byKey[$0]!)" }.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + header.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        return bytes
    }

    /// Decodes and validates a file: header length within the file, JSON well formed, known
    /// dtypes, non-negative shapes, each tensor's byte range equal to shape × dtype size, and
    /// the ranges tiling the data section exactly (no gaps, overlaps or trailing bytes).
    public static func decode(_ bytes: [UInt8]) throws -> File {
        guard bytes.count >= 8 else { throw SafeTensorsError(message: "file of \(bytes.count) bytes has no header length") }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError(message: "header length \(length) exceeds the \(bytes.count - 8) bytes after it")
        }
        let dataStart = 8 + Int(length)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<dataStart]))
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw SafeTensorsError(message: "header is not valid JSON of the expected form: \(error)")
        }

        let dataCount = bytes.count - dataStart
        var tensors = [String: SafeTensor]()
        var ranges = [(name: String, begin: Int, end: Int)]()
        for (name, entry) in header.entries {
            guard let dtype = SafeTensorDType(rawValue: entry.dtype) else {
                throw SafeTensorsError(message: "tensor \(quoted(name)): unsupported dtype \(entry.dtype)")
            }
            guard entry.data_offsets.count == 2 else {
                throw SafeTensorsError(message: "tensor \(quoted(name)): data_offsets must have 2 entries")
            }
            let (begin, end) = (entry.data_offsets[0], entry.data_offsets[1])
            guard begin >= 0, begin <= end, end <= dataCount else {
                throw SafeTensorsError(message: "tensor \(quoted(name)): data_offsets [\(begin), \(end)] outside the \(dataCount) data bytes")
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError(message: "tensor \(quoted(name)): negative dimension in shape \(entry.shape)")
            }
            let (elements, overflow) = entry.shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            let (size, overflow2) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, !overflow2, size == end - begin else {
                throw SafeTensorsError(message: "tensor \(quoted(name)): \(end - begin) bytes for \(dtype.rawValue) shape \(entry.shape)")
            }
            tensors[name] = try SafeTensor(dtype: dtype, shape: entry.shape,
                                           data: Array(bytes[(dataStart + begin)..<(dataStart + end)]))
            ranges.append((name, begin, end))
        }
        ranges.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        for range in ranges {
            guard range.begin == covered else {
                throw SafeTensorsError(message: "tensor \(quoted(range.name)) starts at \(range.begin), expected \(covered) (gap or overlap)")
            }
            covered = range.end
        }
        guard covered == dataCount else {
            throw SafeTensorsError(message: "tensors cover \(covered) of \(dataCount) data bytes")
        }
        return File(tensors: tensors, names: ranges.map(\.name), metadata: header.metadata)
    }

    // MARK: - Header JSON

    private static let metadataKey = "__metadata__"

    /// Keys in Unicode-scalar order, the order of Python's `json.dumps(sort_keys=True)`.
    private static func sortedKeys<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
    }

    /// `s` as a JSON string literal (the same escaping as every JSON file GenLab writes).
    private static func quoted(_ s: String) -> String { JSONWriter.quoted(s) }

    /// The decoded header: tensor entries plus the optional string metadata.
    private struct Header: Decodable {
        struct Entry: Decodable {
            let dtype: String
            let shape: [Int]
            let data_offsets: [Int]
        }

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var entries: [(String, Entry)] = []
        var metadata: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if key.stringValue == SafeTensors.metadataKey {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries.append((key.stringValue, try container.decode(Entry.self, forKey: key)))
                }
            }
        }
    }
}
