import ArgumentParser
import Evaluation
import Foundation
import Report
import Runner
import Spec

/// `genlab evaluate DIR [--metric SPEC ...]`: brings the evaluation of every finished run in a
/// results folder up to date with its `experiment.json`'s `report` section, plus the metrics
/// given on the command line, from the runs' checkpoints, in worker processes; trains nothing.
/// Then rewrites the report.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compute figures and metrics of an existing results folder's finished runs, without training.",
        discussion: """
            DIR is results/<name>, written by genlab run. Every finished run's evaluation.json is brought up to \
            date with the report section of DIR/experiment.json and the --metric entries: only what is missing \
            or changed is computed, from the run's checkpoint. A --metric entry is a metric of report.metrics as \
            JSON text ('{"name": "fid", "samples": 5000}') or a bare name for its defaults (fid); it replaces a \
            declared metric of the same name. The entries are not written into experiment.json, so a later \
            genlab run of the experiment file, which makes the evaluation answer that file's report section, \
            removes them again: declare a metric in the file to keep it. Runs that have not finished training \
            are left alone. Exit status 0 when every finished run was evaluated, 1 when one failed, 2 for bad input.
            """
    )

    @Argument(help: "The experiment's results folder (results/<name>).")
    var folder: String

    @Option(name: .customLong("metric"), help: "A metric to compute besides the declared ones (JSON text or a bare name).")
    var metrics: [String] = []

    @Option(name: .long, help: "Worker processes at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    func run() throws {
        let recorded = folder + "/experiment.json"
        let (experiment, text) = try failOnBadInput { () throws -> (Experiment, String) in
            let experiment = try ExperimentReporter(folder: folder).experiment
            guard PathText.lastComponent((folder as NSString).standardizingPath) == experiment.name else {
                throw SpecError(file: folder, path: "", expected: "a results folder named after its experiment (\(experiment.name))",
                                found: "a folder named \(JSONWriter.quoted(PathText.lastComponent(folder)))")
            }
            return (experiment, try Self.withMetrics(metrics, source: experiment.source, file: recorded))
        }
        let results = PathText.parent((folder as NSString).standardizingPath)
        // The workers read the experiment with the added metrics from a hidden file next to
        // experiment.json, which stays as it was run.
        let file = folder + "/.evaluate-\(getpid()).json"
        try AtomicFile.write(text, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var options = try failOnBadInput { try RunCommand.sweepOptions(jobs: jobs, shard: nil, failFast: false) }
        options.evaluateOnly = true
        let loaded = try failOnBadInput { try ExperimentLoader.load(path: file) }
        let coordinator = SweepCoordinator(experiment: loaded, experimentFile: file, executable: RunCommand.executablePath,
                                           resultsRoot: results.isEmpty ? "." : results, options: options,
                                           display: quiet ? SweepDisplay(style: .quiet) : SweepDisplay.forStandardError())
        let report = try coordinator.run()
        print("\(experiment.name): \(experiment.runs.count) runs — \(RunCommand.summary(report)) — \(folder)")
        if report.stoppedBy == nil { RunCommand.writeReport(folder: folder, quiet: quiet) }
        if let signal = report.stoppedBy { throw ExitCode(128 + signal) }
        if !report.succeeded { throw ExitCode(1) }
    }

    /// The experiment file's text with `entries` in `report.metrics` (replacing declared metrics of
    /// the same names). Each entry is checked alone first, so a bad one is named as given.
    static func withMetrics(_ entries: [String], source: String, file: String) throws -> String {
        guard !entries.isEmpty else { return source }
        guard case .object(var root) = try JSONParser.parse(source, file: file) else { return source }
        var report: JSONObject = [:]
        if case .object(let declared)? = root["report"] { report = declared }
        var list: [JSONValue] = []
        if case .array(let declared)? = report["metrics"] { list = declared }
        for entry in entries {
            let value = (try? JSONParser.parse(entry, file: "--metric")) ?? .string(entry)
            let name: String? = value.stringValue ?? { if case .object(let o) = value { return o["name"]?.stringValue }; return nil }()
            list.removeAll { declared in
                let declaredName = declared.stringValue ?? { if case .object(let o) = declared { return o["name"]?.stringValue }; return nil }()
                return declaredName != nil && declaredName == name
            }
            var single = root, singleReport = report
            singleReport["metrics"] = .array([value])
            single["report"] = .object(singleReport)
            do {
                _ = try ExperimentLoader.parse(text: JSONWriter.pretty(.object(single)), file: file)
            } catch let error as SpecError {
                let inside = error.path.hasPrefix("report.metrics[0]") ? String(error.path.dropFirst("report.metrics[0]".count)) : ""
                throw SpecError(file: "command line", path: "--metric \(entry)" + (inside.isEmpty ? "" : " at " + inside.drop { $0 == "." }),
                                expected: error.expected, found: error.found, hint: error.hint)
            }
            list.append(value)
        }
        report["metrics"] = .array(list)
        root["report"] = .object(report)
        let text = JSONWriter.pretty(.object(root)) + "\n"
        _ = try ExperimentLoader.parse(text: text, file: file)
        return text
    }
}
