import Spec

/// The two kinds of `metrics.jsonl` line: one at each epoch's end (train and test averages of the
/// epoch) and, every `training.log_every_steps` steps, one inside an epoch (the running train
/// averages), which alone has `epoch_step`.
package enum MetricsLine {
    /// Whether the canonical JSON `line` is an epoch's last line (it has no `epoch_step`).
    package static func isEpochEnd(_ line: String) -> Bool {
        guard case .object(let object)? = try? JSONParser.parse(line, file: "metrics.jsonl") else { return true }
        return object["epoch_step"] == nil
    }
}
