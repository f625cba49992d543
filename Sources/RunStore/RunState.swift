import Formats
import Foundation
import Report
import Spec

/// Where one run of an experiment stands, read from its folder alone (for `genlab status`).
public enum RunState: Sendable, Equatable {
    /// Nothing written yet.
    case pending
    /// A live process holds the run's claim; `progress` is what its `metrics.jsonl` says so far.
    case running(RunClaim.Holder, progress: String?)
    /// Stopped before the end with a checkpoint; the next `genlab run` continues from it.
    case partial(step: Int, epoch: Int)
    /// The last attempt failed (`failure.json`); the next `genlab run` tries again.
    case failed(reason: String)
    /// `final.json` exists and records this ending.
    case finished(TrainingRecord.Ending)
    /// `final.json` exists but the run's files are not what it vouches for, or an unfinished run's
    /// checkpoint is damaged (`RunIntegrity`); the next `genlab run` sets the files aside and
    /// restores the run (or trains it again).
    case damaged(problems: [String])

    /// The state of `folder`; `progress` says how far a running run has got (`genlab status`
    /// reads it from `metrics.jsonl` with `RunProgress`).
    public init(folder: RunFolder, progress: (RunClaim.Holder) -> String? = { _ in nil }) {
        switch RunIntegrity.check(folder, runID: folder.runID) {
        case .intact(let ending, _): self = .finished(ending); return
        case .damaged(let problems): self = .damaged(problems: problems); return
        case .unfinished(let checkpointProblem):
            if let holder = RunClaim.holder(of: folder) {
                self = .running(holder, progress: progress(holder))
            } else if let reason = folder.failureReason {
                self = .failed(reason: reason)
            } else if let problem = checkpointProblem {
                self = .damaged(problems: [problem])
            } else if let bytes = FileManager.default.contents(atPath: folder.checkpoint),
                      let file = try? SafeTensors.decode(Array(bytes)),
                      let step = file.metadata["step"].flatMap({ Int($0) }) {
                self = .partial(step: step, epoch: file.metadata["epoch"].flatMap { Int($0) } ?? 0)
            } else {
                self = .pending
            }
        }
    }

    /// The status reports and tables show.
    public var status: RunStatus {
        switch self {
        case .pending: return .pending
        case .running: return .running
        case .partial: return .partial
        case .failed: return .failed
        case .finished(let ending): return ending == .completed ? .completed : .diverged
        case .damaged: return .damaged
        }
    }

    /// One word for tables: pending, running, partial, failed, completed, diverged, damaged.
    public var name: String { status.rawValue }

    /// The details after the word, e.g. `pid 412 on node3 since …` or `checkpoint at step 900`.
    public var detail: String {
        switch self {
        case .pending, .finished: return ""
        case let .running(holder, progress):
            return "pid \(holder.pid) on \(holder.host) since \(holder.started)" + (progress.map { "; " + $0 } ?? "")
        case let .partial(step, epoch): return "checkpoint after epoch \(epoch), step \(step)"
        case .failed(let reason): return reason
        case .damaged(let problems): return problems.joined(separator: "; ") + " (genlab run restores it)"
        }
    }
}
