import Report
import Spec

/// The report of a successive-halving search from its decisions: the rung table
/// (`SearchTable`, for `search.md` and `index.html`) and `search.json` — per bracket, each rung's
/// budget and its trials in rank order with their score and promotion, and the best
/// configuration: the first-ranked trial of the highest rung decided so far.
enum HalvingReport {
    static func make(experiment: Experiment, decisions: HalvingDecisions) -> (table: SearchTable, json: JSONValue) {
        guard let plan = experiment.halving else { preconditionFailure("HalvingReport: no successive halving") }
        let rule = plan.rule
        let searched = Self.searchedPaths(experiment)
        // A representative run per (bracket, trial): its swept values name the bracket and the trial.
        var first: [Int: [Int: RunSpec]] = [:]
        for (position, place) in plan.places.enumerated() where first[place.bracket]?[place.trial] == nil {
            first[place.bracket, default: [:]][place.trial] = experiment.runs[position]
        }
        func value(_ run: RunSpec?, _ path: String) -> String? { run?.swept.first { $0.path == path }?.value }
        func parsed(_ text: String?) -> JSONValue { text.flatMap { try? JSONParser.parse($0, file: "") } ?? .null }
        func score(_ x: Double?) -> String { x.map(ReadableNumber.format) ?? "—" }

        var lines = ["Trials ranked by \(rule.metric) (\(rule.goal.rawValue), the mean over \(plan.seeds) seed\(plan.seeds == 1 ? "" : "s")); "
                     + "each rung keeps the best ⌊n / \(rule.reduction)⌋ (at least 1), ties to the lower trial, and the kept trials "
                     + "continue from their checkpoints to the next budget."]
        let bracketPaths = experiment.runs.first?.swept.map(\.path).filter { !searched.contains($0) && $0 != RandomSearch.trialPath
            && $0 != SuccessiveHalving.budgetPath } ?? []
        let header = (plan.budgets.count > 1 ? bracketPaths : []) + ["epochs", "rank", "trial"] + searched + [rule.metric, "promoted"]
        var rows: [[String]] = []
        var brackets: [JSONValue] = []
        for (bracket, budgets) in plan.budgets.enumerated() {
            let entries = decisions.entries.filter { $0.bracket == bracket }
            let bracketValues = bracketPaths.map { value(first[bracket]?.values.first, $0).map(SummaryTables.plainValue) ?? "" }
            var rungs: [JSONValue] = []
            for (rung, budget) in budgets.enumerated() {
                let ranked = entries.filter { $0.rung == rung }
                for (rank, entry) in ranked.enumerated() {
                    let run = first[bracket]?[entry.trial]
                    rows.append((plan.budgets.count > 1 ? bracketValues : []) + ["\(budget)", "\(rank + 1)", "\(entry.trial)"]
                                + searched.map { value(run, $0).map(SummaryTables.plainValue) ?? "" }
                                + [score(entry.score), entry.promoted.map { $0 ? "yes" : "no" } ?? ""])
                }
                rungs.append(.object(["epochs": .int(Int64(budget)), "decided": .bool(!ranked.isEmpty),
                                      "trials": .array(ranked.map { entry in
                                          .object(["trial": .int(Int64(entry.trial)),
                                                   rule.metric: entry.score.map(JSONValue.number) ?? .null,
                                                   "promoted": entry.promoted.map(JSONValue.bool) ?? .null])
                                      })]))
            }
            var object: JSONObject = ["swept": .object(JSONObject(pairs: bracketPaths.map { ($0, parsed(value(first[bracket]?.values.first, $0))) })),
                                      "rungs": .array(rungs)]
            if let highest = entries.map(\.rung).max(), let top = entries.first(where: { $0.rung == highest }) {
                let run = first[bracket]?[top.trial]
                let budget = budgets[top.rung]
                let parameters = searched.map { "\($0) = \(value(run, $0).map(SummaryTables.plainValue) ?? "")" }.joined(separator: ", ")
                lines.append("Best\(plan.budgets.count > 1 ? " (" + zip(bracketPaths, bracketValues).map { "\($0) = \($1)" }.joined(separator: ", ") + ")" : ""): "
                             + "trial \(top.trial) (\(parameters)), \(rule.metric) \(score(top.score)) at \(budget) epochs"
                             + (top.rung < budgets.count - 1 ? " (rung \(top.rung + 1) of \(budgets.count); the search goes on)" : "") + ".")
                object["best"] = .object(["trial": .int(Int64(top.trial)), "epochs": .int(Int64(budget)),
                                          rule.metric: top.score.map(JSONValue.number) ?? .null,
                                          "parameters": .object(JSONObject(pairs: searched.map { ($0, parsed(value(run, $0))) }))])
            }
            brackets.append(.object(object))
        }
        let json: JSONValue = .object(["metric": .string(rule.metric), "goal": .string(rule.goal.rawValue),
                                       "reduction": .int(Int64(rule.reduction)), "min_epochs": .int(Int64(rule.minEpochs)),
                                       "seeds": .int(Int64(plan.seeds)), "trials": .int(Int64(plan.trials)),
                                       "brackets": .array(brackets)])
        return (SearchTable(lines: lines, header: header, rows: rows), json)
    }

    /// The searched paths: the swept paths between `trial` and the budget.
    static func searchedPaths(_ experiment: Experiment) -> [String] {
        guard let paths = experiment.runs.first?.swept.map(\.path), let trial = paths.firstIndex(of: RandomSearch.trialPath) else { return [] }
        return Array(paths[(trial + 1)...]).filter { $0 != SuccessiveHalving.budgetPath }
    }
}
