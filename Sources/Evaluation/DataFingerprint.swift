import Data
import Spec

/// The content of a data set as one SHA-256: both splits' example shapes, counts, examples (as
/// the float32 values the models see, so an image folder, an array and an IDX file holding the
/// same pixels agree) and labels. Keys what is computed from the data alone — the evaluation
/// classifier — so it is shared wherever the same data are, whatever the path or spec.
public enum DataFingerprint {
    /// Bumped when what is hashed changes.
    static let format = "genlab-data-fingerprint-1"

    /// The lowercase hex SHA-256 of `splits`.
    public static func of(_ splits: DataSplits) -> String {
        var stream = SHA256Text.Stream()
        stream.update(format + "\n")
        for (name, split) in [("train", splits.train), ("test", splits.test)] {
            stream.update("\(name) \(split.exampleShape) \(split.count) labels:\(split.labels != nil)\n")
            let chunk = 1024, size = split.exampleSize
            var values = [Float](repeating: 0, count: chunk * size)
            for start in stride(from: 0, to: split.count, by: chunk) {
                let indices = Array(start ..< min(start + chunk, split.count))
                values.withUnsafeMutableBufferPointer { out in indices.withUnsafeBufferPointer { split.gather($0, into: out.baseAddress!) } }
                values.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0.prefix(indices.count * size * 4))) }
            }
            split.labels?.withUnsafeBytes { stream.update($0) }
        }
        return stream.hex()
    }
}
