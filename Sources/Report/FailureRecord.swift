import Foundation
import Spec

/// `failure.json`: why a run could not finish (an I/O error, a crashed worker). Unlike
/// `final.json` it does not mark the run done: a rerun retries it and removes the file when the
/// run completes or diverges. Written by the run's worker or, when the worker died without
/// writing it, by the coordinator (with the worker's last lines of output).
public struct FailureRecord: Sendable, Equatable {
    public static let fileName = "failure.json"

    public var runID: String
    public var reason: String
    /// The last lines a crashed worker printed, when the coordinator recorded the failure.
    public var stderrTail: [String]?

    public init(runID: String, reason: String, stderrTail: [String]? = nil) {
        self.runID = runID
        self.reason = reason
        self.stderrTail = stderrTail
    }

    /// The file's text: pretty JSON, keys in a fixed order, a final newline.
    public var text: String {
        var object: JSONObject = [
            "status": .string(RunStatus.failed.rawValue), "run_id": .string(runID), "reason": .string(reason),
        ]
        if let stderrTail { object["stderr_tail"] = .array(stderrTail.map { .string($0) }) }
        return JSONWriter.pretty(.object(object)) + "\n"
    }

    /// The record in the run folder at `folder`, or nil when there is none or it cannot be read
    /// (a failure without a readable reason is not one a report can name).
    public static func read(folder: String) -> FailureRecord? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path),
              case .object(let object)? = try? JSONParser.parse(bytes: Array(data), file: path),
              let reason = object["reason"]?.stringValue else { return nil }
        let tail: [String]? = if case .array(let lines)? = object["stderr_tail"] { lines.compactMap(\.stringValue) } else { nil }
        return FailureRecord(runID: object["run_id"]?.stringValue ?? "", reason: reason, stderrTail: tail)
    }
}
