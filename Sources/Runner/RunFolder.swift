import Foundation

/// The files of one run, under `results/<experiment>/runs/<run-id>/`. A run is done exactly when
/// `final.json` exists; every file is written atomically.
public struct RunFolder: Sendable {
    public let path: String

    public init(experimentFolder: String, runID: String) {
        path = experimentFolder + "/runs/" + runID
    }

    public var spec: String { path + "/spec.json" }
    public var metrics: String { path + "/metrics.jsonl" }
    public var final: String { path + "/final.json" }
    public var timing: String { path + "/timing.json" }
    public var checkpoint: String { path + "/checkpoint.safetensors" }
    public func figure(_ name: String) -> String { path + "/\(name).png" }

    public var isComplete: Bool { FileManager.default.fileExists(atPath: final) }

    func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
