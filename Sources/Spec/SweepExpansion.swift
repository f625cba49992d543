/// Expanding `seeds` × `sweep` into runs (first-declared sweep path outermost, seeds innermost).
///
/// A swept path must name a key that exists in the resolved experiment (defaults filled) under
/// `data`, `model`, `training` or `report`. Each value replaces that key in the sections *as
/// written*; where the file omits the key or one of its parents, the resolved value is filled in
/// first — for a missing object with a `type` (an optimizer) all of it, for one without (a GAN's
/// `schedule`) nothing but the swept key, so that its other defaults still derive from the swept
/// values. So `training.optimizer.lr` works without an `optimizer` in the file, and sweeping
/// `model.encoder[0].activation` to `tanh` still lets `init` default to `glorot` — substituting
/// into the fully resolved tree would keep the `he` chosen for the original activation. Whole
/// objects can be swept too (`"training.optimizer": [{"type": "sgd"}, {"type": "adam"}]`), which
/// is how to sweep across variants whose keys differ. Every combination is decoded by the same
/// decoder as the file.
extension SpecDecoder {
    /// Runs in one experiment at most (guards against an accidental cartesian explosion).
    static let maxRuns = SpecLimits.maxRuns

    struct SweepAxis {
        var written: String
        var path: JSONPath
        var values: [JSONValue]

        /// Where the file writes it: `sweep["model.beta"]`, or `search.parameters["model.beta"]`.
        var base = JSONPath.root.key("sweep")

        /// `sweep["model.beta"]`, or `sweep["model.beta"][1]` with an index (never for a search).
        func location(_ index: Int? = nil) -> JSONPath {
            let entry = base.entry(written)
            return index.map(entry.index) ?? entry
        }
    }

    func expand(_ document: Document, source: String) throws -> Experiment {
        guard !document.variants.isEmpty else {
            let runs = try expandSweep(document, variant: nil)
            return Experiment(name: document.name, file: file, source: source, runs: runs, halving: halvingPlan(document, runs))
        }
        // Every variant gives at least one run per seed: too many is known before any is decoded.
        let atLeast = document.variants.count.multipliedReportingOverflow(by: document.seeds.count)
        if atLeast.overflow || atLeast.partialValue > Self.maxRuns {
            throw error(JSONPath.root.key("variants"), expected: "at most \(Self.maxRuns) runs (variants × sweep × seeds)",
                        found: "\(document.variants.count) variants × \(document.seeds.count) seeds")
        }
        var runs: [RunSpec] = []
        var firstRunWithID: [String: RunSpec] = [:]
        for variant in document.variants {
            var patched = document
            let merged = Self.merge(.object(document.sections), .object(variant.patch))
            guard case .object(let sections) = merged else { preconditionFailure("sections are an object") }
            patched.sections = sections
            let variantRuns: [RunSpec]
            do {
                variantRuns = try expandSweep(patched, variant: variant.name)
            } catch let failure as SpecError {
                throw inVariant(failure, variant.name, patch: variant.patch)
            }
            for run in variantRuns {
                if let first = firstRunWithID[run.id] {
                    throw error(JSONPath.root.key("variants"), expected: "variants that give distinct runs",
                                found: "\(describe(first)) and \(describe(run)) resolve to the same run \(run.id)")
                }
                firstRunWithID[run.id] = run
            }
            runs += variantRuns
            // Checked after each variant, so that many variants stop early.
            if runs.count > Self.maxRuns {
                throw error(JSONPath.root.key("variants"), expected: "at most \(Self.maxRuns) runs (variants × sweep × seeds)",
                            found: "more than \(Self.maxRuns) runs after variant \(JSONWriter.quoted(variant.name))")
            }
        }
        return Experiment(name: document.name, file: file, source: source, runs: runs, halving: halvingPlan(document, runs))
    }

    private func halvingPlan(_ document: Document, _ runs: [RunSpec]) -> HalvingPlan? {
        guard let search = document.search, let rule = search.halving else { return nil }
        return HalvingPlan(rule: rule, runs: runs, searchedPaths: search.parameters.map(\.path), seeds: document.seeds)
    }

