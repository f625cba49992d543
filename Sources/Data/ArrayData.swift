import Formats
import Foundation

/// Examples from array files (`"dataset": "array"`): a `.npy` file as `numpy.save` writes it, or a
/// `.safetensors` file with a tensor `images` or `points` and optionally `labels`.
///
/// Shapes: `[N, 2]` are 2-D points; `[N, H, W]` grey images; `[N, C, H, W]` (C = 1 or 3, checked
/// first) or `[N, H, W, C]` colour or grey images. Image elements are `uint8` (0–255) or floats in
/// [0, 1]; points are floats. Labels are whole numbers from 0, one per example (`[N]`), from the
/// safetensors file's `labels` tensor or a separate `.npy`. The test split is a second file, or
/// else a `SeededSplit` of the first.
public enum ArrayData {
    /// The files of a data set.
    public struct Files: Sendable, Hashable {
        public var path: String
        /// A `.npy` of labels for `path` (a safetensors file may hold its own `labels`).
        public var labels: String?
        public var testPath: String?
        public var testLabels: String?

        public init(path: String, labels: String? = nil, testPath: String? = nil, testLabels: String? = nil) {
            self.path = path
            self.labels = labels
            self.testPath = testPath
            self.testLabels = testLabels
        }
    }

    /// The largest label accepted: labels are classes, and figures draw a row per class.
    public static let maxLabel = 9999

    /// Loads the train and test splits.
    public static func load(_ files: Files, trainLimit: Int?, testLimit: Int?, seed: UInt64) throws(DataError)
        -> (train: any Dataset, test: any Dataset)
    {
        let first = try examples(path: files.path, labelsPath: files.labels)
        if let testPath = files.testPath {
            let second = try examples(path: testPath, labelsPath: files.testLabels)
            guard second.shape == first.shape, second.isImage == first.isImage else {
                throw .badArray(path: testPath, reason: "holds examples of shape \(second.shape), but \(files.path) holds \(first.shape)")
            }
            guard (second.labels == nil) == (first.labels == nil) else {
                throw .badArray(path: testPath, reason: "\(second.labels == nil ? "has no" : "has") labels but \(files.path) \(first.labels == nil ? "has none" : "has them")")
            }
            let trainCount = try SeededSplit.limit(first.count, to: trainLimit, split: "train", path: files.path)
            let testCount = try SeededSplit.limit(second.count, to: testLimit, split: "test", path: testPath)
            return (first.dataset(Array(0..<trainCount)), second.dataset(Array(0..<testCount)))
        }
        let testCount = try SeededSplit.testCount(of: first.count, requested: testLimit, path: files.path)
        let testSet = SeededSplit.testIndices(count: first.count, testCount: testCount, seed: seed)
        let train = (0..<first.count).filter { !testSet.contains($0) }
        let trainCount = try SeededSplit.limit(train.count, to: trainLimit, split: "train", path: files.path)
        return (first.dataset(Array(train.prefix(trainCount))), first.dataset((0..<first.count).filter(testSet.contains)))
    }

    /// One file's examples, in memory as bytes or floats.
    struct Examples {
        var count: Int
        /// `[C, H, W]` or `[2]`.
        var shape: [Int]
        var isImage: Bool
        var bytes: [UInt8]?
        var floats: [Float]?
        var labels: [Int32]?

        /// The examples at `indices` as a data set.
        func dataset(_ indices: [Int]) -> any Dataset {
            let size = shape.reduce(1, *)
            let kept = labels.map { labels in indices.map { labels[$0] } }
            if let bytes {
                var out = [UInt8](); out.reserveCapacity(indices.count * size)
                for i in indices { out += bytes[i * size ..< (i + 1) * size] }
                return ByteImageDataset(pixels: out, exampleShape: shape, labels: kept)
            }
            let floats = floats ?? []
            var out = [Float](); out.reserveCapacity(indices.count * size)
            for i in indices { out += floats[i * size ..< (i + 1) * size] }
            return PointDataset(values: out, exampleShape: shape, labels: kept)
        }
    }

