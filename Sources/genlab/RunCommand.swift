import ArgumentParser
import Evaluation
import Foundation
import Report
import RunStore
import Runner
import Spec

/// `genlab run FILE`: trains every seed × sweep combination of an experiment file, in worker
/// processes, resuming what an earlier invocation left unfinished.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run an experiment file describes (seeds × sweep).",
        discussion: """
            Results go to DIR/<name>/runs/<run-id>/. Runs already finished (final.json exists and its files \
            match the digests it records) are skipped; damaged ones are moved to DIR/<name>/damaged/ and \
            restored; unfinished ones continue from their last checkpoint. Exit status 0 when every run \
            succeeded, 1 when one failed or diverged or the results could not be written, 2 for bad input, \
            130/143 when stopped by SIGINT/SIGTERM.
            """
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ is made.")
    var results: String = "results"

    @Option(name: .long, help: "Worker processes at once (default: the cores divided by the file's training.threads).")
    var jobs: Int?

    @Option(name: .long, help: "Only the runs of shard I of N (0 ≤ I < N), e.g. 3/8.")
    var shard: String?

    @Flag(name: .long, help: "Stop at the first failed or diverged run.")
    var failFast = false

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    @OptionGroup var memory: MemoryLimitOption

    func run() throws {
        let outcome = try Self.sweep(file: file, results: results, jobs: jobs, shard: shard, failFast: failFast, quiet: quiet,
                                     memoryLimit: try memory.resolve())
        if outcome.report.stoppedBy == nil { Self.writeReport(folder: outcome.folder, quiet: quiet) }
        if let signal = outcome.report.stoppedBy { throw ExitCode(128 + signal) }
        if !outcome.report.succeeded { throw ExitCode(1) }
    }

    /// Preflights and runs every selected run of `file` in worker processes; prints the one-line
    /// summary. Shared by `run`, `reproduce` and `verify`.
    static func sweep(file: String, results: String, jobs: Int?, shard: String? = nil, failFast: Bool = false,
                      quiet: Bool, memoryLimit: MemoryLimit = .standard) throws -> (experiment: Experiment, report: SweepReport, folder: String) {
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        let cores = ProcessInfo.processInfo.activeProcessorCount, threads = CoreSharing.threads(of: experiment.runs)
        var options = try failOnBadInput {
            try sweepOptions(jobs: jobs ?? min(256, CoreSharing.jobs(cores: cores, threads: threads)), shard: shard, failFast: failFast)
        }
        if !quiet, let note = CoreSharing.oversubscription(jobs: options.jobs, threads: threads, cores: cores) {
            FileHandle.standardError.write(Foundation.Data((note + "\n").utf8))
        }
        options.memoryLimit = memoryLimit
        let coordinator = SweepCoordinator(experiment: experiment, experimentFile: file, executable: Self.executablePath,
                                           resultsRoot: results, options: options,
                                           display: quiet ? SweepDisplay(style: .quiet) : SweepDisplay.forStandardError())
        try failOnBadInput {
            _ = try ResultsLocation.experimentFolder(root: results, name: experiment.name, file: file)
            try checkResultsFolder(coordinator.experimentFolder + "/runs", results: results)
        }
        try failOnBadInput {
            let catalog = DataCatalog(resultsRoot: results)  // decodes image folders once, for every worker
            let executor = RunExecutor(file: experiment.file, catalog: catalog, progress: ProgressPrinter(style: .quiet),
                                       memoryLimit: memoryLimit)
            for (_, run) in coordinator.selectedRuns { try executor.preflight(run) }
        }
        let report = try failOnBadInput { try coordinator.run() }
        let slice = options.shard.map { " (shard \($0))" } ?? ""
        print("\(experiment.name)\(slice): \(coordinator.selectedRuns.count) runs — \(summary(report)) — \(coordinator.experimentFolder)")
        return (experiment, report, coordinator.experimentFolder)
    }

    /// "3 completed, 1 evaluated, 2 skipped": the count of each ending that occurred.
    static func summary(_ report: SweepReport) -> String {
        let endings: [SweepReport.Ending] = [.completed, .evaluated, .alreadyDone, .doneElsewhere, .notTrained, .notPromoted,
                                             .waiting, .diverged, .failed, .interrupted]
        return endings.compactMap { ending in
            let n = report.count(ending)
            return n > 0 ? "\(n) \(ending == .alreadyDone ? "skipped" : ending.rawValue)" : nil
        }.joined(separator: ", ")
    }

    /// The experiment's report (tables, figures, index.html) from the run folders as they now
    /// are; the runs drew their own model figures. A report that fails does not fail the sweep.
    static func writeReport(folder: String, quiet: Bool) {
        do {
            _ = try ExperimentReporter(folder: folder).write(runFigures: false)
            if !quiet { print("report: \(folder)/index.html") }
        } catch {
            FileHandle.standardError.write(Foundation.Data("warning: the report of \(folder) was not written: \(error)\n".utf8))
        }
    }

    static func sweepOptions(jobs: Int?, shard: String?, failFast: Bool) throws(SpecError) -> SweepOptions {
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
    /// `folder` (`<results>/<name>/runs`) must be a directory, not a file, that this process can
    /// write (not on a read-only mount), and no part of the path may be too long. Otherwise the folder
    /// could not be created after the preflight, and the user would see a raw Foundation error
    /// and exit status 1 instead of a bad-input message.
    static func checkResultsFolder(_ folder: String, results: String) throws(SpecError) {
        // Absolute, so that walking up ends at "/" (Foundation traps on the last component of
        // some one-letter relative paths, "r" say).
        let absolute = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder
        var path = (absolute as NSString).standardizingPath
        let expected = "a folder to hold results (--results \(results))"
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > 255 }) ?? (path.utf8.count >= 4096 ? Substring(path) : nil) {
            throw SpecError(file: results, path: "", expected: expected + " whose path the system accepts",
                            found: "\(FileSystemError.reason(ENAMETOOLONG)): \(long.utf8.count) bytes")
        }
        while !path.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw SpecError(file: path, path: "", expected: expected, found: "a file")
                }
                // Root passes permission bits but not a read-only mount; access(2) reports both.
                guard access(path, W_OK | X_OK) == 0 else {
                    throw SpecError(file: path, path: "", expected: expected + " that can be written",
                                    found: FileSystemError.reason(errno))
                }
                return
            }
            let parent = PathText.parent(path)
            if parent == path { return }
            path = parent
        }
    }
}
