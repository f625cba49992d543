import Evaluation
import Foundation
import Report
import RunStore
import Spec

/// How `genlab run` spreads an experiment over worker processes.
public struct SweepOptions: Sendable {
    /// Worker processes at once, each training one run with single-threaded BLAS.
    public var jobs: Int
    /// The slice of the runs to do, or nil for all.
    public var shard: Shard?
    /// Stop at the first failed or diverged run (the running ones checkpoint and stop).
    public var failFast: Bool
    /// The memory limit each worker applies (passed as `GENLAB_MEMORY_LIMIT`).
    public var memoryLimit: MemoryLimit
    /// Only evaluate finished runs (`genlab evaluate`): train nothing, and leave `experiment.json`
    /// as it is (the experiment file given is the results folder's, perhaps with metrics added).
    public var evaluateOnly: Bool

    public init(jobs: Int, shard: Shard? = nil, failFast: Bool = false, memoryLimit: MemoryLimit = .standard,
                evaluateOnly: Bool = false) {
        self.jobs = max(1, jobs)
        self.shard = shard
        self.failFast = failFast
        self.memoryLimit = memoryLimit
        self.evaluateOnly = evaluateOnly
    }
}

/// What a sweep invocation did, run by run.
public struct SweepReport: Sendable {
    public enum Ending: String, Sendable { case completed, alreadyDone = "already done", evaluated, diverged, failed,
                                          interrupted, doneElsewhere = "done by another process", notTrained = "not trained",
                                          notPromoted = "not promoted", waiting = "waiting for its rung" }
    public var endings: [(position: Int, runID: String, ending: Ending)] = []
    /// The signal that stopped the sweep, if one did.
    public var stoppedBy: Int32?

    public func count(_ ending: Ending) -> Int { endings.filter { $0.ending == ending }.count }
    /// Every run of the slice is done and none diverged or failed.
    public var succeeded: Bool {
        stoppedBy == nil && endings.allSatisfy { [.completed, .alreadyDone, .evaluated, .doneElsewhere, .notTrained, .notPromoted, .waiting].contains($0.ending) }
    }
}

/// Runs an experiment's runs (or a shard of them) in `jobs` worker processes at once.
///
/// The coordinator only hands out runs and watches: each worker claims its run (see `RunClaim`),
/// trains or resumes it and writes its files; the coordinator writes a run's `failure.json` only
/// when its worker died without saying why (a signal, a crash), with the reason and the worker's
/// last lines of standard error. A run claimed by another invocation is waited for, and taken over
/// if its holder dies. SIGINT or SIGTERM stop the sweep: workers checkpoint and exit, and the
/// next invocation continues where they stopped. Results do not depend on `jobs` or on shards:
/// each run is a pure function of its resolved spec.
public final class SweepCoordinator: @unchecked Sendable {
    public let experiment: Experiment
    public let experimentFile: String
    public let executable: String
    public let resultsRoot: String
    public let options: SweepOptions
    public let display: SweepDisplay

    private let lock = NSLock()
    private var exited: [WorkerProcess] = []
    private let wake = DispatchSemaphore(value: 0)
    private var signalled: Int32?
    private var signalSources: [DispatchSourceSignal] = []

    public init(experiment: Experiment, experimentFile: String, executable: String, resultsRoot: String,
                options: SweepOptions, display: SweepDisplay) {
        self.experiment = experiment
        self.experimentFile = experimentFile
        self.executable = executable
        self.resultsRoot = resultsRoot
        self.options = options
        self.display = display
    }

    public var experimentFolder: String { resultsRoot + "/" + experiment.name }

    /// The environment variable that tells a worker its coordinator's pid, so that it dies with it.
    public static let coordinatorVariable = "GENLAB_COORDINATOR_PID"

    /// The runs this invocation will train: all selected, or for successive halving those that
    /// the promotions will keep (the slice's share of them under a shard).
    private var trainedTotal: Int {
        guard let plan = experiment.halving else { return selectedRuns.count }
        return (plan.trainedRuns * selectedRuns.count + experiment.runs.count - 1) / max(1, experiment.runs.count)
    }

    /// The runs this invocation is responsible for, with their 1-based positions in the file.
    public var selectedRuns: [(position: Int, run: RunSpec)] {
        (options.shard ?? Shard(index: 0, count: 1)).select(experiment.runs)
    }

