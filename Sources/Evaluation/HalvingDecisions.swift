import Foundation
import Report
import RunStore
import Spec

/// Which runs of a successive-halving search are trained, decided from the files of the finished
/// runs alone (`SuccessiveHalving` states the rule): every trial at rung 0; at rung r + 1 the
/// best ⌊n / η⌋ of the n trials of rung r, once every run of rung r has finished (completed
/// with its evaluation up to date, or diverged). The same folder gives the same decisions in
/// every process, so workers, shards and later invocations agree without talking to each other.
public struct HalvingDecisions: Sendable {
    /// What to do with one run.
    public enum State: Sendable, Equatable {
        /// Rung 0, or promoted: train it.
        case train
        /// Its trial was not promoted to this rung: it is never trained.
        case notPromoted
        /// The rung below is not decided yet (some of its runs have not finished).
        case waiting(rung: Int)
    }

    /// One trial's standing at one rung of one bracket: its score (the mean of the metric over
    /// its seeds; nil when a run diverged or did not report it) and whether it was promoted
    /// (nil at the last rung and at undecided rungs).
    public struct Entry: Sendable, Equatable {
        public var bracket: Int
        public var rung: Int
        public var trial: Int
        public var score: Double?
        public var promoted: Bool?
    }

    /// One per run of the experiment, in order.
    public let states: [State]
    /// Every trial at every rung it reached whose runs have all finished, by bracket, rung, rank.
    public let entries: [Entry]

    /// Decides every run of `experiment` (which must have a `halving` plan) from the run folders
    /// under `folder`.
    /// - Throws: `SpecError` at `search.successive_halving.metric` when the finished runs of a rung
    ///   report no such metric (the decision cannot be made; nothing is written).
    public init(experiment: Experiment, folder: String) throws(SpecError) {
        guard let plan = experiment.halving else { preconditionFailure("HalvingDecisions: the experiment has no successive halving") }
        var states = [State](repeating: .train, count: experiment.runs.count)
        var entries: [Entry] = []
        for (bracket, budgets) in plan.budgets.enumerated() {
            var active = Array(0..<plan.trials)
            for rung in budgets.indices {
                // Trials not promoted here are never trained at this rung.
                for trial in 0..<plan.trials where !active.contains(trial) {
                    for seed in 0..<plan.seeds {
                        if let p = plan.position(of: .init(bracket: bracket, rung: rung, trial: trial, seed: seed)) { states[p] = .notPromoted }
                    }
                }
                guard let scores = try Self.scores(experiment, plan, folder: folder, bracket: bracket, rung: rung, trials: active) else {
                    for later in (rung + 1)..<max(rung + 1, budgets.count) {
                        for trial in 0..<plan.trials {
                            for seed in 0..<plan.seeds {
                                if let p = plan.position(of: .init(bracket: bracket, rung: later, trial: trial, seed: seed)) {
                                    states[p] = .waiting(rung: rung)
                                }
                            }
                        }
                    }
                    break
                }
                let ranked = Self.rank(active, scores: scores, goal: plan.rule.goal)
                let last = rung == budgets.count - 1
                let kept = Set(ranked.prefix(plan.rule.promoted(from: active.count)))
                for trial in ranked {
                    entries.append(Entry(bracket: bracket, rung: rung, trial: trial, score: scores[trial] ?? nil,
                                         promoted: last ? nil : kept.contains(trial)))
                }
                if last { break }
                active = active.filter(kept.contains)
            }
        }
        self.states = states
        self.entries = entries
    }

    /// Trials in rank order: scored before unscored, better score first, then lower trial.
    static func rank(_ trials: [Int], scores: [Int: Double?], goal: SuccessiveHalving.Goal) -> [Int] {
        trials.sorted { a, b in
            switch (scores[a] ?? nil, scores[b] ?? nil) {
            case let (x?, y?) where x != y: return goal == .minimize ? x < y : x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
    }

    /// Each trial's score at a rung, or nil while some of its runs have not finished.
    private static func scores(_ experiment: Experiment, _ plan: HalvingPlan, folder: String, bracket: Int, rung: Int,
                               trials: [Int]) throws(SpecError) -> [Int: Double?]? {
        var scores: [Int: Double?] = [:]
        var reported: [String]? = nil, anyCompleted = false
        for trial in trials {
            var values: [Double] = [], scored = true
            for seed in 0..<plan.seeds {
                guard let position = plan.position(of: .init(bracket: bracket, rung: rung, trial: trial, seed: seed)) else { continue }
                let run = experiment.runs[position]
                let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
                let record = RunRecord.read(folder: runFolder.path, id: run.id, seed: run.seed, swept: run.swept,
                                            unfinishedStatus: .pending)
                switch record.status {
                case .completed:
                    guard RunEvaluator.isCurrent(runFolder, report: run.report) else { return nil }
                    anyCompleted = true
                    if reported == nil { reported = record.metrics.map(\.name) }
                    if let value = record.metric(plan.rule.metric), value.isFinite { values.append(value) } else { scored = false }
                case .diverged:
                    scored = false
                default:
                    return nil
                }
            }
            scores[trial] = scored && !values.isEmpty ? values.reduce(0, +) / Double(values.count) : nil
        }
        if anyCompleted, let reported, !reported.contains(plan.rule.metric) {
            throw SpecError(file: experiment.file, path: "search.successive_halving.metric",
                            expected: "a metric the runs report (\(reported.joined(separator: ", ")))",
                            found: JSONValue.string(plan.rule.metric).summary)
        }
        return scores
    }
}
