import Evaluation
import Foundation
import Report
import RunStore
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
    /// Only evaluate (`genlab evaluate`): a run that has not finished training is left alone.
    public let evaluateOnly: Bool
    /// Where evaluation classifiers are cached, and their training (`RunEvaluator.classifiers`).
    public let classifiers: EvaluationClassifierCache.Settings

    public init(experiment: Experiment, resultsRoot: String, progress: ProgressPrinter, memoryLimit: MemoryLimit = .standard,
                evaluateOnly: Bool = false, classifiers: EvaluationClassifierCache.Settings = .machine) {
        self.experiment = experiment
        self.resultsRoot = resultsRoot
        self.progress = progress
        self.memoryLimit = memoryLimit
        self.evaluateOnly = evaluateOnly
        self.classifiers = classifiers
    }

    /// Trains the run with this id; its answer as a worker's exit status.
    public func run(id: String, stop: StopRequest = StopRequest()) throws(SpecError) -> WorkerExit {
        guard let position = experiment.runs.firstIndex(where: { $0.id == id }) else {
            throw SpecError(file: experiment.file, path: "",
                            expected: "an experiment with a run whose id is \(id)",
                            found: "\(experiment.runs.count) runs with other ids (was the file changed?)")
        }
        switch execute(position: position, catalog: DataCatalog(resultsRoot: resultsRoot), stop: stop) {
        case nil: return .claimedElsewhere
        case .completed?: return .completed
        case .skipped?: return .alreadyDone
        case .evaluated?: return .evaluated
        case .notTrained?: return .notTrained
        case .diverged?: return .diverged
        case .failed?: return .failed
        case .interrupted?: return .interrupted
        }
    }

    /// Trains run `position` (0-based) under its claim, then evaluates it; nil when another live
    /// process holds it. A run found done after claiming is `.skipped` (or `.diverged` if it
    /// diverged), or `.evaluated` when its evaluation did not answer the report section.
    public func execute(position: Int, catalog: DataCatalog, stop: StopRequest = StopRequest()) -> RunOutcome? {
        let run = experiment.runs[position]
        let folder = RunFolder(experimentFolder: resultsRoot + "/" + experiment.name, runID: run.id)
        let claim: RunClaim
        do {
            guard let acquired = try RunClaim.acquire(folder) else { return nil }
            claim = acquired
        } catch {
            progress.message("[\(run.id)] failed: \(error)")
            return .failed(reason: "\(error)")
        }
        defer { claim.release() }
        let executor = RunExecutor(file: experiment.file, catalog: catalog, progress: progress, memoryLimit: memoryLimit,
                                   classifiers: classifiers)
        switch RunIntegrity.check(folder, runID: run.id) {
        case .unfinished where evaluateOnly:
            return .notTrained
        case .unfinished(let checkpointProblem):
            // A damaged checkpoint of an unfinished run is kept for the user, not overwritten.
            if let problem = checkpointProblem, let outcome = setAside(folder, [problem]) { return outcome }
        case let .intact(ending, legacy):
            if legacy {
                do { try RunRepair.upgradeLegacy(folder) } catch {
                    progress.message("[\(run.id)] note: could not record the digests of its files: \(FileSystemError.describe(error))")
                }
            }
            if ending == .diverged { return .diverged(step: 0, network: "") }
            if RunEvaluator.isCurrent(folder, report: run.report) { return .skipped }
            let outcome = executor.evaluate(run, folder: folder)
            if case .failed(let reason) = outcome { progress.message("[\(run.id)] failed: \(reason)") }
            return outcome
        case .damaged where evaluateOnly:
            return .notTrained
        case .damaged(let problems):
            if let outcome = setAside(folder, problems) { return outcome }
        }
        folder.removeTemporaryFiles()
        if let plan = experiment.halving, let previous = plan.predecessor(of: position) {
            do {
                try HalvingContinuation.prepare(folder, run: run, from: experiment.runs[previous],
                                                experimentFolder: resultsRoot + "/" + experiment.name)
            } catch {
                progress.message("[\(run.id)] failed: \(error)")
                return .failed(reason: "\(error)")
            }
        }
        let outcome = executor.execute(run, index: position + 1, total: experiment.runs.count, folder: folder, stop: stop)
        if case .failed(let reason) = outcome { progress.message("[\(run.id)] failed: \(reason)") }
        return outcome
    }

    /// Moves a damaged run's files aside (`RunRepair`) and says so; a failure to do so fails the run.
    private func setAside(_ folder: RunFolder, _ problems: [String]) -> RunOutcome? {
        do {
            let (aside, kept) = try RunRepair.setAside(folder)
            progress.message("[\(folder.runID)] damaged: \(problems.joined(separator: "; ")); its files were moved to \(aside); "
                             + (kept ? "restoring it from its checkpoint" : "training it again (no intact checkpoint)"))
            return nil
        } catch {
            let reason = "damaged (\(problems.joined(separator: "; "))), and it could not be moved aside: "
                + FileSystemError.describe(error)
            progress.message("[\(folder.runID)] failed: \(reason)")
            return .failed(reason: reason)
        }
    }
}