    public func run() throws -> SweepReport {
        _ = try ResultsLocation.experimentFolder(root: resultsRoot, name: experiment.name, file: experimentFile)
        try FileSystem.makeFolder(experimentFolder + "/runs")
        if !options.evaluateOnly { try AtomicFile.write(experiment.source, to: experimentFolder + "/experiment.json") }
        installSignalHandlers()
        defer { removeSignalHandlers() }

        var report = SweepReport()
        var pending: [(position: Int, run: RunSpec)] = []
        var toEvaluate = EvaluationChanges()
        // Successive halving: runs of undecided rungs wait until the rung below has finished.
        var deferred: [(position: Int, run: RunSpec)] = []
        var admitted: [(position: Int, run: RunSpec)] = []
        if experiment.halving != nil, !options.evaluateOnly {
            deferred = selectedRuns
            try releaseDecided(&deferred, into: &admitted, report: &report)
        } else {
            admitted = selectedRuns
        }
        for (position, run) in admitted { admit(position, run, report: &report, pending: &pending, toEvaluate: &toEvaluate) }
        let notPromoted = report.count(.notPromoted)
        display.start(total: trainedTotal - notPromoted, alreadyDone: report.endings.count - notPromoted, jobs: options.jobs)
        if toEvaluate.runs > 0 {
            display.event(toEvaluate.sentence(doneRuns: report.endings.count + toEvaluate.runs))
        }
        var running: [WorkerProcess] = []
        var waiting: [(position: Int, run: RunSpec)] = []
        var stopping = false, stopSent = false

        while true {
            let exitedWorkers = takeExited()
            for worker in exitedWorkers {
                running.removeAll { $0 === worker }
                guard let ending = classify(worker, stopping: stopping) else {
                    waiting.append((worker.position, worker.run))
                    display.event("[run \(worker.position) \(worker.run.id)] claimed by another process: waiting for it")
                    continue
                }
                report.endings.append((worker.position, worker.run.id, ending))
                display.finished(position: worker.position, run: worker.run, ending: ending, seconds: worker.seconds,
                                 reason: ending == .failed ? failureReason(worker) : nil)
                if options.failFast, ending == .failed || ending == .diverged { stopping = true }
            }
            if let signal = currentSignal(), !stopping {
                stopping = true
                report.stoppedBy = signal
                display.event("\(signalName(signal)): workers checkpoint and stop; run the same command again to continue")
            }
            if stopping, !stopSent {
                running.forEach { $0.stop() }
                stopSent = true
            }
            if !stopping {
                while running.count < options.jobs, !pending.isEmpty {
                    let (position, run) = pending.removeFirst()
                    if RunClaim.holder(of: folder(run)) != nil {
                        waiting.append((position, run))
                        display.event("[run \(position) \(run.id)] claimed by another process: waiting for it")
                        continue
                    }
                    let worker = try WorkerProcess(executable: executable, experimentFile: experimentFile,
                                                   resultsRoot: resultsRoot, run: run, folder: folder(run), position: position,
                                                   memoryLimit: options.memoryLimit,
                                                   evaluateOnly: options.evaluateOnly) { [self] in
                        self.exitedWorker($0)
                    }
                    running.append(worker)
                    display.started(position: position, run: run, evaluating: toEvaluate.ids.contains(run.id))
                }
            }
            waiting.removeAll { position, run in
                if let status = folder(run).finalStatus {
                    report.endings.append((position, run.id, status == .diverged ? .diverged : .doneElsewhere))
                    display.finished(position: position, run: run, ending: status == .diverged ? .diverged : .doneElsewhere,
                                     seconds: nil, reason: nil)
                    return true
                }
                if !stopping, RunClaim.holder(of: folder(run)) == nil {
                    pending.append((position, run))      // its holder died: take it over
                    return true
                }
                return false
            }
            // A finished run may decide its rung: the promoted runs join the queue.
            if !stopping, !deferred.isEmpty, !exitedWorkers.isEmpty || (running.isEmpty && pending.isEmpty && waiting.isEmpty) {
                var admitted: [(position: Int, run: RunSpec)] = []
                if try releaseDecided(&deferred, into: &admitted, report: &report) {
                    for (position, run) in admitted { admit(position, run, report: &report, pending: &pending, toEvaluate: &toEvaluate) }
                    display.event("successive halving: \(admitted.count) run\(admitted.count == 1 ? "" : "s") promoted")
                    continue
                }
            }
            if running.isEmpty, stopping || (pending.isEmpty && waiting.isEmpty) {
                // Runs whose rung waits for runs of other shards, or for failed runs: a later
                // invocation trains them.
                for (position, run) in deferred { report.endings.append((position, run.id, .waiting)) }
                break
            }
            display.update(running: running.map { ($0.position, $0.fraction, $0.seconds) },
                           pending: pending.count + waiting.count)
            _ = wake.wait(timeout: .now() + .milliseconds(waiting.isEmpty ? 1000 : 500))
        }
        display.end()
        report.endings.sort { $0.position < $1.position }
        return report
    }

