import Spec

/// The three summary files of an experiment: `summary.md` (numbers for reading), `summary.csv`
/// (one row per configuration, full precision) and `summary.json` (everything, full precision,
/// with the per-run table). Pure functions of an `ExperimentSummary`, so the same run folders give
/// the same bytes.
public enum SummaryTables {
    /// The Markdown file: a configuration table (mean ± sd over seeds, n, run counts) and a
    /// per-run table, both with the metric columns of `summary.table`.
    public static func markdown(_ summary: ExperimentSummary) -> String {
        var out = "# \(summary.experiment): summary\n\n"
        let total = summary.runs.count
        let counts = RunStatus.recorded.map { status in
            "\(summary.runs.filter { $0.status == status }.count) \(status.rawValue)"
        }
        let unfinished = summary.configurations.reduce(0) { $0 + $1.unfinished }
        out += "\(total) runs in \(summary.configurations.count) configuration(s): \(counts.joined(separator: ", "))"
        out += unfinished > 0 ? ", \(unfinished) unfinished.\n\n" : ".\n\n"
        out += "Each cell: mean ± sample standard deviation over the completed runs (seeds); n counts them.\n\n"

        let columns = summary.table.metrics
        var header = summary.sweptPaths.map { "`\($0)`" } + ["n", "runs"]
        header += columns
        var rows: [[String]] = []
        for configuration in summary.configurations {
            let n = configuration.count(.completed)
            var row = configuration.values.map { plainValue($0.value) } + ["\(n)", runCounts(configuration)]
            row += columns.map { summary.stats($0, in: configuration).map(ReadableNumber.format) ?? "–" }
            rows.append(row)
        }
        out += table(header: header, rows: rows)
        out += "\n" + columnsNote(summary) + "\n"

        out += "\n## Runs\n\n"
        var runHeader = ["run", "seed"] + summary.sweptPaths.map { "`\($0)`" } + ["status"]
        runHeader += columns
        let runRows = summary.runs.map { run in
            ["`\(run.id)`", "\(run.seed)"] + run.swept.map { plainValue($0.value) } + [run.status.rawValue + (run.reason.map { ": \($0)" } ?? "")]
                + columns.map { run.metric($0).map(ReadableNumber.format) ?? "–" }
        }
        out += table(header: runHeader, rows: runRows)
        return out
    }

