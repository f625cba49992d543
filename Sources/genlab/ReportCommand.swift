import ArgumentParser
import Evaluation
import Foundation
import Report
import Runner
import Spec

/// `genlab report DIR`: regenerates an experiment's report (summary tables, figures, every run's
/// pictures, `index.html`) from its results folder, without training.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate an experiment's summary tables, figures and index.html from its results folder.",
        discussion: """
            DIR is results/<name>, as written by genlab run (which also reports when it ends). Each finished \
            run's model figures are redrawn from its checkpoint unless --no-run-figures is given; runs without \
            a checkpoint keep the pictures they have. The same run folders give byte-identical files.
            """
    )

    @Argument(help: "The experiment's results folder, e.g. results/quickstart.")
    var folder: String

    @Flag(name: .long, help: "Do not redraw the runs' model figures from their checkpoints.")
    var noRunFigures = false

    func run() throws {
        // Redrawn figures must match the run's bytes, so BLAS must pick the kernels the workers
        // used: the environment variable is read when the library loads, hence a fresh process.
        if !noRunFigures, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            throw ExitCode(try Self.rerunWithWorkerEnvironment())
        }
        let reporter = try failOnBadInput { try ExperimentReporter(folder: folder) }
        let outcome = try reporter.write(runFigures: !noRunFigures)
        for (run, problems) in outcome.damaged {
            FileHandle.standardError.write(Foundation.Data(
                "warning: run \(run) is damaged: \(problems); its numbers are left out (genlab run restores it)\n".utf8))
        }
        for (run, reason) in outcome.skippedFigures {
            FileHandle.standardError.write(Foundation.Data("note: run \(run): figures kept as they were: \(reason)\n".utf8))
        }
        if !outcome.summary.table.unreported.isEmpty {
            FileHandle.standardError.write(Foundation.Data(
                "warning: report.table names metrics no completed run reported: \(outcome.summary.table.unreported.joined(separator: ", "))\n".utf8))
        }
        let runs = outcome.summary.runs
        let completed = runs.filter { $0.status == .completed }.count
        print("\(reporter.experiment.name): report of \(runs.count) runs (\(completed) completed) — \(folder)/index.html")
    }

    /// Runs this same command line again with the workers' BLAS environment (`coreType`: a native
    /// run's recorded kernel family instead of the portable one); returns its status.
    static func rerunWithWorkerEnvironment(coreType: String? = nil) throws -> Int32 {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: RunCommand.executablePath)
        child.arguments = Array(CommandLine.arguments.dropFirst())
        child.environment = WorkerEnvironment.make(base: ProcessInfo.processInfo.environment)
        if let coreType { child.environment?["OPENBLAS_CORETYPE"] = coreType }
        try child.run()
        child.waitUntilExit()
        return child.terminationStatus
    }
}
