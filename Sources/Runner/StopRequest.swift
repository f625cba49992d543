import Synchronization

/// A request to stop training cleanly, safe to make from any thread (a SIGTERM or SIGINT handler,
/// a watchdog). The executor checks it after every optimisation step; once it is requested the
/// executor writes a checkpoint at that exact step and returns `RunOutcome.interrupted`, so the
/// next `execute` of the run resumes where it stopped and ends byte-identical to an
/// uninterrupted run.
///
/// `atStep` also requests the stop once the run has taken that many optimisation steps
/// (`trainStep` calls, counted from the run's start, across resumes): a step budget, and how tests
/// stop a run at an exact step.
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Steps after which the stop requests itself; nil = only `request()` stops.
    public let atStep: Int?

    public init(atStep: Int? = nil) {
        precondition(atStep.map { $0 >= 1 } ?? true, "a step budget must be at least 1, got \(atStep!)")
        self.atStep = atStep
    }

    /// Asks the run to stop after its current step. Idempotent.
    public func request() { flag.store(true, ordering: .releasing) }

    /// Whether `request()` has been called.
    public var isRequested: Bool { flag.load(ordering: .acquiring) }

    /// Whether a run that has just taken its `step`-th optimisation step should stop now.
    func shouldStop(afterStep step: Int) -> Bool {
        isRequested || atStep.map { step >= $0 } ?? false
    }
}
