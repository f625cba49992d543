/// The `report` section: which figures a run draws, and how, and which metrics it computes.
extension SpecDecoder {
    static let reportKeys = ["grids", "interpolation", "interpolation_steps", "metrics", "table"]

    func decodeReport(_ value: JSONValue, at path: JSONPath) throws -> ReportSpec {
        let reader = try ObjectReader(value, at: path, self)
        try reader.rejectUnknownKeys(SpecDecoder.reportKeys, in: "report")
        let defaults = ReportSpec()
        let grids = try reader.member("grids", absent: defaults.grids) { value, path in
            let grids = try readArray(value, at: path, expected: "an array of grid names") {
                try read($0, at: $1, Rules.oneOf(GridKind.self))
            }
            for (index, grid) in grids.enumerated() where grids[..<index].contains(grid) {
                throw error(path.index(index), expected: "a grid not listed before",
                            found: JSONValue.string(grid.rawValue).summary)
            }
            return grids
        }
        let table = try reader.member("table", absent: nil) { value, path -> [String]? in
            let names = try readArray(value, at: path, expected: "an array of metric names (columns of the summary table)") {
                try read($0, at: $1, Rules.metricColumnName)
            }
            guard !names.isEmpty else { throw error(path, expected: "at least one metric name", found: "an empty array") }
            for (index, name) in names.enumerated() where names[..<index].contains(name) {
                throw error(path.index(index), expected: "a metric not listed before", found: JSONValue.string(name).summary)
            }
            return names
        }
        return ReportSpec(
            grids: grids,
            interpolation: try reader.optional("interpolation", default: defaults.interpolation, Rules.oneOf(InterpolationKind.self)),
            interpolationSteps: try reader.optional("interpolation_steps", default: defaults.interpolationSteps,
                                                    Rules.integer(atLeast: 2, atMost: 32)),
            metrics: try reader.member("metrics", absent: defaults.metrics) { try decodeMetrics($0, at: $1) },
            table: table)
    }
}

extension ReportSpec {
    /// Every key, `metrics` only when there are any: a run without metrics keeps the `spec.json`
    /// it had before metrics existed (absent and `[]` decode to the same run). `table` is the
    /// experiment's presentation, not the run's, and is left out.
    public var resolvedJSON: JSONValue {
        var object: JSONObject = ["grids": .array(grids.map { .string($0.rawValue) }), "interpolation": .string(interpolation.rawValue),
                                  "interpolation_steps": .int(Int64(interpolationSteps))]
        if !metrics.isEmpty { object["metrics"] = metricsJSON }
        return .object(object)
    }

    /// The part of the report a run id hashed in GenLab 0.1 (`RunSpec.legacyID`): the listed
    /// grids `samples` and `reconstructions` (`GridKind.inIdentity`), in the listed order, and the
    /// metrics when there were any. Ids no longer hold any of the report.
    var legacyIdentityJSON: JSONValue {
        var object: JSONObject = ["grids": .array(grids.filter(GridKind.inIdentity.contains).map { .string($0.rawValue) })]
        if !metrics.isEmpty { object["metrics"] = metricsJSON }
        return .object(object)
    }
}

extension Rules {
    /// A metric as `runs.csv` names it: `fid`, `test_kl`, `precision_recall.recall`.
    static var metricColumnName: Rule<String> {
        Rule(expected: "a metric name as runs.csv's header spells it (e.g. \"fid\", \"test_kl\", \"precision_recall.recall\")") { value in
            guard case .string(let text) = value, (1...128).contains(text.count),
                  text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) else { return nil }
            return text
        }
    }
}
