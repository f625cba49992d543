import ArgumentParser
import Foundation
import Runner
import Spec

/// `genlab run FILE`: trains every seed × sweep combination of an experiment file, in worker
/// processes, resuming what an earlier invocation left unfinished.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run an experiment file describes (seeds × sweep).",
        discussion: """
            Results go to DIR/<name>/runs/<run-id>/. Runs already finished (final.json exists) are skipped; \
            unfinished ones continue from their last checkpoint. Exit status 0 when every run succeeded, \
            1 when one failed or diverged, 2 for bad input, 130/143 when stopped by SIGINT/SIGTERM.
            """
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ is made.")
    var results: String = "results"

    @Option(name: .long, help: "Worker processes at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: .long, help: "Only the runs of shard I of N (0 ≤ I < N), e.g. 3/8.")
    var shard: String?

    @Flag(name: .long, help: "Stop at the first failed or diverged run.")
    var failFast = false

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    func run() throws {
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        let options = try failOnBadInput { try sweepOptions() }
        let coordinator = SweepCoordinator(experiment: experiment, experimentFile: file, executable: Self.executablePath,
                                           resultsRoot: results, options: options,
                                           display: quiet ? SweepDisplay(style: .quiet) : SweepDisplay.forStandardError())
        try failOnBadInput { try checkResultsFolder(coordinator.experimentFolder + "/runs") }
        try failOnBadInput {
            let catalog = DataCatalog()
            let executor = RunExecutor(file: experiment.file, catalog: catalog, progress: ProgressPrinter(style: .quiet))
            for (_, run) in coordinator.selectedRuns { try executor.preflight(run) }
        }
        let report = try coordinator.run()
        let endings: [SweepReport.Ending] = [.completed, .alreadyDone, .doneElsewhere, .diverged, .failed, .interrupted]
        let summary = endings.compactMap { ending in
            let n = report.count(ending)
            return n > 0 ? "\(n) \(ending == .alreadyDone ? "skipped" : ending.rawValue)" : nil
        }
        let slice = options.shard.map { " (shard \($0))" } ?? ""
        print("\(experiment.name)\(slice): \(coordinator.selectedRuns.count) runs — \(summary.joined(separator: ", ")) — \(coordinator.experimentFolder)")
        if let signal = report.stoppedBy { throw ExitCode(128 + signal) }
        if !report.succeeded { throw ExitCode(1) }
    }

    private func sweepOptions() throws(SpecError) -> SweepOptions {
        if let jobs, !(1...256).contains(jobs) {
            throw SpecError(file: "command line", path: "--jobs", expected: "a number of worker processes from 1 to 256",
                            found: "\(jobs)")
        }
        var parsed: Shard?
        if let shard {
            guard let value = Shard(parsing: shard) else {
                throw SpecError(file: "command line", path: "--shard", expected: "I/N with 0 ≤ I < N, e.g. 0/4",
                                found: "\"\(shard)\"")
            }
            parsed = value
        }
        return SweepOptions(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, shard: parsed, failFast: failFast)
    }

    /// This program's own path, for starting workers.
    static var executablePath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}

extension RunCommand {
    /// `--results` must lead to a folder that can be made: the nearest existing ancestor of
    /// `folder` (`<results>/<name>/runs`) must be a directory, not a file. Otherwise the folder
    /// could not be created after the preflight, and the user would see a raw Foundation error
    /// and exit status 1 instead of a bad-input message.
    func checkResultsFolder(_ folder: String) throws(SpecError) {
        var path = (folder as NSString).standardizingPath
        while !path.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw SpecError(file: path, path: "", expected: "a folder to hold results (--results \(results))",
                                    found: "a file")
                }
                return
            }
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path { return }
            path = parent
        }
    }
}
