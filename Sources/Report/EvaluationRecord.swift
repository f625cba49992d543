import Foundation
import Spec

/// `evaluation.json`: what the evaluation stage computed from a finished run's checkpoint, kept
/// apart from the training record (`final.json`) because it is keyed by its own parameters: the
/// `report` section it answered, each figure drawn with the options it was drawn with, each
/// metric with its `parameters`, and the SHA-256 of every file it wrote. When the report section
/// changes, only the figures and metrics whose parameters changed are computed again; nothing is
/// retrained (the run id does not hold the report).
public struct EvaluationRecord: Sendable, Equatable {
    public static let fileName = "evaluation.json"

    public var runID: String
    /// The resolved `report` section this evaluation answers (`ReportSpec.resolvedJSON`, with any
    /// metrics `genlab evaluate --metric` added).
    public var report: JSONValue
    /// Each figure drawn (`<kind>.png`), in drawing order, with the options it depends on
    /// (`{}` for most; `interpolation` and `steps` for `interpolations`).
    public var figures: JSONObject
    /// The computed metrics by name, sorted: declared ones as objects with their `parameters`
    /// (docs/metrics.md), the mode metrics of 2-D data as numbers.
    public var metrics: JSONObject
    /// SHA-256 of each file the evaluation wrote, by name (`RunIntegrity` checks them).
    public var files: JSONObject

    public init(runID: String, report: JSONValue, figures: JSONObject, metrics: JSONObject, files: JSONObject) {
        self.runID = runID
        self.report = report
        self.figures = figures
        self.metrics = metrics
        self.files = files
    }

    /// The file's text: pretty JSON, keys in a fixed order, a final newline.
    public var text: String {
        JSONWriter.pretty(.object([
            "run_id": .string(runID), "report": report, "figures": .object(figures),
            "metrics": .object(metrics), "files": .object(files),
        ])) + "\n"
    }

    /// Parses `evaluation.json`'s bytes; the error is a phrase ("is not valid JSON").
    public static func parse(_ bytes: [UInt8], file: String) -> Result<EvaluationRecord, RecordProblem> {
        guard case .object(let object)? = try? JSONParser.parse(bytes: bytes, file: file) else {
            return .failure(RecordProblem(phrase: "is not valid JSON (truncated or garbage)"))
        }
        guard let runID = object["run_id"]?.stringValue, let report = object["report"],
              case .object(let figures)? = object["figures"], case .object(let metrics)? = object["metrics"],
              case .object(let files)? = object["files"] else {
            return .failure(RecordProblem(phrase: "lacks run_id, report, figures, metrics or files"))
        }
        return .success(EvaluationRecord(runID: runID, report: report, figures: figures, metrics: metrics, files: files))
    }

    /// The record in the run folder at `folder`, or nil when there is none or it cannot be read.
    public static func read(folder: String) -> EvaluationRecord? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path),
              case .success(let record) = parse(Array(data), file: path) else { return nil }
        return record
    }

    /// Whether this record answers `report` exactly (the resolved section, compared canonically).
    public func answers(_ report: JSONValue) -> Bool {
        JSONWriter.canonical(self.report) == JSONWriter.canonical(report)
    }
}

/// What is wrong with a record file, as a phrase that follows its name.
public struct RecordProblem: Error, Sendable, Equatable {
    public var phrase: String
}
