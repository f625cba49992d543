import Foundation
import Spec

/// Trains one run of an experiment in this process, as a sweep's worker does: claims the run,
/// clears what an earlier, killed holder may have left half-made, trains or resumes it, and lets
/// the claim go. The answer is the exit status the coordinator reads.
public struct RunWorker {
    public let experiment: Experiment
    public let resultsRoot: String
    public let progress: ProgressPrinter
    /// Runs estimated to need more are refused (`MemoryEstimate`).
    public let memoryLimit: MemoryLimit

    public init(experiment: Experiment, resultsRoot: String, progress: ProgressPrinter, memoryLimit: MemoryLimit = .standard) {
        self.experiment = experiment
        self.resultsRoot = resultsRoot
        self.progress = progress
        self.memoryLimit = memoryLimit
    }

    /// Trains the run with this id; its answer as a worker's exit status.
    public func run(id: String, stop: StopRequest = StopRequest()) throws(SpecError) -> WorkerExit {
        guard let position = experiment.runs.firstIndex(where: { $0.id == id }) else {
            throw SpecError(file: experiment.file, path: "",
                            expected: "an experiment with a run whose id is \(id)",
                            found: "\(experiment.runs.count) runs with other ids (was the file changed?)")
        }
        switch execute(position: position, stop: stop) {
        case nil: return .claimedElsewhere
        case .completed?: return .completed
        case .skipped?: return .alreadyDone
        case .diverged?: return .diverged
        case .failed?: return .failed
        case .interrupted?: return .interrupted
        }
    }

    /// Trains run `position` (0-based) under its claim; nil when another live process holds it.
    /// A run found done after claiming is `.skipped` (or `.diverged` if it diverged).
    public func execute(position: Int, catalog: DataCatalog = DataCatalog(), stop: StopRequest = StopRequest()) -> RunOutcome? {
        let run = experiment.runs[position]
        let folder = RunFolder(experimentFolder: resultsRoot + "/" + experiment.name, runID: run.id)
        let claim: RunClaim
        do {
            guard let acquired = try RunClaim.acquire(folder) else { return nil }
            claim = acquired
        } catch {
            progress.message("[\(run.id)] cannot claim the run: \(error)")
            return .failed(reason: "cannot claim the run: \(error)")
        }
        defer { claim.release() }
        if let status = folder.finalStatus { return status == "diverged" ? .diverged(step: 0, network: "") : .skipped }
        folder.removeTemporaryFiles()
        let executor = RunExecutor(file: experiment.file, catalog: catalog, progress: progress, memoryLimit: memoryLimit)
        return executor.execute(run, index: position + 1, total: experiment.runs.count, folder: folder, stop: stop)
    }
}
