/// How a worker process (`genlab worker`) tells the coordinator what became of its run: its exit
/// status. Anything else — another status, or death by a signal — is a crash.
public enum WorkerExit: Int32, Sendable, CaseIterable {
    /// Trained to the end.
    case completed = 0
    /// Bad input: the file or the run id (the coordinator checks first, so this means the file changed).
    case badInput = 2
    /// A loss or parameter stopped being finite; `final.json` says where.
    case diverged = 10
    /// An error inside the run (I/O, say); `failure.json` says which.
    case failed = 11
    /// Another live process holds the run's claim; nothing was done.
    case claimedElsewhere = 12
    /// Asked to stop (SIGTERM, SIGINT): a checkpoint was written and the next invocation continues.
    case interrupted = 13
    /// Found done once claimed (another process finished it meanwhile); nothing was done.
    case alreadyDone = 14
    /// The run was done; its evaluation was brought up to date with the report section.
    case evaluated = 15
    /// Evaluation only (`genlab evaluate`), and the run has not finished training: nothing was done.
    case notTrained = 16
}
