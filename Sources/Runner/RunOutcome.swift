/// How a run ended, as recorded in its `final.json`.
public enum RunOutcome: Sendable, Equatable {
    /// Trained to the end; metrics are in `final.json`.
    case completed
    /// A loss or parameter became NaN or infinite at `step`; training stopped there.
    case diverged(step: Int, network: String)
    /// The run could not finish (an I/O error, say); the others go on.
    case failed(reason: String)
    /// `final.json` already existed: nothing was done.
    case skipped

    public var status: String {
        switch self {
        case .completed: return "completed"
        case .diverged: return "diverged"
        case .failed: return "failed"
        case .skipped: return "skipped"
        }
    }
}
