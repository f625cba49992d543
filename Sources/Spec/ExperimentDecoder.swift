/// The top level of an experiment file, and the four run sections it shares with a resolved run.
extension SpecDecoder {
    static let topLevelKeys = ["name", "description", "data", "model", "training", "variants", "seeds", "sweep", "search", "report"]
    /// The sections a run is made of, in the order resolved JSON lists them; sweeps address these.
    static let sectionKeys = ["data", "model", "training", "report"]

    /// An experiment file before sweep expansion.
    struct Document {
        var name: String
        var seeds: [UInt64]
        /// `sweep` members as written, in declared order.
        var sweep: [(written: String, values: [JSONValue])]
        /// The `data`, `model`, `training` and (if present) `report` members as written.
        var sections: JSONObject
        /// `variants` as written: each name with the sections it overrides, in declared order.
        var variants: [(name: String, patch: JSONObject)] = []
        /// `search`, when the file has one.
        var search: RandomSearch? = nil
    }

    /// A decoded set of run sections.
    struct Sections: Equatable {
        var data: DataSpec
        var model: ModelSpec
        var training: TrainingSpec
        var report: ReportSpec

        var resolvedJSON: JSONObject {
            ["data": data.resolvedJSON, "model": model.resolvedJSON, "training": training.resolvedJSON,
             "report": report.resolvedJSON]
        }
    }

    func decodeDocument(_ root: JSONValue) throws -> Document {
        let reader = try ObjectReader(root, at: .root, self, expected: "an experiment object")
        try reader.rejectUnknownKeys(Self.topLevelKeys, in: "an experiment")
        let name: String = try reader.required("name", Rules.folderName)
        _ = try reader.nullable("description", Rule<String>(expected: "a string") { value in
            if case .string(let text) = value { return text } else { return nil }
        })
        let seeds: [UInt64] = try reader.member("seeds", absent: [0]) { value, path in
            let expected = "a non-empty array of integers ≥ 0"
            // The count first, so that a huge list is refused before its elements are read.
            if case .array(let elements) = value, elements.count > Self.maxRuns {
                throw error(path, expected: "at most \(Self.maxRuns) seeds (runs per experiment)", found: value.summary)
            }
            let seeds = try readArray(value, at: path, expected: expected) { try read($0, at: $1, Rules.seed) }
            if seeds.isEmpty { throw error(path, expected: expected, found: value.summary) }
            var firstIndex: [UInt64: Int] = [:]
            for (index, seed) in seeds.enumerated() {
                if let first = firstIndex[seed] {
                    throw error(path.index(index), expected: "a seed not listed before",
                                found: "number \(seed)", hint: "also \(path.index(first))")
                }
                firstIndex[seed] = index
            }
            return seeds
        }
        let sweep: [(written: String, values: [JSONValue])] = try reader.member("sweep", absent: []) { value, path in
            let sweep = try ObjectReader(value, at: path, self, expected: "an object mapping paths to arrays of values")
            if sweep.object.count > SpecLimits.maxSweepPaths {
                throw error(path, expected: "at most \(SpecLimits.maxSweepPaths) swept paths", found: value.summary)
            }
            return try sweep.object.map { member in
                guard case .array(let values) = member.value, !values.isEmpty else {
                    throw error(path.entry(member.key), expected: "a non-empty array of values", found: member.value.summary)
                }
                return (written: member.key, values: values)
            }
        }
        let variants = try reader.member("variants", absent: []) { try decodeVariants($0, at: $1) }
        let search = try reader.member("search", absent: nil) { try decodeSearch($0, at: $1) }
        for key in ["data", "model", "training"] where !reader.has(key) {
            throw error(JSONPath.root.key(key), expected: "an object", found: "missing key")
        }
        var sections = JSONObject()
        for key in Self.sectionKeys { if let value = reader[key] { sections[key] = value } }
        return Document(name: name, seeds: seeds, sweep: sweep, sections: sections, variants: variants, search: search)
    }

    /// Decodes `data`, `model`, `training` (required) and `report` (optional) of `object`, whose
    /// path is the document root (an experiment file or a resolved run).
    func decodeSections(_ object: JSONObject) throws -> Sections {
        let reader = try ObjectReader(.object(object), at: .root, self)
        let section = "an object"
        let data = try reader.requiredMember("data", expected: section) { try decodeData($0, at: $1) }
        let sections = Sections(
            data: data,
            model: try reader.requiredMember("model", expected: section) {
                try decodeModel($0, at: $1, data: data) {
                    try reader.requiredMember("training", expected: section) { try decodeTraining($0, at: $1) }.optimizer
                }
            },
            training: try reader.requiredMember("training", expected: section) { try decodeTraining($0, at: $1) },
            report: try reader.member("report", absent: ReportSpec()) { try decodeReport($0, at: $1) })
        try checkMetrics(sections.report, model: sections.model, data: sections.data)
        try checkBudget(sections)
        return sections
    }

    /// A resolved run document (`RunSpec.resolvedJSON`): the four sections and `seed`.
    func decodeRun(_ root: JSONValue, experiment: String, swept: [SweptValue]) throws -> RunSpec {
        let reader = try ObjectReader(root, at: .root, self, expected: "a resolved run object")
        try reader.rejectUnknownKeys(Self.sectionKeys + ["seed"], in: "a resolved run")
        let seed = try reader.required("seed", Rules.seed)
        let sections = try decodeSections(reader.object)
        return RunSpec(experiment: experiment, seed: seed, swept: swept, data: sections.data, model: sections.model,
                       training: sections.training, report: sections.report)
    }
}
