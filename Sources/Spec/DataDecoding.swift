/// The `data` section: decoding with defaults, and its resolved JSON (the same keys, all explicit).
extension SpecDecoder {
    static let dataKeys = ["dataset", "path", "size", "channels", "resize", "labels", "test_path", "test_labels",
                            "train_size", "test_size", "seed"]

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
        case .images:
            try reader.rejectInapplicableKeys(["dataset", "path", "size", "channels", "resize", "train_size", "test_size", "seed"],
                                              in: context)
            return DataSpec(
                dataset: dataset, path: try reader.required("path", Rules.nonEmptyString),
                size: try reader.optional("size", default: 64, Rules.integer(atLeast: 8, atMost: 256)),
                trainSize: try reader.nullable("train_size", sizes),
                testSize: try reader.nullable("test_size", sizes),
                seed: seed,
                channels: try reader.optional("channels", default: 3, Rules.integer(in: [1, 3])),
                resize: try reader.optional("resize", default: .centerCrop, Rules.oneOf(ResizeRule.self)))
        case .array:
            try reader.rejectInapplicableKeys(["dataset", "path", "labels", "test_path", "test_labels", "train_size", "test_size", "seed"],
                                              in: context)
            let labels = try reader.nullable("labels", Rules.nonEmptyString)
            let testPath = try reader.nullable("test_path", Rules.nonEmptyString)
            let testLabels = try reader.nullable("test_labels", Rules.nonEmptyString)
            if testLabels != nil && testPath == nil {
                throw error(path.key("test_labels"), expected: "test_labels only with test_path (the labels of the test file)",
                            found: "test_labels without test_path")
            }
            if labels != nil && testPath != nil && testLabels == nil {
                throw error(path.key("test_labels"), expected: "the labels of test_path, since data.labels gives the labels of path",
                            found: "no test_labels")
            }
            return DataSpec(
                dataset: dataset, path: try reader.required("path", Rules.nonEmptyString),
                trainSize: try reader.nullable("train_size", sizes),
                testSize: try reader.nullable("test_size", sizes),
                seed: seed, labels: labels, testPath: testPath, testLabels: testLabels)
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
        case .images:
            object["path"] = path.map { .string($0) } ?? .null
            object["size"] = .int(Int64(size))
            object["channels"] = .int(Int64(channels))
            object["resize"] = .string(resize.rawValue)
        case .array:
            object["path"] = path.map { .string($0) } ?? .null
            object["labels"] = labels.map { .string($0) } ?? .null
            object["test_path"] = testPath.map { .string($0) } ?? .null
            object["test_labels"] = testLabels.map { .string($0) } ?? .null
        }
        return .object(object)
    }
}