    /// Reads `path` (and `labelsPath`) into examples, checking shape, dtype, range and labels.
    static func examples(path: String, labelsPath: String?) throws(DataError) -> Examples {
        var (array, labels) = try read(path)
        if let labelsPath {
            guard labels == nil else { throw .badArray(path: labelsPath, reason: "\(path) has its own labels tensor; give one or the other") }
            guard labelsPath.lowercased().hasSuffix(".npy") else { throw .badArray(path: labelsPath, reason: "labels must be a .npy file") }
            labels = try npy(labelsPath)
        }
        let shape = array.shape
        guard let n = shape.first, n >= 1 else { throw .badArray(path: path, reason: "holds no examples (shape \(shape))") }
        var examples: Examples
        switch shape.count {
        case 2 where shape[1] == 2:
            guard array.element.isFloat else {
                throw .badArray(path: path, reason: "holds \(array.element.numpyName) points; points must be float32 or float64")
            }
            let values = array.floats()
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw .badArray(path: path, reason: "point \(bad / 2) is not finite")
            }
            examples = Examples(count: n, shape: [2], isImage: false, floats: values)
        case 3, 4:
            let (c, h, w, channelsLast) = try imageShape(shape, path: path)
            var values = try imageValues(array, path: path)
            if channelsLast { values.transposeToPlanar(count: n, channels: c, pixels: h * w) }
            examples = Examples(count: n, shape: [c, h, w], isImage: true, bytes: values.bytes, floats: values.floats)
        default:
            throw .badArray(path: path, reason: "has shape \(shape); expected points [N, 2] or images [N, H, W], [N, C, H, W] or [N, H, W, C] with C = 1 or 3")
        }
        if let labels {
            let where_ = labelsPath ?? path
            guard labels.shape == [n] else {
                throw .badArray(path: where_, reason: "holds labels of shape \(labels.shape), but \(path) holds \(n) examples (expected [\(n)])")
            }
            let values = labels.integers()
            if let bad = values.firstIndex(where: { $0 < 0 || $0 > Int64(maxLabel) }) {
                throw .badArray(path: where_, reason: "label \(bad) is \(values[bad] == Int64.min ? "not a whole number" : String(values[bad])); labels are whole numbers 0…\(maxLabel)")
            }
            examples.labels = values.map { Int32($0) }
        }
        return examples
    }

    /// The examples (and labels) of a `.npy` or `.safetensors` file.
    private static func read(_ path: String) throws(DataError) -> (NPYArray, NPYArray?) {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") { return (try npy(path), nil) }
        guard lower.hasSuffix(".safetensors") else {
            throw .badArray(path: path, reason: "is neither a .npy nor a .safetensors file")
        }
        let file: SafeTensors.File, contents = try bytes(path)
        do { file = try SafeTensors.decode(contents) } catch {
            throw .badArray(path: path, reason: "is not a readable safetensors file (\(error))")
        }
        let names = ["images", "points"].filter { file.tensors[$0] != nil }
        guard names.count == 1, let tensor = file.tensors[names[0]] else {
            throw .badArray(path: path, reason: "holds tensors \(file.names.sorted()); expected exactly one of \"images\" and \"points\" (and optionally \"labels\")")
        }
        return (try array(tensor, path: path), try file.tensors["labels"].map { t throws(DataError) in try array(t, path: path) })
    }

    private static func npy(_ path: String) throws(DataError) -> NPYArray {
        let contents = try bytes(path)
        do { return try NPYArray.decode(contents) } catch {
            throw .badArray(path: path, reason: error.phrase)
        }
    }

    private static func bytes(_ path: String) throws(DataError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "the file cannot be read") }
        return Array(data)
    }

    private static func array(_ tensor: SafeTensor, path: String) throws(DataError) -> NPYArray {
        let element: NPYArray.Element = switch tensor.dtype {
        case .u8: .u8
        case .i32: .i32
        case .i64: .i64
        case .u64: .u64
        case .f32: .f32
        case .f64: .f64
        }
        return NPYArray(element: element, shape: tensor.shape, data: tensor.data)
    }

    /// C, H, W of an image array and whether its channels come last.
    private static func imageShape(_ shape: [Int], path: String) throws(DataError) -> (Int, Int, Int, Bool) {
        if shape.count == 3 { return (1, shape[1], shape[2], false) }
        if [1, 3].contains(shape[1]) { return (shape[1], shape[2], shape[3], false) }
        if [1, 3].contains(shape[3]) { return (shape[3], shape[1], shape[2], true) }
        throw .badArray(path: path, reason: "has shape \(shape); images need 1 or 3 channels, as [N, C, H, W] or [N, H, W, C]")
    }

    /// Image elements as bytes (uint8, or integers in 0…255) or floats in [0, 1].
    private static func imageValues(_ array: NPYArray, path: String) throws(DataError) -> ImageValues {
        if array.element == .u8 { return ImageValues(bytes: array.data) }
        if array.element.isFloat {
            let values = array.floats()
            if let bad = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw .badArray(path: path, reason: "element \(bad) is \(values[bad]); float images must lie in [0, 1] (divide uint8 pixels by 255, or save them as uint8)")
            }
            return ImageValues(floats: values)
        }
        guard array.element != .bool else { throw .badArray(path: path, reason: "holds bool elements; images are uint8 or float") }
        let values = array.integers()
        if let bad = values.firstIndex(where: { $0 < 0 || $0 > 255 }) {
            throw .badArray(path: path, reason: "element \(bad) is \(values[bad]); integer images must lie in 0…255")
        }
        return ImageValues(bytes: values.map { UInt8($0) })
    }

    /// Image elements in memory, bytes or floats.
    private struct ImageValues {
        var bytes: [UInt8]?
        var floats: [Float]?

        /// (N, H·W, C) → (N, C, H·W).
        mutating func transposeToPlanar(count: Int, channels: Int, pixels: Int) {
            func planar<T>(_ values: [T]) -> [T] {
                var out = values
                for n in 0..<count {
                    let base = n * pixels * channels
                    for p in 0..<pixels { for c in 0..<channels { out[base + c * pixels + p] = values[base + p * channels + c] } }
                }
                return out
            }
            if let bytes { self.bytes = planar(bytes) }
            if let floats { self.floats = planar(floats) }
        }
    }
}
