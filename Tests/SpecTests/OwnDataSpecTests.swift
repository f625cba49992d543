import Testing
import Spec

/// The `data` sections of users' own data: defaults, the resolved JSON the run id hashes, and
/// what is refused before anything is read (the loaders check the files themselves).
@Suite struct OwnDataSpecTests {
    static func data(_ section: JSONValue) -> JSONValue { setting(minimal, ["data"], section) }

    @Test func imagesHaveDefaultsAndResolveEveryKey() throws {
        let run = try ExperimentLoader.parse(text: text(Self.data(["dataset": "images", "path": "faces"])), file: "x.json").runs[0]
        #expect(run.data == DataSpec(dataset: .images, path: "faces", size: 64, channels: 3, resize: .centerCrop))
        #expect(JSONWriter.canonical(run.data.resolvedJSON)
                == #"{"channels":3,"dataset":"images","path":"faces","resize":"center_crop","seed":0,"size":64,"test_size":null,"train_size":null}"#)
        // The schema's good document (.ci/check-schema.py) decodes the same.
        let full = try ExperimentLoader.parse(text: text(Self.data(["dataset": "images", "path": "faces", "size": 64, "channels": 1,
                                                                    "resize": "none", "train_size": .null, "test_size": 100, "seed": 2])),
                                              file: "x.json").runs[0]
        #expect(full.data == DataSpec(dataset: .images, path: "faces", size: 64, testSize: 100, seed: 2, channels: 1, resize: ResizeRule.none))
    }

    @Test func arraysResolveTheirFilesAndOtherDataKeepTheirIds() throws {
        let section: JSONValue = ["dataset": "array", "path": "x.npy", "labels": "y.npy", "test_path": "tx.npy",
                                  "test_labels": "ty.npy", "train_size": 500]
        let run = try ExperimentLoader.parse(text: text(Self.data(section)), file: "x.json").runs[0]
        #expect(run.data == DataSpec(dataset: .array, path: "x.npy", trainSize: 500, labels: "y.npy", testPath: "tx.npy", testLabels: "ty.npy"))
        #expect(JSONWriter.canonical(run.data.resolvedJSON).contains(#""labels":"y.npy","path":"x.npy","seed":0,"test_labels":"ty.npy","test_path":"tx.npy""#))
        // The new keys appear only for the new data sets, so no existing run id moves.
        let ring = try ExperimentLoader.parse(text: text(minimal), file: "x.json").runs[0]
        #expect(JSONWriter.canonical(ring.data.resolvedJSON) == #"{"dataset":"ring","seed":0,"test_size":5000,"train_size":50000}"#)
    }

    static let bad: [(JSONValue, String)] = [
        (["dataset": "images"], "data.path"),
        (["dataset": "images", "path": "x", "channels": 2], "data.channels"),
        (["dataset": "images", "path": "x", "resize": "stretch"], "data.resize"),
        (["dataset": "images", "path": "x", "labels": "y.npy"], "data.labels"),
        (["dataset": "images", "path": "x", "size": 4], "data.size"),
        (["dataset": "sprites", "channels": 3], "data.channels"),
        (["dataset": "array"], "data.path"),
        (["dataset": "array", "path": "x.npy", "size": 32], "data.size"),
        (["dataset": "array", "path": "x.npy", "test_labels": "y.npy"], "data.test_labels"),
        (["dataset": "array", "path": "x.npy", "labels": "l.npy", "test_path": "t.npy"], "data.test_labels"),
    ]

    @Test(arguments: bad)
    func badSectionsAreRefusedAtTheirPath(_ section: JSONValue, _ path: String) throws {
        let error = try #require(specError(Self.data(section)))
        #expect(error.path == path, "\(error)")
    }
}
