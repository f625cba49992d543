import ArgumentParser
import Foundation
import Runner
import Spec

/// `genlab run FILE`: trains every seed × sweep combination of an experiment file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run an experiment file describes (seeds × sweep).",
        discussion: "Results go to DIR/<name>/runs/<run-id>/. Runs already finished (final.json exists) are skipped."
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ is made.")
    var results: String = "results"

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    func run() throws {
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        let progress = quiet ? ProgressPrinter(style: .quiet) : ProgressPrinter.forStandardError()
        let runner = SweepRunner(resultsRoot: results, progress: progress)
        try failOnBadInput { try checkResultsFolder(runner.experimentFolder(experiment) + "/runs") }
        let outcomes = try failOnBadInput { try runner.run(experiment) }
        let counts = Dictionary(grouping: outcomes, by: { $0.outcome.status }).mapValues(\.count)
        let summary = ["completed", "skipped", "diverged", "failed"].compactMap { key in counts[key].map { "\($0) \(key)" } }
        print("\(experiment.name): \(outcomes.count) runs — \(summary.joined(separator: ", ")) — \(runner.experimentFolder(experiment))")
        if outcomes.contains(where: { $0.outcome.status == "failed" || $0.outcome.status == "diverged" }) {
            throw ExitCode(1)
        }
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
