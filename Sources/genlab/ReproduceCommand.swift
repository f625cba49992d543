import ArgumentParser
import Evaluation
import Foundation
import Runner

/// `genlab reproduce FILE`: runs a paper experiment, reports it and writes its `SHA256SUMS`, so
/// the results folder can be committed and later checked with `genlab verify`.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run and report one paper experiment, then write the SHA256SUMS manifest of its results.",
        discussion: "Results go to DIR/<name>/ (DIR defaults to results/paper). Exit status as for genlab run."
    )

    @Argument(help: "The experiment JSON file, e.g. experiments/paper/pacgan-table1.json.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ is made.")
    var results: String = "results/paper"

    @Option(name: .long, help: "Worker processes at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    @OptionGroup var memory: MemoryLimitOption

    func run() throws {
        let outcome = try RunCommand.sweep(file: file, results: results, jobs: jobs, quiet: quiet,
                                           memoryLimit: try memory.resolve())
        if let signal = outcome.report.stoppedBy { throw ExitCode(128 + signal) }
        _ = try ExperimentReporter(folder: outcome.folder).write(runFigures: false)
        let manifest = try ResultManifest.compute(folder: outcome.folder)
        try manifest.write(folder: outcome.folder)
        print("\(outcome.experiment.name): report and \(ResultManifest.fileName) (\(manifest.entries.count) files) — \(outcome.folder)")
        if !outcome.report.succeeded { throw ExitCode(1) }
    }
}
