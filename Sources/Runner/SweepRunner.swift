import Evaluation
import Foundation
import Report
import RunStore
import Spec

/// Runs every run of an experiment in this process, one after another, into `<results>/<name>/`
/// (the library's serial launcher; `genlab run` uses `SweepCoordinator` and worker processes).
///
/// Everything is checked first (data loads, models build, batch fits): a bad file stops here with
/// a `SpecError` before anything is written. Each run is claimed like a worker's (`RunWorker`):
/// runs whose `final.json` exists are skipped, unfinished ones resume, runs another live process
/// holds are left to it (`nil` outcome). A run that fails or diverges is recorded and the others go on.
/// Of a successive-halving search only the promoted runs train (`HalvingDecisions`).
public struct SweepRunner {
    public let resultsRoot: String
    public let progress: ProgressPrinter
    public let memoryLimit: MemoryLimit

    /// Where evaluation classifiers are cached, and their training (`RunEvaluator.classifiers`).
    public let classifiers: EvaluationClassifierCache.Settings

    public init(resultsRoot: String, progress: ProgressPrinter, memoryLimit: MemoryLimit = .standard,
                classifiers: EvaluationClassifierCache.Settings = .machine) {
        self.resultsRoot = resultsRoot
        self.progress = progress
        self.memoryLimit = memoryLimit
        self.classifiers = classifiers
    }

    public func experimentFolder(_ experiment: Experiment) -> String { resultsRoot + "/" + experiment.name }

    /// Checks every run without writing anything; returns the largest run's memory estimate.
    @discardableResult
    public func preflight(_ experiment: Experiment, catalog: DataCatalog) throws(SpecError) -> MemoryEstimate? {
        let executor = RunExecutor(file: experiment.file, catalog: catalog, progress: progress, memoryLimit: memoryLimit,
                                   classifiers: classifiers)
        var largest: MemoryEstimate?
        for run in experiment.runs {
            let estimate = try executor.preflight(run)
            if estimate.totalBytes > largest?.totalBytes ?? -1 { largest = estimate }
        }
        return largest
    }

    /// Trains every run not yet done; returns each run's outcome in order. When `stop` is requested
    /// the run in progress checkpoints and the sweep ends there (the outcomes so far are returned).
    public func run(_ experiment: Experiment, stop: StopRequest = StopRequest()) throws -> [(run: RunSpec, outcome: RunOutcome)] {
        let catalog = DataCatalog(resultsRoot: resultsRoot)
        try preflight(experiment, catalog: catalog)
        let folder = try ResultsLocation.experimentFolder(root: resultsRoot, name: experiment.name, file: experiment.file)
        try FileSystem.makeFolder(folder + "/runs")
        try AtomicFile.write(experiment.source, to: folder + "/experiment.json")
        let worker = RunWorker(experiment: experiment, resultsRoot: resultsRoot, progress: progress, memoryLimit: memoryLimit,
                               classifiers: classifiers)
        var outcomes: [(RunSpec, RunOutcome)] = []
        for (i, run) in experiment.runs.enumerated() {
            let label = "[run \(i + 1)/\(experiment.runs.count) \(run.id)]"
            // Successive halving: the runs are in rung order, so the rung below is done by now.
            if experiment.halving != nil, try HalvingDecisions(experiment: experiment, folder: folder).states[i] != .train {
                continue
            }
            guard let outcome = worker.execute(position: i, catalog: catalog, stop: stop) else {
                progress.message("\(label) claimed by another process: left to it")
                continue
            }
            if outcome == .skipped { progress.message("\(label) already done: skipped") }
            if case .failed(let reason) = outcome { progress.message("\(label) failed: \(reason)") }
            outcomes.append((run, outcome))
            if case .interrupted = outcome { break }
        }
        return outcomes
    }
}
