import Foundation
import Spec

/// `final.json`: the training record, whose existence marks a run done. One type for the writer
/// (the run executor, the migration) and every reader (integrity, status, report, sampling), so
/// no reader compares status strings or looks up keys by hand. What is computed from the trained
/// model is not here but in `evaluation.json` (`EvaluationRecord`).
public struct TrainingRecord: Sendable, Equatable {
    public static let fileName = "final.json"

    /// How training ended; both are deterministic, so both mark the run done.
    public enum Ending: String, Sendable, Equatable {
        /// Trained to the end.
        case completed
        /// A loss or parameter became NaN or infinite; training stopped there.
        case diverged
    }

    /// Where a diverged run stopped: the optimisation step and the network that went non-finite.
    public struct Divergence: Sendable, Equatable {
        public var step: Int
        public var network: String

        public init(step: Int, network: String) {
            self.step = step
            self.network = network
        }
    }

    public var ending: Ending
    public var runID: String
    public var seed: UInt64?
    public var epochs: Int?
    /// Optimisation steps taken (`trainStep` calls over all epochs).
    public var steps: Int?
    public var genlabVersion: String?
    /// The OpenBLAS kernel family and thread count the run was trained with.
    public var openblasCore: String?
    public var blasThreads: Int?
    /// The swept values by JSON path.
    public var swept: JSONObject?
    /// The last epoch's train and test terms by name.
    public var metrics: JSONObject
    public var divergence: Divergence?
    /// SHA-256 of the training files by name (`spec.json`, `metrics.jsonl`); nil in a record from
    /// before digests were recorded (a legacy record, whose files are checked for form only).
    public var files: JSONObject?
    /// Members this version does not know, kept as they were when the record is rewritten.
    public var other: JSONObject

    public init(ending: Ending, runID: String, seed: UInt64? = nil, epochs: Int? = nil, steps: Int? = nil,
                genlabVersion: String? = nil, openblasCore: String? = nil, blasThreads: Int? = nil,
                swept: JSONObject? = nil, metrics: JSONObject = [:], divergence: Divergence? = nil,
                files: JSONObject? = nil, other: JSONObject = [:]) {
        self.ending = ending
        self.runID = runID
        self.seed = seed
        self.epochs = epochs
        self.steps = steps
        self.genlabVersion = genlabVersion
        self.openblasCore = openblasCore
        self.blasThreads = blasThreads
        self.swept = swept
        self.metrics = metrics
        self.divergence = divergence
        self.files = files
        self.other = other
    }

    /// The status reports and `genlab status` show for the run.
    public var status: RunStatus { ending == .completed ? .completed : .diverged }

    /// "diverged at step 412 in the discriminator", for a diverged run.
    public var divergenceText: String? {
        divergence.map { "diverged at step \($0.step)" + ($0.network.isEmpty ? "" : " in the \($0.network)") }
    }

    private static let known = ["status", "run_id", "seed", "epochs", "steps", "genlab_version", "openblas_core",
                                "blas_threads", "swept", "metrics", "diverged_at_step", "diverged_network", "files"]

    /// The file's text: pretty JSON (keys sorted), a final newline.
    public var text: String {
        var object = other
        object["status"] = .string(ending.rawValue)
        object["run_id"] = .string(runID)
        if let seed { object["seed"] = .int(Int64(bitPattern: seed)) }
        if let epochs { object["epochs"] = .int(Int64(epochs)) }
        if let steps { object["steps"] = .int(Int64(steps)) }
        if let genlabVersion { object["genlab_version"] = .string(genlabVersion) }
        if let openblasCore { object["openblas_core"] = .string(openblasCore) }
        if let blasThreads { object["blas_threads"] = .int(Int64(blasThreads)) }
        if let swept { object["swept"] = .object(swept) }
        object["metrics"] = .object(metrics)
        if let divergence {
            object["diverged_at_step"] = .int(Int64(divergence.step))
            object["diverged_network"] = .string(divergence.network)
        }
        if let files { object["files"] = .object(files) }
        return JSONWriter.pretty(.object(object)) + "\n"
    }

    /// Parses `final.json`'s bytes; the error is a phrase ("is not valid JSON (truncated or garbage)").
    public static func parse(_ bytes: [UInt8], file: String) -> Result<TrainingRecord, RecordProblem> {
        guard case .object(let object)? = try? JSONParser.parse(bytes: bytes, file: file) else {
            return .failure(RecordProblem(phrase: "is not valid JSON (truncated or garbage)"))
        }
        guard let ending = object["status"]?.stringValue.flatMap(Ending.init(rawValue:)) else {
            return .failure(RecordProblem(phrase: "has no status completed or diverged (found \(object["status"]?.summary ?? "none"))"))
        }
        guard let runID = object["run_id"]?.stringValue else {
            return .failure(RecordProblem(phrase: "has no run_id"))
        }
        var record = TrainingRecord(ending: ending, runID: runID)
        record.seed = object["seed"]?.intValue.map { UInt64(bitPattern: Int64($0)) }
        record.epochs = object["epochs"]?.intValue
        record.steps = object["steps"]?.intValue
        record.genlabVersion = object["genlab_version"]?.stringValue
        record.openblasCore = object["openblas_core"]?.stringValue
        record.blasThreads = object["blas_threads"]?.intValue
        if case .object(let swept)? = object["swept"] { record.swept = swept }
        if case .object(let metrics)? = object["metrics"] { record.metrics = metrics }
        if let step = object["diverged_at_step"]?.intValue {
            record.divergence = Divergence(step: step, network: object["diverged_network"]?.stringValue ?? "")
        }
        if let files = object["files"] {
            guard case .object(let entries) = files else { return .failure(RecordProblem(phrase: "has files that is not an object")) }
            record.files = entries
        }
        record.other = JSONObject(pairs: object.filter { !known.contains($0.key) }.map { ($0.key, $0.value) })
        return .success(record)
    }

    /// The record in the run folder at `folder`: nil when there is none (the run is not done),
    /// else the record or what is wrong with it.
    public static func read(folder: String) -> Result<TrainingRecord, RecordProblem>? {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(RecordProblem(phrase: "is unreadable"))
        }
        return parse(Array(data), file: path)
    }
}
