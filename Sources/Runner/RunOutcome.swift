/// How one `execute` of a run ended. `completed` and `diverged` are recorded in `final.json` (the
/// run is done); `failed` in `failure.json` and `interrupted` in the checkpoint, so a later
/// `execute` tries again (resuming from the checkpoint).
public enum RunOutcome: Sendable, Equatable {
    /// Trained to the end; metrics are in `final.json`.
    case completed
    /// A loss or parameter became NaN or infinite at `step`; training stopped there.
    case diverged(step: Int, network: String)
    /// The run could not finish (an I/O error, say); the reason is in `failure.json`, and the
    /// others go on. Not final: running the experiment again retries it.
    case failed(reason: String)
    /// A `StopRequest` stopped training after optimisation step `step` of the run (`trainStep`
    /// calls over all epochs), in epoch `epoch` (1-based); the checkpoint holds that exact step.
    case interrupted(epoch: Int, step: Int)
    /// `final.json` already existed: nothing was done.
    case skipped
    /// The run was done; the evaluation stage computed `computed` (figures and metrics by name)
    /// from its checkpoint, or found nothing to do (empty).
    case evaluated(computed: [String])
    /// Evaluation only, and the run has not finished training: nothing was done.
    case notTrained
}