    /// Sorts one run of this invocation: done (an ending), or to train, resume, repair or
    /// evaluate (`pending`).
    private func admit(_ position: Int, _ run: RunSpec, report: inout SweepReport, pending: inout [(position: Int, run: RunSpec)],
                       toEvaluate: inout EvaluationChanges) {
        let verdict = RunIntegrity.check(folder(run), runID: run.id)
        if options.evaluateOnly, case .intact = verdict {} else if options.evaluateOnly {
            report.endings.append((position, run.id, .notTrained))
            return
        }
        switch verdict {
        case .unfinished(let checkpointProblem):
            if let problem = checkpointProblem, RunClaim.holder(of: folder(run)) == nil {
                display.warning("[run \(position) \(run.id)] \(problem); its files go to \(experimentFolder)/damaged/ and the run starts again")
            }
            pending.append((position, run))
        case let .intact(ending, legacy):
            // A run finished before digests were recorded gains them (a failure leaves it as it was, done).
            if legacy, let claim = try? RunClaim.acquire(folder(run)) {
                try? RunRepair.upgradeLegacy(folder(run))
                claim.release()
            }
            if ending == .completed, !RunEvaluator.isCurrent(folder(run), report: run.report) {
                toEvaluate.add(run.id, recorded: EvaluationRecord.read(folder: folder(run).path), report: run.report)
                pending.append((position, run))
            } else {
                report.endings.append((position, run.id, ending == .diverged ? .diverged : .alreadyDone))
            }
        case .damaged(let problems):
            display.warning("[run \(position) \(run.id)] damaged: \(problems.joined(separator: "; ")); its files go to \(experimentFolder)/damaged/ and the run is restored")
            pending.append((position, run))
        }
    }

    /// Moves the deferred runs whose rung is now decided (`HalvingDecisions`, from the files as
    /// they are) to `admitted`, or to the report as not promoted; returns whether any moved.
    @discardableResult
    private func releaseDecided(_ deferred: inout [(position: Int, run: RunSpec)], into admitted: inout [(position: Int, run: RunSpec)],
                                report: inout SweepReport) throws -> Bool {
        let decisions = try HalvingDecisions(experiment: experiment, folder: experimentFolder)
        let before = deferred.count
        deferred.removeAll { position, run in
            switch decisions.states[position - 1] {
            case .train:
                admitted.append((position, run))
                return true
            case .notPromoted:
                report.endings.append((position, run.id, .notPromoted))
                return true
            case .waiting:
                return false
            }
        }
        return deferred.count != before
    }

    private func folder(_ run: RunSpec) -> RunFolder { RunFolder(experimentFolder: experimentFolder, runID: run.id) }

    /// The ending of an exited worker's run; nil when another process holds the run.
    private func classify(_ worker: WorkerProcess, stopping: Bool) -> SweepReport.Ending? {
        let (exit, reason) = worker.exit
        switch exit {
        case .completed?: return .completed
        case .alreadyDone?: return .doneElsewhere
        case .evaluated?: return .evaluated
        case .notTrained?: return .notTrained
        case .diverged?: return .diverged
        case .failed?: return .failed
        case .claimedElsewhere?: return nil
        case .interrupted?: return .interrupted
        case .badInput?, nil:
            if stopping, exit == nil, worker.exit.reason.contains("SIGTERM") || worker.exit.reason.contains("SIGINT") {
                return .interrupted
            }
            recordCrash(worker, reason: reason)
            return .failed
        }
    }

    /// `failure.json` for a worker that could not write one itself; its half-written temporary files go.
    private func recordCrash(_ worker: WorkerProcess, reason: String) {
        let record = FailureRecord(runID: worker.run.id, reason: "the worker process was \(reason)",
                                   stderrTail: worker.lastLines)
        try? AtomicFile.write(record.text, to: folder(worker.run).failure)
        folder(worker.run).removeTemporaryFiles(of: worker.pid)
    }

    /// Why the worker's run failed: its `failure.json`, or — when the worker could not write one
    /// (a full disk, say) — the reason in its last "failed:" line, recorded in `failure.json` here
    /// if that can be written now.
    private func failureReason(_ worker: WorkerProcess) -> String {
        if let recorded = folder(worker.run).failureReason { return recorded }
        let marker = "] failed: "
        let reason = worker.lastLines.last { $0.contains(marker) }
            .map { String($0[$0.range(of: marker)!.upperBound...]) }
            ?? "the worker \(worker.exit.reason) without saying why; its last lines: \(worker.lastLines.suffix(3).joined(separator: " | "))"
        try? AtomicFile.write(FailureRecord(runID: worker.run.id, reason: reason).text, to: folder(worker.run).failure)
        return reason
    }

    private func exitedWorker(_ worker: WorkerProcess) {
        lock.lock()
        exited.append(worker)
        lock.unlock()
        wake.signal()
    }

    private func takeExited() -> [WorkerProcess] {
        lock.lock(); defer { lock.unlock() }
        let taken = exited
        exited.removeAll()
        return taken
    }

    private func currentSignal() -> Int32? {
        lock.lock(); defer { lock.unlock() }
        return signalled
    }

    private func installSignalHandlers() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                lock.lock()
                if signalled == nil { signalled = number }
                lock.unlock()
                wake.signal()
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private func removeSignalHandlers() {
        signalSources.forEach { $0.cancel() }
        signalSources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