    /// One row per configuration: the swept values, run counts, then `<metric>_mean`,
    /// `<metric>_sd`, `<metric>_n` for each metric, numbers in shortest round-trip form.
    public static func csv(_ summary: ExperimentSummary) -> String {
        var header = summary.sweptPaths + ["runs", "completed", "diverged", "failed", "unfinished"]
        for metric in summary.metrics { header += [metric + "_mean", metric + "_sd", metric + "_n"] }
        var lines = [header.map(csvField).joined(separator: ",")]
        for configuration in summary.configurations {
            var row = configuration.values.map { csvValue($0.value) }
            row += ["\(configuration.runs.count)", "\(configuration.count(.completed))",
                    "\(configuration.count(.diverged))", "\(configuration.count(.failed))", "\(configuration.unfinished)"]
            for stats in configuration.metrics {
                row += [stats.map { JSONWriter.numberText($0.mean) } ?? "", stats?.sd.map(JSONWriter.numberText) ?? "",
                        "\(stats?.n ?? 0)"]
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per run: id, seed, swept values, status, reason, then each metric.
    public static func runsCSV(_ summary: ExperimentSummary) -> String {
        let header = ["run", "seed"] + summary.sweptPaths + ["status", "reason"] + summary.metrics
        var lines = [header.map(csvField).joined(separator: ",")]
        for run in summary.runs {
            var row = [run.id, "\(run.seed)"] + run.swept.map { csvValue($0.value) }
            row += [run.status.rawValue, csvField(run.reason ?? "")]
            row += summary.metrics.map { run.metric($0).map(JSONWriter.numberText) ?? "" }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as JSON: configurations (values, counts, per-metric mean/sd/n) and runs.
    public static func json(_ summary: ExperimentSummary) -> String {
        func values(_ swept: [SweptValue]) -> JSONValue {
            .object(JSONObject(pairs: swept.map { ($0.path, parsed($0.value)) }))
        }
        let configurations: [JSONValue] = summary.configurations.map { configuration in
            var metrics: [(String, JSONValue)] = []
            for (name, stats) in zip(summary.metrics, configuration.metrics) {
                guard let stats else { continue }
                metrics.append((name, .object(["mean": .number(stats.mean), "sd": stats.sd.map { .number($0) } ?? .null,
                                               "n": .int(Int64(stats.n))])))
            }
            return .object([
                "values": values(configuration.values),
                "runs": .int(Int64(configuration.runs.count)),
                "completed": .int(Int64(configuration.count(.completed))),
                "diverged": .int(Int64(configuration.count(.diverged))),
                "failed": .int(Int64(configuration.count(.failed))),
                "unfinished": .int(Int64(configuration.unfinished)),
                "metrics": .object(JSONObject(pairs: metrics)),
            ])
        }
        let runs: [JSONValue] = summary.runs.map { run in
            .object([
                "id": .string(run.id), "seed": .int(Int64(clamping: run.seed)), "values": values(run.swept),
                "status": .string(run.status.rawValue), "reason": run.reason.map { .string($0) } ?? .null,
                "metrics": .object(JSONObject(pairs: run.metrics.map { ($0.name, .number($0.value)) })),
            ])
        }
        let document: JSONValue = .object([
            "experiment": .string(summary.experiment),
            "swept": .array(summary.sweptPaths.map { .string($0) }),
            "metrics": .array(summary.metrics.map { .string($0) }),
            "configurations": .array(configurations),
            "runs": .array(runs),
        ])
        return JSONWriter.pretty(document) + "\n"
    }

    /// Which metrics the tables show and where the others are, for the reader.
    public static func columnsNote(_ summary: ExperimentSummary) -> String {
        let hidden = summary.metrics.count - summary.table.metrics.count
        var note = hidden > 0
            ? "The tables show \(summary.table.metrics.count) of the \(summary.metrics.count) metrics the runs reported; runs.csv and summary.json have all of them."
            : "The tables show every metric the runs reported."
        if !summary.table.unreported.isEmpty {
            note += " No completed run reported " + summary.table.unreported.map { "`\($0)`" }.joined(separator: ", ") + " (named by report.table)."
        }
        return note
    }

    /// "3 of 3" or "2 of 3 (1 diverged)".
    private static func runCounts(_ configuration: ConfigurationSummary) -> String {
        let other = [RunStatus.diverged, .failed].compactMap { status in
            configuration.count(status) > 0 ? "\(configuration.count(status)) \(status.rawValue)" : nil
        } + (configuration.unfinished > 0 ? ["\(configuration.unfinished) unfinished"] : [])
        let base = "\(configuration.count(.completed)) of \(configuration.runs.count)"
        return other.isEmpty ? base : base + " (" + other.joined(separator: ", ") + ")"
    }

    private static func table(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(header) + line(header.map { _ in "---" }) + rows.map(line).joined()
    }

    /// A swept value for reading: strings without their JSON quotes, other values as written.
    public static func plainValue(_ canonical: String) -> String {
        if case .string(let text) = parsed(canonical) { return text }
        return canonical
    }

    /// A swept value for CSV: strings without their JSON quotes, numbers as written.
    private static func csvValue(_ canonical: String) -> String {
        if case .string(let text) = parsed(canonical) { return csvField(text) }
        return csvField(canonical)
    }

    /// RFC 4180 quoting when the field has a comma, quote or line break.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func parsed(_ canonical: String) -> JSONValue {
        (try? JSONParser.parse(canonical, file: "")) ?? .string(canonical)
    }
}