    /// An error in a variant's runs, moved under `variants["name"]` when the variant wrote the
    /// failing key, otherwise labelled with the variant.
    private func inVariant(_ failure: SpecError, _ name: String, patch: JSONObject) -> SpecError {
        if let path = Self.parseSweepPath(failure.path), Self.contains(.object(patch), path.components[...]) {
            return SpecError(file: file, path: JSONPath.root.key("variants").entry(name).description + "." + failure.path,
                             expected: failure.expected, found: failure.found, hint: failure.hint)
        }
        return SpecError(file: file, path: failure.path, expected: failure.expected, found: failure.found,
                         hint: "in variant \(JSONWriter.quoted(name))" + (failure.hint.map { "; \($0)" } ?? ""))
    }

    private static func contains(_ value: JSONValue, _ path: ArraySlice<JSONPath.Component>) -> Bool {
        guard let first = path.first else { return true }
        switch (first, value) {
        case let (.key(key), .object(object)): return object[key].map { contains($0, path.dropFirst()) } ?? false
        case let (.index(index), .array(elements)): return elements.indices.contains(index) && contains(elements[index], path.dropFirst())
        default: return false
        }
    }

    /// The runs of one set of sections: sweep combinations × search trials × seeds, each
    /// recording `variant` first when there is one, then the swept values, then `trial` and the
    /// drawn values.
    private func expandSweep(_ document: Document, variant: String?) throws -> [RunSpec] {
        let base = try decodeSections(document.sections)
        let resolved = JSONValue.object(base.resolvedJSON)
        let axes = try document.sweep.map { try axis($0.written, $0.values, resolved: resolved) }
        let searchAxes = try searchAxes(document.search, resolved: resolved)
        let every = axes + searchAxes
        for (i, axis) in every.enumerated() {
            if let other = every[..<i].first(where: { axis.path.isWithin($0.path) || $0.path.isWithin(axis.path) }) {
                let what = axis.base == other.base ? "another" : other.base == JSONPath.root.key("sweep") ? "a swept" : "a searched"
                throw error(axis.location(), expected: "a path that does not overlap \(what) path",
                            found: "string \(JSONWriter.quoted(axis.written)), overlapping \(JSONWriter.quoted(other.written))")
            }
        }
        if document.search?.halving != nil, let budgetPath = Self.parseSweepPath(SuccessiveHalving.budgetPath),
           let axis = every.first(where: { budgetPath.isWithin($0.path) || $0.path.isWithin(budgetPath) }) {
            throw error(axis.location(), expected: "a path other than training.epochs",
                        found: "string \(JSONWriter.quoted(axis.written)), but search.successive_halving sets training.epochs to each rung's budget")
        }
        let trials = document.search?.trials ?? 1
        // Saturating at Int.max: a product that overflows is refused like any other past `maxRuns`.
        let combinations = axes.reduce(1) { product, axis in
            let (next, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
            return overflow ? Int.max : next
        }
        let configurations = combinations.multipliedReportingOverflow(by: trials)
        let total = configurations.partialValue.multipliedReportingOverflow(by: document.seeds.count)
        if combinations > Self.maxRuns || configurations.overflow || total.overflow || total.partialValue > Self.maxRuns {
            let exact = combinations < Int.max && !configurations.overflow && !total.overflow
            throw error(JSONPath.root.key(document.search == nil ? "sweep" : "search"),
                        expected: "at most \(Self.maxRuns) runs (sweep combinations × \(document.search == nil ? "" : "search trials × ")seeds)",
                        found: exact ? "\(total.partialValue) runs" : "more than \(Self.maxRuns) runs")
        }

        var runs: [RunSpec] = []
        var firstRunWithID: [String: Int] = [:]
        var choice = [Int](repeating: 0, count: axes.count)  // an odometer, last axis fastest
        for _ in 0..<combinations {
            var decodedTrials: [(decoded: Sections, swept: [SweptValue])] = []
            for trial in 0..<trials {
                var sections = JSONValue.object(document.sections)
                for (axis, index) in zip(axes, choice) {
                    sections = substitute(axis.values[index], at: axis.path.components[...], written: sections, resolved: resolved)
                }
                for axis in searchAxes {
                    sections = substitute(axis.values[trial], at: axis.path.components[...], written: sections, resolved: resolved)
                }
                let decoded: Sections
                do {
                    guard case .object(let object) = sections else { preconditionFailure("sections are an object") }
                    decoded = try decodeSections(object)
                } catch let failure as SpecError {
                    throw blame(failure, axes: axes, choice: choice, search: searchAxes, trial: trial)
                }
                let recorded = variant.map { [SweptValue(path: Self.variantPath, value: JSONValue.string($0).canonical)] } ?? []
                var swept = recorded + zip(axes, choice).map { SweptValue(path: $0.written, value: $0.values[$1].canonical) }
                if document.search != nil {
                    swept.append(SweptValue(path: Self.trialPath, value: "\(trial)"))
                    swept += searchAxes.map { SweptValue(path: $0.written, value: $0.values[trial].canonical) }
                }
                if let halving = document.search?.halving {
                    try checkHalving(halving, decoded)
                }
                decodedTrials.append((decoded, swept))
            }
            // Successive halving: every trial at every rung's budget, rungs outermost (the runs a
            // rung promotes are decided from the rung before; `HalvingPlan`).
            let budgets: [Int?] = document.search?.halving.map { $0.budgets(epochs: decodedTrials[0].decoded.training.epochs) } ?? [nil]
            for budget in budgets {
                for (decoded, swept) in decodedTrials {
                    var training = decoded.training, recordedSwept = swept
                    if let budget {
                        training.epochs = budget
                        recordedSwept.append(SweptValue(path: SuccessiveHalving.budgetPath, value: "\(budget)"))
                    }
                    for seed in document.seeds {
                        let run = RunSpec(experiment: document.name, seed: seed, swept: recordedSwept, data: decoded.data,
                                          model: decoded.model, training: training, report: decoded.report)
                        if let first = firstRunWithID[run.id] {
                            let searched = document.search != nil
                            throw error(JSONPath.root.key(searched ? "search" : "sweep"),
                                        expected: searched ? "sweep values and trials that give distinct runs" : "sweep values that give distinct runs",
                                        found: "\(describe(runs[first])) and \(describe(run)) resolve to the same run \(run.id)",
                                        hint: "values equal after defaults and 32-bit rounding, such as 1 and 1.0, are the same run")
                        }
                        firstRunWithID[run.id] = runs.count
                        runs.append(run)
                    }
                }
            }
            for position in choice.indices.reversed() {
                choice[position] += 1
                if choice[position] < axes[position].values.count { break }
                choice[position] = 0
            }
        }
        if runs.count > Self.maxRuns {
            throw error(JSONPath.root.key("search"), expected: "at most \(Self.maxRuns) runs (sweep combinations × trials × rungs × seeds)",
                        found: "\(runs.count) runs")
        }
        return runs
    }

    /// The rung budgets must leave more than one rung, and the ranking metric must be one the runs
    /// can report: a metric of `report.metrics` (or one of its numbers, `fid.real`), or a
    /// training or test term (`train_…`, `test_…`, checked against the finished runs).
    private func checkHalving(_ halving: SuccessiveHalving, _ decoded: Sections) throws {
        let path = JSONPath.root.key("search").key("successive_halving")
        let epochs = decoded.training.epochs
        guard halving.minEpochs < epochs else {
            throw error(path.key("min_epochs"), expected: "an integer below training.epochs (\(epochs)), the last rung's budget",
                        found: "\(halving.minEpochs)")
        }
        let declared = decoded.report.metrics.map(\.name)
        let base = String(halving.metric.prefix { $0 != "." })
        guard declared.contains(base) || halving.metric.hasPrefix("train_") || halving.metric.hasPrefix("test_") else {
            throw error(path.key("metric"),
                        expected: "a metric of report.metrics (\(declared.isEmpty ? "none declared" : declared.joined(separator: ", "))) or a training term such as test_neg_elbo",
                        found: JSONValue.string(halving.metric).summary)
        }
    }

    /// The swept path under which runs of a search record their trial (0, 1, …).
    static let trialPath = RandomSearch.trialPath

    /// One axis per searched path, its values the trials' draws (`RandomSearch.draw`).
    private func searchAxes(_ search: RandomSearch?, resolved: JSONValue) throws -> [SweepAxis] {
        guard let search else { return [] }
        let base = JSONPath.root.key("search").key("parameters")
        let paths = try search.parameters.map { parameter in
            try axis(parameter.path, [], resolved: resolved, base: base)
        }
        guard let trials = search.draw() else {
            throw error(JSONPath.root.key("search").key("trials"),
                        expected: "no more trials than the searched values allow",
                        found: "\(search.trials) trials, of which some found no new configuration in \(RandomSearch.maxAttempts) draws")
        }
        return paths.enumerated().map { index, axis in
            var axis = axis
            axis.values = trials.map { $0[index] }
            return axis
        }
    }

    /// Parses and checks one swept (or searched) path against the resolved sections.
    private func axis(_ written: String, _ values: [JSONValue], resolved: JSONValue,
                      base: JSONPath = JSONPath.root.key("sweep")) throws -> SweepAxis {
        let location = base.entry(written)
        guard let path = Self.parseSweepPath(written) else {
            throw error(location, expected: "a dotted path such as \"model.beta\" or \"model.encoder[0].dense\"",
                        found: JSONValue.string(written).summary)
        }
        guard case .key(let section)? = path.components.first, Self.sectionKeys.contains(section) else {
            throw error(location, expected: "a path inside " + ObjectReader.list(Self.sectionKeys),
                        found: JSONValue.string(written).summary,
                        hint: written == "seeds" || written == "seed" ? "list seeds in \"seeds\"" : nil)
        }
        var node = resolved
        var walked = JSONPath.root
        for component in path.components {
            switch (component, node) {
            case let (.key(key), .object(object)) where object[key] != nil:
                node = object[key]!
            case let (.index(index), .array(elements)) where elements.indices.contains(index):
                node = elements[index]
            default:
                let found: String
                switch (component, node) {
                case (.key(let key), .object): found = "unknown key \(JSONWriter.quoted(key))"
                case (.index(let index), .array(let elements)):
                    found = "index \(index) of \(walked), which has \(elements.count) element\(elements.count == 1 ? "" : "s")"
                default: found = "\(walked), which is \(node.summary)"
                }
                throw error(location, expected: "a path to a key of the resolved experiment", found: found,
                            hint: NearestKey.hint(for: written, among: Self.paths(in: resolved)))
            }
            walked = component.appended(to: walked)
        }
        return SweepAxis(written: written, path: path, values: values, base: base)
    }

    /// Replaces the value at `path` in the `written` tree, filling missing parents from `resolved`.
    private func substitute(_ value: JSONValue, at path: ArraySlice<JSONPath.Component>,
                            written: JSONValue?, resolved: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        switch (first, resolved) {
        case let (.key(key), .object(resolvedObject)):
            var object: JSONObject
            if case .object(let writtenObject)? = written {
                object = writtenObject
            } else if resolvedObject["type"] != nil || resolvedObject["name"] != nil {
                // A variant (an optimizer, or a metric written as its bare name): its keys depend
                // on `type` or `name`, so start from the resolved one.
                object = resolvedObject
            } else {
                // A plain options object (`model.schedule`): start empty, so that defaults derived
                // from elsewhere (`weight_clip` from `loss`, optimizers from `training.optimizer`)
                // still follow swept values.
                object = [:]
            }
            object[key] = substitute(value, at: path.dropFirst(), written: object[key], resolved: resolvedObject[key]!)
            return .object(object)
        case let (.index(index), .array(resolvedElements)):
            var elements = resolvedElements
            if case .array(let writtenElements)? = written, writtenElements.count == resolvedElements.count {
                elements = writtenElements
            }
            elements[index] = substitute(value, at: path.dropFirst(), written: elements[index], resolved: resolvedElements[index])
            return .array(elements)
        default:
            preconditionFailure("sweep paths are checked against the resolved tree")
        }
    }

    /// Moves an error found while decoding a combination to the sweep entry (or searched path)
    /// that caused it.
    private func blame(_ failure: SpecError, axes: [SweepAxis], choice: [Int], search: [SweepAxis] = [], trial: Int = 0) -> SpecError {
        let combination = (zip(axes, choice).map { "\($0.written)=\($0.values[$1].canonical)" }
            + (search.isEmpty ? [] : ["trial \(trial)"] + search.map { "\($0.written)=\($0.values[trial].canonical)" }))
            .joined(separator: ", ")
        for axis in search {
            let path = axis.path.description
            if failure.path == path || failure.path.hasPrefix(path + ".") || failure.path.hasPrefix(path + "[") {
                return SpecError(file: file, path: axis.location().description + failure.path.dropFirst(path.count),
                                 expected: failure.expected, found: failure.found + " (drawn in trial \(trial))",
                                 hint: failure.hint ?? "when \(combination); narrow the distribution to valid values")
            }
        }
        for (axis, index) in zip(axes, choice) {
            let path = axis.path.description
            if failure.path == path || failure.path.hasPrefix(path + ".") || failure.path.hasPrefix(path + "[") {
                return SpecError(file: file, path: axis.location(index).description + failure.path.dropFirst(path.count),
                                 expected: failure.expected, found: failure.found,
                                 hint: failure.hint ?? (axes.count > 1 ? "when \(combination)" : nil))
            }
        }
        return SpecError(file: file, path: "sweep", expected: failure.expected, found: failure.found,
                         hint: "at \(failure.path) when \(combination)" + (failure.hint.map { "; \($0)" } ?? ""))
    }

    private func describe(_ run: RunSpec) -> String {
        (run.swept.map { "\($0.path)=\($0.value)" } + ["seed \(run.seed)"]).joined(separator: ", ")
    }

    /// `key(.key|[index])*` with keys of letters, digits, `_` and `-`; nil if malformed.
    static func parseSweepPath(_ text: String) -> JSONPath? {
        var path = JSONPath.root
        var scalars = text.unicodeScalars[...]
        func isKeyScalar(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-")
        }
        var expectKey = true
        while !scalars.isEmpty || expectKey {
            if expectKey {
                let key = scalars.prefix(while: isKeyScalar)
                guard !key.isEmpty else { return nil }
                path = path.key(String(key))
                scalars = scalars.dropFirst(key.count)
                expectKey = false
            } else if scalars.first == "." {
                scalars = scalars.dropFirst()
                expectKey = true
            } else if scalars.first == "[" {
                let digits = scalars.dropFirst().prefix(while: { ("0"..."9").contains($0) })
                guard !digits.isEmpty, digits.count < 10, scalars.dropFirst(1 + digits.count).first == "]",
                      let index = Int(String(digits)) else { return nil }
                path = path.index(index)
                scalars = scalars.dropFirst(2 + digits.count)
            } else {
                return nil
            }
        }
        return path
    }

    /// Every path in a tree (objects and arrays included), for suggestions.
    static func paths(in value: JSONValue, under prefix: JSONPath = .root) -> [String] {
        var result: [String] = []
        switch value {
        case .object(let object):
            for member in object {
                let path = prefix.key(member.key)
                result.append(path.description)
                result += paths(in: member.value, under: path)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                let path = prefix.index(index)
                result.append(path.description)
                result += paths(in: element, under: path)
            }
        default: break
        }
        return result
    }
}

extension JSONPath.Component {
    func appended(to path: JSONPath) -> JSONPath {
        switch self {
        case .key(let key): path.key(key)
        case .entry(let key): path.entry(key)
        case .index(let index): path.index(index)
        }
    }
}
