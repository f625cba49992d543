/// TensorBoard's event files, written by hand: `Event` protocol buffers (tensorflow/core/util/
/// event.proto, summary.proto) in TFRecord framing — for each record, its length as a
/// little-endian UInt64, the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the
/// data. TensorBoard reads a folder's files named `*tfevents*`.
///
/// Only what GenLab writes: the file-version event, scalar summaries (`simple_value`, a 32-bit
/// float) and image summaries (an encoded PNG). No dependency on protobuf: the fields are few and
/// fixed, and the bytes are then a function of the values alone.
public enum TensorBoardEvents {
    /// The first event of every file.
    public static let fileVersion = "brain.Event:2"

    /// An event's payload.
    public enum Payload: Sendable, Equatable {
        case fileVersion(String)
        case scalar(tag: String, value: Float)
        case image(tag: String, png: [UInt8], width: Int, height: Int, channels: Int)
    }

    /// One event: when (wall time in seconds since the Unix epoch), at which training step, what.
    public struct Event: Sendable, Equatable {
        public var wallTime: Double
        public var step: Int64
        public var payload: Payload

        public init(wallTime: Double, step: Int64, payload: Payload) {
            self.wallTime = wallTime
            self.step = step
            self.payload = payload
        }

        /// The `Event` message's bytes.
        public var encoded: [UInt8] {
            var out: [UInt8] = []
            out.append(0x09)                                    // 1: wall_time, fixed64
            withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { out += $0 }
            out.append(0x10)                                    // 2: step, varint
            Protobuf.varint(UInt64(bitPattern: step), into: &out)
            switch payload {
            case .fileVersion(let version):
                Protobuf.lengthDelimited(3, Array(version.utf8), into: &out)
            case .scalar(let tag, let value):
                var item: [UInt8] = []
                Protobuf.lengthDelimited(1, Array(tag.utf8), into: &item)     // Value.tag
                item.append(0x15)                                             // Value.simple_value, fixed32
                withUnsafeBytes(of: value.bitPattern.littleEndian) { item += $0 }
                out += summary(item)
            case .image(let tag, let png, let width, let height, let channels):
                var image: [UInt8] = []
                image.append(0x08); Protobuf.varint(UInt64(height), into: &image)     // Image.height
                image.append(0x10); Protobuf.varint(UInt64(width), into: &image)      // Image.width
                image.append(0x18); Protobuf.varint(UInt64(channels), into: &image)   // Image.colorspace
                Protobuf.lengthDelimited(4, png, into: &image)                        // Image.encoded_image_string
                var item: [UInt8] = []
                Protobuf.lengthDelimited(1, Array(tag.utf8), into: &item)
                Protobuf.lengthDelimited(4, image, into: &item)                       // Value.image
                out += summary(item)
            }
            return out
        }

        /// Field 5 (`summary`) holding one `Summary.value`.
        private func summary(_ value: [UInt8]) -> [UInt8] {
            var summary: [UInt8] = []
            Protobuf.lengthDelimited(1, value, into: &summary)
            var out: [UInt8] = []
            Protobuf.lengthDelimited(5, summary, into: &out)
            return out
        }
    }

    /// `data` framed as one TFRecord.
    public static func record(_ data: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { length += $0 }
        var out = length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { out += $0 }
        out += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out += $0 }
        return out
    }

    /// The records of a file's bytes, in order, as (offset, data), up to the first record that is
    /// cut short or fails its checks (what a killed writer can leave at the end).
    public static func records(in bytes: [UInt8]) -> [(offset: Int, data: [UInt8])] {
        var out: [(Int, [UInt8])] = []
        var at = 0
        func word<T: FixedWidthInteger>(_ type: T.Type, _ offset: Int) -> T {
            var value: T = 0
            for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
            return value
        }
        while at + 12 <= bytes.count {
            let length = word(UInt64.self, at)
            guard CRC32C.masked(bytes[at..<(at + 8)]) == word(UInt32.self, at + 8),
                  length <= UInt64(bytes.count - at - 16) else { break }
            let start = at + 12, end = start + Int(length)
            guard CRC32C.masked(bytes[start..<end]) == word(UInt32.self, end) else { break }
            out.append((at, Array(bytes[start..<end])))
            at = end + 4
        }
        return out
    }

    /// Whether an event's data (as `records` returns it) is an image summary.
    public static func isImage(_ data: [UInt8]) -> Bool {
        // Event.summary (5) → Summary.value (1) → Value.image (4): look for the image field
        // inside the one value, after the tag.
        guard let summary = Protobuf.field(5, in: data), let value = Protobuf.field(1, in: summary) else { return false }
        return Protobuf.field(4, in: value) != nil
    }
}

/// The few protocol-buffer wire-format pieces the event files need.
enum Protobuf {
    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func lengthDelimited(_ field: UInt64, _ bytes: [UInt8], into out: inout [UInt8]) {
        varint(field << 3 | 2, into: &out)
        varint(UInt64(bytes.count), into: &out)
        out += bytes
    }

    /// The bytes of the first length-delimited `field` of a message (nil if none or malformed).
    static func field(_ field: UInt64, in message: [UInt8]) -> [UInt8]? {
        var at = 0
        func readVarint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while at < message.count, shift < 64 {
                let byte = message[at]
                at += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while at < message.count {
            guard let key = readVarint() else { return nil }
            switch key & 7 {
            case 0: guard readVarint() != nil else { return nil }
            case 1: at += 8
            case 5: at += 4
            case 2:
                guard let length = readVarint(), length <= UInt64(message.count - at) else { return nil }
                if key >> 3 == field { return Array(message[at..<(at + Int(length))]) }
                at += Int(length)
            default: return nil
            }
        }
        return nil
    }
}
