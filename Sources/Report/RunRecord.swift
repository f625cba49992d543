import Foundation
import Spec

/// What the reporter knows about one run of an experiment: who it is (id, seed, swept values),
/// where it stands, and the final metrics of `final.json`. Built from the run folder's files alone.
public struct RunRecord: Sendable, Equatable {
    /// The run's id (its folder name under `runs/`).
    public var id: String
    public var seed: UInt64
    /// The swept values in the file's sweep order, as canonical JSON text (`4`, `"relu"`).
    public var swept: [SweptValue]
    public var status: RunStatus
    /// `final.json`'s `metrics`, in the file's key order (declared metrics flattened, see
    /// `flatten`); empty for unfinished runs.
    public var metrics: [(name: String, value: Double)]
    /// Why the run diverged or failed, when a file says so.
    public var reason: String?

    public init(id: String, seed: UInt64, swept: [SweptValue], status: RunStatus,
                metrics: [(name: String, value: Double)] = [], reason: String? = nil) {
        self.id = id
        self.seed = seed
        self.swept = swept
        self.status = status
        self.metrics = metrics
        self.reason = reason
    }

    public static func == (a: RunRecord, b: RunRecord) -> Bool {
        a.id == b.id && a.seed == b.seed && a.swept == b.swept && a.status == b.status && a.reason == b.reason
            && a.metrics.map(\.name) == b.metrics.map(\.name)
            && zip(a.metrics, b.metrics).allSatisfy { $0.value == $1.value || ($0.value.isNaN && $1.value.isNaN) }
    }

    /// The value of one metric, if the run reported it.
    public func metric(_ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// Reads `final.json` (status, training metrics, divergence details), `evaluation.json` (the
    /// metrics computed from the trained model; merged with the training metrics, sorted by name)
    /// and `failure.json` (reason) of the run folder at `folder`; `unfinishedStatus` names the
    /// state when neither decides it (`running`, `partial` or `pending`, which only the runner
    /// can tell apart). A `final.json` that cannot be read makes the run `damaged`.
    public static func read(folder: String, id: String, seed: UInt64, swept: [SweptValue],
                            unfinishedStatus: RunStatus) -> RunRecord {
        switch TrainingRecord.read(folder: folder) {
        case .success(let final)?:
            var values = final.metrics
            if let evaluation = EvaluationRecord.read(folder: folder) {
                for member in evaluation.metrics { values[member.key] = member.value }
            }
            return RunRecord(id: id, seed: seed, swept: swept, status: final.status,
                             metrics: flatten(JSONObject(values.sorted { $0.key < $1.key })),
                             reason: final.divergenceText)
        case .failure(let problem)?:
            return RunRecord(id: id, seed: seed, swept: swept, status: .damaged,
                             reason: TrainingRecord.fileName + " " + problem.phrase)
        case nil:
            if let failure = FailureRecord.read(folder: folder) {
                return RunRecord(id: id, seed: seed, swept: swept, status: .failed, reason: failure.reason)
            }
            return RunRecord(id: id, seed: seed, swept: swept, status: unfinishedStatus)
        }
    }

    /// The numbers of `final.json`'s `metrics`, in file order: a number as itself; a declared
    /// metric's object (docs/metrics.md) as its `value` under the metric's name, first, and its
    /// other numbers as `<name>.<key>` (`fid`, `fid.real`, `precision_recall.precision`). Arrays,
    /// strings and nested objects (`parameters`, `kl_per_dimension.values`) are left out.
    static func flatten(_ values: JSONObject) -> [(name: String, value: Double)] {
        var metrics: [(name: String, value: Double)] = []
        for member in values {
            if let number = member.value.numberValue {
                metrics.append((member.key, number))
            } else if case .object(let parts) = member.value {
                if let number = parts["value"]?.numberValue { metrics.append((member.key, number)) }
                for part in parts where part.key != "value" {
                    if let number = part.value.numberValue { metrics.append((member.key + "." + part.key, number)) }
                }
            }
        }
        return metrics
    }
}
