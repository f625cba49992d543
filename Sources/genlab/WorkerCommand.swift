import ArgumentParser
import CProcessLifetime
import Foundation
import Runner
import Spec

/// `genlab worker FILE --run ID`: trains one run in this process. The sweep coordinator starts
/// one per run; its exit status is a `WorkerExit`. Not meant to be typed by people.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Train one run of an experiment file (used by `genlab run`).",
        shouldDisplay: false
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .customLong("run"), help: "The run's id.")
    var runID: String

    @Option(name: .long, help: "Folder under which <name>/ is made.")
    var results: String = "results"

    @Flag(name: .long, help: "Only bring a finished run's evaluation up to date; train nothing.")
    var evaluateOnly = false

    func run() throws {
        Self.dieWithCoordinator()
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        // The coordinator passes its memory limit in GENLAB_MEMORY_LIMIT.
        let limit = try failOnBadInput {
            try MemoryLimit.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        }
        let worker = RunWorker(experiment: experiment, resultsRoot: results, progress: ProgressPrinter(style: .plain),
                               memoryLimit: limit, evaluateOnly: evaluateOnly)
        let stop = StopRequest()
        let sources = Self.stopOnSignals(stop)
        let exit = try failOnBadInput { try worker.run(id: runID, stop: stop) }
        sources.forEach { $0.cancel() }
        throw ExitCode(exit.rawValue)
    }

    /// A worker started by a coordinator (which names itself in `GENLAB_COORDINATOR_PID`) is
    /// killed by the kernel the moment the coordinator dies, however it dies (SIGKILL included):
    /// no worker outlives it holding a claim. The kernel drops the worker's `flock`, so its run is
    /// free for the next invocation, which resumes it from its checkpoint. A coordinator that died
    /// before this call leaves the worker with another parent: it exits at once.
    static func dieWithCoordinator() {
        guard let text = ProcessInfo.processInfo.environment[SweepCoordinator.coordinatorVariable],
              let coordinator = Int32(text) else { return }
        _ = genlab_die_with_parent(SIGKILL)
        if getppid() != coordinator { Foundation.exit(WorkerExit.interrupted.rawValue) }
    }

    /// SIGTERM (Slurm's time limit, the coordinator stopping) and SIGINT (Ctrl-C) ask the run to
    /// write a checkpoint after the current step and stop.
    static func stopOnSignals(_ stop: StopRequest) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.request() }
            source.resume()
            return source
        }
    }
}
