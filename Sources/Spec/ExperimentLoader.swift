import Foundation

/// Reads experiment files into typed, expanded `Experiment`s. Throws only `SpecError`.
public enum ExperimentLoader {
    /// Reads and parses the file at `path` (named `path` in errors).
    public static func load(path: String) throws -> Experiment {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SpecError(file: path, path: "", expected: "a readable JSON file", found: "no such file")
        }
        if isDirectory.boolValue {
            throw SpecError(file: path, path: "", expected: "a readable JSON file", found: "a directory")
        }
        // The size first, so that a huge file is refused without being read.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(SpecLimits.maxFileBytes) {
            throw tooLarge(path, bytes: Int(clamping: size.int64Value))
        }
        // At most one byte past the limit is read, so a device or pipe without end (/dev/zero)
        // is refused too.
        let unreadable = SpecError(file: path, path: "", expected: "a readable JSON file", found: "an unreadable file")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: SpecLimits.maxFileBytes + 1) ?? Data() } catch { throw unreadable }
        if data.count > SpecLimits.maxFileBytes {
            throw SpecError(file: path, path: "", expected: "an experiment file of at most \(SpecLimits.maxFileBytes) bytes (1 MiB)",
                            found: "more than \(SpecLimits.maxFileBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, path: "", expected: "a readable JSON file", found: "bytes that are not UTF-8")
        }
        return try parse(text: text, file: path)
    }

    /// Parses, validates and expands an experiment document; `file` names it in errors. A text
    /// over `SpecLimits.maxFileBytes` of UTF-8 is refused before parsing.
    public static func parse(text: String, file: String) throws -> Experiment {
        let bytes = text.utf8.count
        if bytes > SpecLimits.maxFileBytes { throw tooLarge(file, bytes: bytes) }
        let decoder = SpecDecoder(file: file)
        let root = try JSONParser.parse(text, file: file)
        return try decoder.expand(try decoder.decodeDocument(root), source: text)
    }

    private static func tooLarge(_ file: String, bytes: Int) -> SpecError {
        SpecError(file: file, path: "", expected: "an experiment file of at most \(SpecLimits.maxFileBytes) bytes (1 MiB)",
                  found: "\(bytes) bytes")
    }

    /// Reads back a resolved run (`RunSpec.resolvedJSON`, e.g. a run folder's `spec.json`).
    /// `experiment` and `swept` are not part of that document and are taken as given.
    public static func parseRun(text: String, file: String, experiment: String,
                                swept: [SweptValue] = []) throws -> RunSpec {
        try decodeRun(JSONParser.parse(text, file: file), file: file, experiment: experiment, swept: swept)
    }

    /// `parseRun` on an already parsed tree.
    public static func decodeRun(_ json: JSONValue, file: String, experiment: String,
                                 swept: [SweptValue] = []) throws -> RunSpec {
        try SpecDecoder(file: file).decodeRun(json, experiment: experiment, swept: swept)
    }
}

extension Experiment {
    /// What `genlab validate --resolved` prints: the experiment name and every run with its id,
    /// seed, swept values (declared order) and resolved spec.
    public var resolvedJSON: JSONValue {
        .object([
            "name": .string(name),
            "runs": .array(runs.map { run in
                .object([
                    "id": .string(run.id),
                    "seed": .int(Int64(clamping: run.seed)),
                    "swept": .array(run.swept.map { swept in
                        .object(["path": .string(swept.path),
                                 "value": (try? JSONParser.parse(swept.value, file: "")) ?? .string(swept.value)])
                    }),
                    "spec": run.resolvedJSON,
                ])
            }),
        ])
    }

    /// `resolvedJSON`, pretty-printed, with a final newline.
    public var resolvedText: String { JSONWriter.pretty(resolvedJSON) + "\n" }
}
