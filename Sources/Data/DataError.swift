/// Why a data set could not be loaded. Every file problem names the file; the runner shows
/// `description` to the user as is.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist (for a folder of IDX files: neither `NAME.gz` nor `NAME`).
    case missingFile(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file starts like gzip but zlib rejects it.
    case corruptGzip(path: String, reason: String)
    /// The file (or its gzip stream) ends before the data its header announces.
    case truncated(path: String, detail: String)
    /// The IDX magic number is not the expected one (wrong file, or not IDX at all).
    case badMagic(path: String, expected: UInt32, found: UInt32)
    /// The file holds more bytes than its header announces.
    case trailingBytes(path: String, expected: Int, found: Int)
    /// An image file and its label file disagree on the number of examples.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// Train and test images have different shapes.
    case shapeMismatch(path: String, expected: [Int], found: [Int])
    /// A parameter of the data source is out of range (the spec validator should catch these first).
    case invalidSource(String)
    /// An image file that cannot be decoded or used (truncated, not a PNG, the wrong size).
    case badImage(path: String, reason: String)
    /// A folder of images laid out in a way GenLab cannot read (empty, mixed, nested).
    case badLayout(path: String, detail: String)
    /// An array file of the wrong form: not `.npy`/safetensors, the wrong shape, dtype or range.
    case badArray(path: String, reason: String)
    /// `train_size` or `test_size` asks for more examples than the split holds.
    case notEnoughExamples(path: String, split: String, requested: Int, available: Int, detail: String?)

    /// The file the error is about, if any (the image file for a count mismatch).
    public var path: String? {
        switch self {
        case .missingFile(let p), .unreadable(let p, _), .corruptGzip(let p, _), .truncated(let p, _),
             .badMagic(let p, _, _), .trailingBytes(let p, _, _), .shapeMismatch(let p, _, _),
             .badImage(let p, _), .badLayout(let p, _), .badArray(let p, _), .notEnoughExamples(let p, _, _, _, _):
            return p
        case .countMismatch(let images, _, _, _):
            return images
        case .invalidSource:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let p):
            return "\(p): no such file"
        case .unreadable(let p, let reason):
            return "\(p): cannot read: \(reason)"
        case .corruptGzip(let p, let reason):
            return "\(p): not a valid gzip file: \(reason)"
        case .truncated(let p, let detail):
            return "\(p): truncated: \(detail)"
        case .badMagic(let p, let expected, let found):
            return "\(p): bad IDX magic number \(hex(found)), expected \(hex(expected)) "
                + "(\(idxKind(expected))); is this the right IDX file?"
        case .trailingBytes(let p, let expected, let found):
            return "\(p): \(found) bytes, but the IDX header describes \(expected)"
        case .countMismatch(let ip, let images, let lp, let labels):
            return "\(ip) holds \(images) images but \(lp) holds \(labels) labels"
        case .shapeMismatch(let p, let expected, let found):
            return "\(p): images of shape \(found), expected \(expected) like the training images"
        case .invalidSource(let message):
            return "invalid data source: \(message)"
        case .badImage(let p, let reason):
            return "\(p): \(reason)"
        case .badLayout(let p, let detail):
            return "\(p) \(detail)"
        case .badArray(let p, let reason):
            return "\(p): \(reason)"
        case .notEnoughExamples(let p, let split, let requested, let available, let detail):
            return "\(p): the \(split) split holds \(available) example\(available == 1 ? "" : "s"), fewer than the \(requested) asked for"
                + (detail.map { " (\($0))" } ?? "")
        }
    }
}

private func hex(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

private func idxKind(_ magic: UInt32) -> String {
    let type = (magic >> 8) & 0xff
    let dims = magic & 0xff
    let typeName = type == 0x08 ? "unsigned bytes" : "type 0x" + String(type, radix: 16)
    return "\(typeName), \(dims) dimension\(dims == 1 ? "" : "s")"
}
