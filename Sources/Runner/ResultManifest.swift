import Foundation
import Report
import Spec

/// `SHA256SUMS` of an experiment's results folder: one `<sha256>  <relative path>` line per
/// result file and figure, sorted by path — the format `sha256sum -c` checks. Left out: what is
/// not reproducible or not committed (`timing.json`, checkpoints, claims, failures, Slurm logs,
/// temporary files, damaged runs set aside), TensorBoard's event files and the manifest itself.
public struct ResultManifest: Sendable, Equatable {
    public static let fileName = "SHA256SUMS"
    /// Relative path → hex digest.
    public var entries: [String: String]

    public init(entries: [String: String]) { self.entries = entries }

    /// Whether `relative` (a path inside an experiment folder) belongs in the manifest.
    public static func includes(_ relative: String) -> Bool {
        let name = PathText.lastComponent(relative)
        if name.hasPrefix(".") || name == fileName { return false }
        if ["timing.json", "claim.json", "failure.json", "checkpoint.safetensors"].contains(name) { return false }
        // TensorBoard's event files repeat metrics.jsonl and the figures; results committed before
        // runs wrote them must still verify.
        if name.contains("tfevents") { return false }
        if relative.hasPrefix("slurm/") || relative.hasPrefix("damaged/") { return false }
        return true
    }

    /// Hashes every included regular file under `folder`.
    public static func compute(folder: String) throws -> ResultManifest {
        var entries: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return ResultManifest(entries: [:]) }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory),
                  !isDirectory.boolValue, includes(relative) else { continue }
            let bytes = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: folder + "/" + relative)))
            entries[relative] = SHA256Text.hex(bytes)
        }
        return ResultManifest(entries: entries)
    }

    /// The `sha256sum` text, sorted by path (byte order).
    public var text: String {
        entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { "\(entries[$0]!)  \($0)\n" }.joined()
    }

    /// Writes `folder/SHA256SUMS` atomically.
    public func write(folder: String) throws {
        try AtomicFile.write(text, to: folder + "/" + Self.fileName)
    }

    /// Parses `sha256sum` text; nil when a line is malformed.
    public init?(text: String) {
        var entries: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" ") else { return nil }
            entries[String(parts[1].dropFirst())] = String(parts[0])
        }
        self.entries = entries
    }

    /// Paths whose digests differ, are missing from `other`, or are new in it, sorted.
    public func differences(from other: ResultManifest) -> [String] {
        Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }.sorted()
    }
}
