import ArgumentParser
import Evaluation
import Foundation
import Report
import RunStore
import Runner
import Spec

/// `genlab status FILE`: every run of the file with its id, swept values and state, read from
/// the results folder without changing it.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List every run of an experiment file with its id, swept values and state."
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ was made.")
    var results: String = "results"

    func run() throws {
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        let experimentFolder = results + "/" + experiment.name
        let sweptPaths = experiment.runs.first?.swept.map(\.path) ?? []
        var rows = [["#", "run", "state", "seed"] + sweptPaths + ["detail"]]
        var counts: [String: Int] = [:]
        // Successive halving: runs whose trial was not promoted, or whose rung is not decided yet.
        let halving = experiment.halving == nil ? nil
            : try failOnBadInput { try HalvingDecisions(experiment: experiment, folder: experimentFolder) }
        for (i, run) in experiment.runs.enumerated() {
            let folder = RunFolder(experimentFolder: experimentFolder, runID: run.id)
            switch halving?.states[i] {
            case .notPromoted?:
                counts["not promoted", default: 0] += 1
                rows.append(["\(i + 1)", run.id, "not promoted", "\(run.seed)"] + run.swept.map(\.value) + ["its trial stopped at a lower rung"])
                continue
            case .waiting(let rung)?:
                counts["waiting", default: 0] += 1
                rows.append(["\(i + 1)", run.id, "waiting", "\(run.seed)"] + run.swept.map(\.value)
                             + ["promoted or not once every run of rung \(rung + 1) (of its trials) has finished"])
                continue
            default: break
            }
            let state = RunState(folder: folder) { RunProgress(folder: folder, run: run)?.summary(since: $0.started) }
            counts[state.name, default: 0] += 1
            var detail = state.detail
            if state == .finished(.completed), !RunEvaluator.isCurrent(folder, report: run.report) {
                detail = "evaluation does not answer the file's report section (genlab run evaluates it)"
            }
            rows.append(["\(i + 1)", run.id, state.name, "\(run.seed)"] + run.swept.map(\.value) + [detail])
        }
        print(Self.table(rows), terminator: "")
        let order: [RunStatus] = [.completed, .diverged, .damaged, .running, .partial, .failed, .pending]
        let summary = (order.map(\.rawValue) + ["waiting", "not promoted"]).compactMap { key in counts[key].map { "\($0) \(key)" } }
        print("\(experiment.name): \(experiment.runs.count) runs — \(summary.joined(separator: ", ")) — \(experimentFolder)")
        let known = Set(experiment.runs.map(\.id))
        let onDisk = (try? FileManager.default.contentsOfDirectory(atPath: experimentFolder + "/runs")) ?? []
        let others = onDisk.filter { !$0.hasPrefix(".") && !known.contains($0) }
        if !others.isEmpty {
            print("\(others.count) other run folder(s) there belong to other versions of the file and are not listed.")
        }
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
