import Spec

/// Mean, sample standard deviation and count of one metric over the seeds of a configuration.
public struct MetricStats: Sendable, Equatable {
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator); nil when n < 2.
    public var sd: Double?
    public var n: Int

    /// Stats of `values` in the given order (the summation order is fixed, so bytes are stable).
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        n = values.count
        var sum = 0.0
        for value in values { sum += value }
        mean = sum / Double(n)
        guard n > 1 else { sd = nil; return }
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        sd = (squares / Double(n - 1)).squareRoot()
    }
}

/// One configuration of a sweep — one value of every swept path — with its runs over seeds.
public struct ConfigurationSummary: Sendable, Equatable {
    /// The swept values that define it, in the file's sweep order.
    public var values: [SweptValue]
    /// Its runs in the file's seed order.
    public var runs: [RunRecord]
    /// Per metric (in `ExperimentSummary.metrics` order), the stats over completed runs with a
    /// finite value; nil when no run has one.
    public var metrics: [MetricStats?]

    /// How many of its runs have this status.
    public func count(_ status: RunStatus) -> Int { runs.filter { $0.status == status }.count }

    /// Runs without a recorded ending (pending, partial, running, damaged).
    public var unfinished: Int { runs.filter { !RunStatus.recorded.contains($0.status) }.count }
}

/// Everything the summary tables and figures show, aggregated from the run records of one
/// experiment: configurations in the order the sweep expands, metrics in a stable order.
public struct ExperimentSummary: Sendable, Equatable {
    public var experiment: String
    /// The swept paths, in the file's order.
    public var sweptPaths: [String]
    /// Every metric some completed run reported, in first-seen order (runs in file order, each
    /// run's metrics in `final.json` order).
    public var metrics: [String]
    public var configurations: [ConfigurationSummary]
    /// The metric columns of `summary.md` and `index.html`: the default choice (`TableColumns`)
    /// until the reporter sets the experiment's (declared metrics, `report.table`).
    public var table: TableColumns

    /// Groups `runs` (in expansion order) by their swept values.
    public init(experiment: String, sweptPaths: [String], runs: [RunRecord]) {
        self.experiment = experiment
        self.sweptPaths = sweptPaths
        var names: [String] = []
        for run in runs where run.status == .completed {
            for metric in run.metrics where !names.contains(metric.name) { names.append(metric.name) }
        }
        metrics = names
        var groups: [(values: [SweptValue], runs: [RunRecord])] = []
        for run in runs {
            if let index = groups.firstIndex(where: { $0.values == run.swept }) {
                groups[index].runs.append(run)
            } else {
                groups.append((run.swept, [run]))
            }
        }
        configurations = groups.map { group in
            let stats = names.map { name in
                MetricStats(group.runs.filter { $0.status == .completed }.compactMap { run in
                    run.metric(name).flatMap { $0.isFinite ? $0 : nil }
                })
            }
            return ConfigurationSummary(values: group.values, runs: group.runs, metrics: stats)
        }
        table = TableColumns(reported: names, runs: runs, declared: nil, requested: nil)
    }

    /// The stats of `metric` in `configuration` (nil when no completed run reported it).
    public func stats(_ metric: String, in configuration: ConfigurationSummary) -> MetricStats? {
        metrics.firstIndex(of: metric).flatMap { configuration.metrics[$0] }
    }

    /// Every run, in expansion order.
    public var runs: [RunRecord] { configurations.flatMap(\.runs) }
}
