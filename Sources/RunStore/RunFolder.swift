import Foundation
import Report
import Spec

/// The files of one run, under `results/<experiment>/runs/<run-id>/`. A run is done exactly when
/// `final.json` exists (completed or diverged, both deterministic); an in-process failure writes
/// `failure.json` instead, so a rerun retries the run. Every file is written atomically.
public struct RunFolder: Sendable {
    public let path: String
    /// `results/<experiment>`, the folder `runs/` is in.
    public let experimentFolder: String
    public let runID: String

    public init(experimentFolder: String, runID: String) {
        self.experimentFolder = experimentFolder
        self.runID = runID
        path = experimentFolder + "/runs/" + runID
    }

    /// The run folder at `path` as given (`results/<experiment>/runs/<run-id>`, or a copy of one
    /// elsewhere): its id is the folder's name, read from the absolute path (so `.` works too).
    public init(path: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let absolute = URL(fileURLWithPath: String(trimmed)).standardizedFileURL.path
        self.path = String(trimmed)
        runID = PathText.lastComponent(absolute)
        experimentFolder = PathText.parent(PathText.parent(absolute))
    }

    public var spec: String { path + "/spec.json" }
    public var metrics: String { path + "/metrics.jsonl" }
    /// The training record; its existence marks the run done.
    public var final: String { path + "/" + TrainingRecord.fileName }
    /// What the evaluation stage computed from the final checkpoint (`EvaluationRecord`).
    public var evaluation: String { path + "/" + EvaluationRecord.fileName }
    /// `{"status": "failed", "run_id": …, "reason": …}` after an in-process failure; removed when
    /// the run completes or diverges.
    public var failure: String { path + "/" + FailureRecord.fileName }
    public var timing: String { path + "/timing.json" }
    public var checkpoint: String { path + "/checkpoint.safetensors" }
    /// TensorBoard's event file of the run (`tensorboard --logdir results/<name>/runs`): every
    /// metrics line's numbers and, at epoch ends, the samples and reconstructions.
    public static let tensorboardFileName = "events.out.tfevents.genlab"
    public var tensorboard: String { path + "/" + Self.tensorboardFileName }
    /// The raw samples of a model of 2-D data, written by the evaluation stage.
    public static let samplesFileName = "samples.safetensors"
    public func figure(_ name: String) -> String { path + "/\(name).png" }
    /// `<results root>/.classifiers`: where the evaluation classifiers behind FID, KID and
    /// precision/recall are cached when the environment names no machine-wide cache folder
    /// (`EvaluationClassifierCache.machineFolder`).
    public var classifierFolder: String {
        var root = path
        for _ in 0..<3 { root = PathText.parent(root) }  // <id>, runs, <experiment>
        return (root.isEmpty ? "." : root) + "/.classifiers"
    }

    public var isComplete: Bool { FileManager.default.fileExists(atPath: final) }

    package func create() throws {
        try FileSystem.makeFolder(path)
    }
}

extension RunFolder {
    /// The training record (`final.json`): nil when the run is not done, else the record or what
    /// is wrong with it.
    public var training: Result<TrainingRecord, RecordProblem>? { TrainingRecord.read(folder: path) }

    /// The status `final.json` records (`completed`, `diverged`; `damaged` when it cannot be
    /// read), or nil when the run is not done.
    public var finalStatus: RunStatus? {
        switch training {
        case .success(let record)?: return record.status
        case .failure?: return .damaged
        case nil: return nil
        }
    }

    /// The reason `failure.json` gives, if the folder has a readable one.
    public var failureReason: String? { FailureRecord.read(folder: path)?.reason }

    /// Removes the hidden temporary files of atomic writes (`.<name>.tmp.<pid>.XXXXXX`) that a
    /// killed process left behind: those of `pid` (safe for anyone who knows that process is
    /// dead), or all of them (only for the claim's holder: nobody else writes here).
    package func removeTemporaryFiles(of pid: Int32? = nil) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        let marker = pid.map { ".tmp.\($0)." } ?? ".tmp."
        for name in names where name.hasPrefix(".") && name.contains(marker) {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }
}
