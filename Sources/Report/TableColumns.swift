/// The metric columns of the tables people read (`summary.md`, `index.html`), chosen from every
/// metric the runs reported (all of which stay in `runs.csv`, `summary.csv` and `summary.json`).
///
/// With `report.table` the file names them, in its order. By default they are the model's main
/// metrics: each declared metric's result (its value, and the results it carries beside it, such
/// as `precision_recall.precision`), the mode metrics of 2-D data, then the held-out terms of the
/// objective (`test_neg_elbo`, `test_recon`, `test_kl`, `test_pixel_mse`, `test_d_loss`). Counts and
/// parameters (`fid.real`, `iwae.examples`, a classifier's test accuracy) and training-set numbers
/// never appear by default, and neither does a column whose value is the same in every completed
/// run (when there are at least two): it tells no configuration from another.
public struct TableColumns: Sendable, Equatable {
    /// The metric names shown, in order.
    public var metrics: [String]
    /// Names `report.table` asked for that no completed run reported (shown nowhere; reported).
    public var unreported: [String]

    /// `reported`: every metric a completed run reported (`ExperimentSummary.metrics`); `runs`:
    /// the runs; `declared`: the declared metrics' names in the file's order (`report.metrics`,
    /// every variant's), followed by any others among `reported` (`declaredNames(in:)`);
    /// `requested`: `report.table`, if the file has one.
    public init(reported: [String], runs: [RunRecord], declared: [String]?, requested: [String]?) {
        if let requested {
            metrics = requested.filter(reported.contains)
            unreported = requested.filter { !reported.contains($0) }
            return
        }
        unreported = []
        var chosen: [String] = []
        func take(_ name: String) { if reported.contains(name), !chosen.contains(name) { chosen.append(name) } }
        // The file's order first; then metrics the runs report that it does not declare (added by
        // `genlab evaluate --metric`, say).
        let declared = (declared ?? []) + Self.declaredNames(in: reported)
        for name in declared {
            take(name)
            for part in Self.resultParts[name] ?? [] { take(name + "." + part) }
        }
        Self.modeMetrics.forEach(take)
        Self.objectiveTerms.forEach(take)
        metrics = chosen.filter { !Self.isConstant($0, in: runs) }
    }

    /// The declared metrics among reported names, in their order: names that are neither a
    /// training number nor a mode metric, and the metrics whose results come only as parts
    /// (`precision_recall`).
    static func declaredNames(in reported: [String]) -> [String] {
        var names: [String] = []
        for name in reported {
            let base = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            guard base == name || resultParts[base] != nil, !names.contains(base) else { continue }
            guard !base.hasPrefix("train_"), !base.hasPrefix("test_"), !modeMetrics.contains(base), !modeCounts.contains(base) else { continue }
            names.append(base)
        }
        return names
    }

    /// Results a declared metric reports beside its `value` (docs/metrics.md).
    static let resultParts: [String: [String]] = [
        "precision_recall": ["precision", "recall"],
        "dci": ["completeness", "informativeness_test"],
        "kl_per_dimension": ["total"],
    ]
    /// The mode metrics of 2-D data that are results (`mode_count` and the sample count are not).
    static let modeMetrics = ["modes_captured", "hq_fraction", "reverse_kl"]
    static let modeCounts = ["mode_count", "mode_metric_samples"]
    /// The held-out terms of the models' objectives, in reading order.
    static let objectiveTerms = ["test_neg_elbo", "test_recon", "test_kl", "test_pixel_mse", "test_d_loss"]

    /// True when at least two completed runs report `name` and all give the same number.
    static func isConstant(_ name: String, in runs: [RunRecord]) -> Bool {
        let values = runs.filter { $0.status == .completed }.compactMap { $0.metric(name) }
        guard values.count >= 2, let first = values.first else { return false }
        return values.allSatisfy { $0 == first || ($0.isNaN && first.isNaN) }
    }
}
