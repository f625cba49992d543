/// `variants`: named versions of the experiment's sections, for comparing models that differ in
/// more than one value (a VAE against a GAN, each with its own optimiser). Each variant is an
/// object of section overrides — `{"model": {…}, "training": {…}}` — merged into the file's
/// sections: objects merge key by key, except that an object whose `type` differs from the one it
/// replaces (another model or optimiser) replaces it whole; arrays and values replace. The runs
/// are variants × sweep × seeds, variants outermost, and each run records its variant as the
/// swept value `variant`. The variant's name is not part of the run id (the id hashes the
/// resolved run), so renaming a variant keeps its runs.
extension SpecDecoder {
    /// The swept path under which runs record their variant.
    static let variantPath = "variant"

    func decodeVariants(_ value: JSONValue, at path: JSONPath) throws -> [(name: String, patch: JSONObject)] {
        let reader = try ObjectReader(value, at: path, self, expected: "an object mapping variant names to section overrides")
        guard !reader.object.isEmpty else {
            throw error(path, expected: "at least one variant", found: "an empty object")
        }
        return try reader.object.map { member in
            let here = path.entry(member.key)
            guard !member.key.isEmpty, member.key.count <= 64 else {
                throw error(here, expected: "a variant name of 1 to 64 characters", found: JSONValue.string(member.key).summary)
            }
            let patch = try ObjectReader(member.value, at: here, self, expected: "an object of section overrides")
            try patch.rejectUnknownKeys(Self.sectionKeys, in: "a variant")
            for section in patch.object {
                guard case .object(let object) = section.value else {
                    throw error(here.key(section.key), expected: "an object", found: section.value.summary)
                }
                if section.key == "report", object["table"] != nil {
                    throw error(here.key("report").key("table"),
                                expected: "no table in a variant (the summary table is the experiment's: set report.table at the top level)",
                                found: "a table")
                }
            }
            return (member.key, patch.object)
        }
    }

    /// `base` with `patch` merged in (see the type comment for the rule).
    static func merge(_ base: JSONValue?, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch, case .object(let baseObject)? = base else { return patch }
        if let type = patchObject["type"], let baseType = baseObject["type"], type != baseType { return patch }
        var merged = baseObject
        for member in patchObject { merged[member.key] = merge(baseObject[member.key], member.value) }
        return .object(merged)
    }
}
