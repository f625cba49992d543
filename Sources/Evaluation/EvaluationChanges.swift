import Report
import Spec

/// What a changed `report` section asks of finished runs, summed over the runs, for the line
/// `genlab run` and `genlab evaluate` print before starting: "4 runs done; evaluating fid on 4".
/// Read from the runs' `evaluation.json` and the report alone (no model is loaded), so it names
/// what the report asks for; which figures a model allows is settled when each run is evaluated.
package struct EvaluationChanges {
    /// Finished runs whose evaluation does not answer the report section.
    package var runs: Int { ids.count }
    /// Their ids.
    package private(set) var ids: Set<String> = []
    /// Figures and metrics to compute, each with the number of runs, in first-seen order.
    private var computing: [(name: String, runs: Int)] = []
    /// Figures and metrics to remove, likewise.
    private var removing: [(name: String, runs: Int)] = []

    /// Counts one finished run whose evaluation (`recorded`, nil when it has none) is stale.
    package init() {}

    package mutating func add(_ id: String, recorded: EvaluationRecord?, report: ReportSpec) {
        ids.insert(id)
        guard let recorded else {
            count(&computing, "all figures and metrics")
            return
        }
        for kind in report.grids {
            let options = RunEvaluator.options(of: kind, report: report)
            if let drawn = recorded.figures[kind.rawValue], drawn == options { continue }
            // A kind the model does not allow is never recorded; it is not news unless newly listed.
            if recorded.figures[kind.rawValue] == nil, Self.listed(kind, in: recorded.report) { continue }
            count(&computing, kind.rawValue)
        }
        for metric in report.metrics {
            if case .object(let kept)? = recorded.metrics[metric.name],
               kept["parameters"] == .object(JSONObject(pairs: metric.parameters)) { continue }
            count(&computing, metric.name)
        }
        let grids = Set(report.grids.map(\.rawValue)), metrics = Set(report.metrics.map(\.name))
        for kind in recorded.figures.keys where !grids.contains(kind) { count(&removing, kind) }
        for name in recorded.metrics.keys where !metrics.contains(name) && !MixtureOutputs.metricNames.contains(name) {
            count(&removing, name)
        }
    }

    /// "4 runs done; evaluating fid on 4, interpolations on 2; removing kid from 4".
    package func sentence(doneRuns: Int) -> String {
        func list(_ items: [(name: String, runs: Int)], _ preposition: String) -> String {
            items.map { "\($0.name) \(preposition) \($0.runs)" }.joined(separator: ", ")
        }
        var text = "\(doneRuns) run\(doneRuns == 1 ? "" : "s") done; evaluating "
        text += computing.isEmpty ? "\(runs) (the report section changed)" : list(computing, "on")
        if !removing.isEmpty { text += "; removing " + list(removing, "from") }
        return text
    }

    private static func listed(_ kind: GridKind, in report: JSONValue) -> Bool {
        guard case .object(let object) = report, case .array(let grids)? = object["grids"] else { return false }
        return grids.contains(.string(kind.rawValue))
    }

    private func count(_ items: inout [(name: String, runs: Int)], _ name: String) {
        if let index = items.firstIndex(where: { $0.name == name }) {
            items[index].runs += 1
        } else {
            items.append((name, 1))
        }
    }
}
