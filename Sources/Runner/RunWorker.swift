import Foundation
import Spec

/// Trains one run of an experiment in this process, as a sweep's worker does: claims the run,
/// clears what an earlier, killed holder may have left half-made, trains or resumes it, and lets
/// the claim go. The answer is the exit status the coordinator reads.
public struct RunWorker {
    public let experiment: Experiment
    public let resultsRoot: String
    public let progress: ProgressPrinter

    public init(experiment: Experiment, resultsRoot: String, progress: ProgressPrinter) {
        self.experiment = experiment
        self.resultsRoot = resultsRoot
        self.progress = progress
    }

    public func run(id: String) throws(SpecError) -> WorkerExit {
        guard let position = experiment.runs.firstIndex(where: { $0.id == id }) else {
            throw SpecError(file: experiment.file, path: "",
                            expected: "an experiment with a run whose id is \(id)",
                            found: "\(experiment.runs.count) runs with other ids (was the file changed?)")
        }
        let run = experiment.runs[position]
        let folder = RunFolder(experimentFolder: resultsRoot + "/" + experiment.name, runID: id)
        let claim: RunClaim
        do {
            guard let acquired = try RunClaim.acquire(folder) else { return .claimedElsewhere }
            claim = acquired
        } catch {
            progress.message("[\(id)] cannot claim the run: \(error)")
            return .failed
        }
        defer { claim.release() }
        if let status = folder.finalStatus { return status == "diverged" ? .diverged : .completed }
        folder.removeTemporaryFiles()
        let executor = RunExecutor(file: experiment.file, catalog: DataCatalog(), progress: progress)
        switch executor.execute(run, index: position + 1, total: experiment.runs.count, folder: folder) {
        case .completed, .skipped: return .completed
        case .diverged: return .diverged
        case .failed: return .failed
        }
    }
}
