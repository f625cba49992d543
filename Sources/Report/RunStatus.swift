/// Where a run stands, as reports, `runs.csv` and `genlab status` name it. `completed` and
/// `diverged` are recorded by `final.json` (`TrainingRecord`), `failed` by `failure.json`
/// (`FailureRecord`); `running`, `partial` and `pending` only the runner can tell apart, and
/// `damaged` is a `final.json` that cannot be trusted. One type instead of strings compared in
/// many places, so a misspelt status cannot compile.
public enum RunStatus: String, Sendable, CaseIterable, Equatable {
    case completed, diverged, failed, running, partial, pending, damaged

    /// The statuses a file records (the summary tables count these).
    public static let recorded: [RunStatus] = [.completed, .diverged, .failed]

    /// Whether the run has finished: done, for better or worse, and a rerun trains nothing.
    public var isDone: Bool { self == .completed || self == .diverged }
}
