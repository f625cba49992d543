/// The `data` section: decoding with defaults, and its resolved JSON (the same keys, all explicit).
extension SpecDecoder {
    static let dataKeys = ["dataset", "path", "size", "train_size", "test_size", "seed"]

    func decodeData(_ value: JSONValue, at path: JSONPath) throws -> DataSpec {
        let reader = try ObjectReader(value, at: path, self)
        try reader.rejectUnknownKeys(Self.dataKeys, in: "data")
        let dataset = try reader.required("dataset", Rules.oneOf(DatasetKind.self))
        let context = "dataset \(JSONWriter.quoted(dataset.rawValue))"
        let sizes = Rules.integer(atLeast: 1, atMost: Int64(SpecLimits.maxExamples))
        let seed = try reader.optional("seed", default: 0, Rules.seed)
        switch dataset {
        case .sprites, .ring, .grid:
            let isSprites = dataset == .sprites
            try reader.rejectInapplicableKeys(
                ["dataset"] + (isSprites ? ["size"] : []) + ["train_size", "test_size", "seed"], in: context)
            return DataSpec(
                dataset: dataset,
                size: try reader.optional("size", default: 64, Rules.integer(atLeast: 8, atMost: 256)),
                trainSize: try reader.optional("train_size", default: isSprites ? 20000 : 50000, sizes),
                testSize: try reader.optional("test_size", default: isSprites ? 2000 : 5000, sizes),
                seed: seed)
        case .idx, .fashionMNIST:
            try reader.rejectInapplicableKeys(["dataset", "path", "train_size", "test_size", "seed"], in: context)
            let folder = dataset == .idx
                ? try reader.required("path", Rules.nonEmptyString)
                : try reader.nullable("path", Rules.nonEmptyString)
            return DataSpec(
                dataset: dataset, path: folder,
                trainSize: try reader.nullable("train_size", sizes),
                testSize: try reader.nullable("test_size", sizes),
                seed: seed)
        }
    }
}

extension DataSpec {
    /// Every key that applies to the data set, nil as `null`.
    public var resolvedJSON: JSONValue {
        var object: JSONObject = [
            "dataset": .string(dataset.rawValue),
            "seed": .int(Int64(clamping: seed)),
            "train_size": trainSize.map { .int(Int64($0)) } ?? .null,
            "test_size": testSize.map { .int(Int64($0)) } ?? .null,
        ]
        switch dataset {
        case .sprites: object["size"] = .int(Int64(size))
        case .idx, .fashionMNIST: object["path"] = path.map { .string($0) } ?? .null
        case .ring, .grid: break
        }
        return .object(object)
    }
}
