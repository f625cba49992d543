import Foundation
import Testing

// Bad input, end to end: every problem GenLab can see before training is reported on stderr as
// `error: FILE: JSON.PATH: expected X, found Y (hint)`, the exit status is 2, nothing is printed
// on stdout and nothing is written — not even the results folder.

/// One bad experiment file and what its error must say.
struct BadInput: CustomTestStringConvertible, Sendable {
    /// A short name for the test log.
    var name: String
    /// The file's text; gets a fresh scratch folder to put data files in.
    var text: @Sendable (URL) throws -> String
    /// The JSON path the error names (`line L, column C` for a syntax error).
    var path: String
    /// Substrings the message must hold, in order: what was expected and what was found.
    var says: [String]

    var testDescription: String { name }

    /// The tiny experiment with each `(old, new)` applied to the first occurrence of `old`.
    static func tiny(_ name: String, _ edits: [(String, String)], path: String, says: [String]) -> BadInput {
        BadInput(name: name, text: { _ in try edited(tinyExperiment, edits) }, path: path, says: says)
    }

    /// An `idx` experiment over the folder `prepare` fills in the scratch folder.
    static func idx(_ name: String, path: String = "data.path", says: [String],
                    prepare: @escaping @Sendable (URL) throws -> Void) -> BadInput {
        BadInput(name: name, text: { scratch in
            let folder = scratch.appendingPathComponent("idx")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try prepare(folder)
            return try edited(tinyExperiment, [(#""dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64"#,
                                                #""dataset": "idx", "path": "\#(folder.path)""#)])
        }, path: path, says: says)
    }
}

struct EditError: Error, CustomStringConvertible {
    var description: String
}

/// `text` with the first occurrence of each `old` replaced by `new`; throws if `old` is absent,
/// so that a case cannot silently test the unedited file.
func edited(_ text: String, _ edits: [(String, String)]) throws -> String {
    var text = text
    for (old, new) in edits {
        guard let range = text.range(of: old) else { throw EditError(description: "no \(old) in the experiment") }
        text.replaceSubrange(range, with: new)
    }
    return text
}

/// IDX file names of a folder in the MNIST family layout.
let idxNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

let badInputs: [BadInput] = [
    .tiny("JSON syntax: a missing comma", [(#""name": "tiny","#, #""name": "tiny""#)],
          path: "line 3, column 3", says: [#"expected "," or "}""#, #"found character '"'"#]),
    .tiny("JSON syntax: a trailing comma", [(#""seeds": [0],"#, #""seeds": [0,],"#)],
          path: "line 8, column 15", says: ["expected a value", #"found character "]""#,
                                            "(trailing commas are not allowed)"]),
    .tiny("unknown key, nearest suggested", [(#""latent": 2"#, #""latnet": 2"#)],
          path: "model.latnet", says: [#"expected a key of model: "type", "latent""#, #"found unknown key "latnet""#,
                                       #"(did you mean "latent"?)"#]),
    .tiny("unknown top-level key", [(#""seeds": [0]"#, #""seeds": [0], "sweeps": {}"#)],
          path: "sweeps", says: [#"found unknown key "sweeps""#, #"(did you mean "sweep"?)"#]),
    .tiny("wrong type", [(#""epochs": 2"#, #""epochs": "ten""#)],
          path: "training.epochs", says: ["expected an integer from 1 to 1000000", #"found string "ten""#]),
    .tiny("zero dense size", [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 0"#)],
          path: "model.encoder[0].dense", says: ["expected an integer from 1 to 16777216", "found number 0"]),
    .tiny("negative batch", [(#""batch": 32"#, #""batch": -1"#)],
          path: "training.batch", says: ["expected an integer from 1 to 10000000", "found number -1"]),
    .tiny("zero latent", [(#""latent": 2"#, #""latent": 0"#)],
          path: "model.latent", says: ["expected an integer from 1 to 65536", "found number 0"]),
    .tiny("zero threads", [(#""batch": 32"#, #""batch": 32, "threads": 0"#)],
          path: "training.threads", says: ["expected an integer from 1 to 64", "found number 0"]),
    .tiny("unknown activation", [(#""encoder": [ { "dense": 32, "activation": "relu""#,
                                  #""encoder": [ { "dense": 32, "activation": "relux""#)],
          path: "model.encoder[0].activation", says: [#"expected one of "linear", "relu""#, #"found string "relux""#,
                                                      #"(did you mean "relu"?)"#]),
    .tiny("unknown layer kind", [(#""decoder": [ { "dense": 32"#, #""decoder": [ { "lstm": 32"#)],
          path: "model.decoder[0].lstm", says: [#"expected a key of a layer: "dense", "conv""#,
                                                #"found unknown key "lstm""#]),
    .tiny("conv without kernel", [(#""decoder": [ { "dense": 32"#, #""decoder": [ { "conv": 32"#)],
          path: "model.decoder[0].kernel", says: [#"expected an integer from 1 to 256, found missing key"#]),
    .tiny("layer with no kind", [(#""decoder": [ { "dense": 32, "activation": "relu" }"#, #""decoder": [ { "slope": 0.1 }"#)],
          path: "model.decoder[0]", says: [#"expected an object with one of "dense", "conv", "deconv""#,
                                           #"found object with keys "slope""#]),
    .tiny("misspelt layer kind", [(#""decoder": [ { "dense": 32"#, #""decoder": [ { "dens": 32"#)],
          path: "model.decoder[0].dens", says: [#"found unknown key "dens""#, #"(did you mean "dense"?)"#]),
    .tiny("unknown optimiser type", [(#""batch": 32"#, #""batch": 32, "optimizer": { "type": "adamm" }"#)],
          path: "training.optimizer.type", says: [#"expected one of "sgd", "rmsprop", "adam", "adamw""#,
                                                  #"found string "adamm""#, #"(did you mean "adam"?)"#]),
    .tiny("sweep path that does not exist", [(#""model.beta": [1, 2]"#, #""model.betta": [1, 2]"#)],
          path: #"sweep["model.betta"]"#, says: ["expected a path to a key of the resolved experiment",
                                                 #"found unknown key "betta""#, #"(did you mean "model.beta"?)"#]),
    .tiny("bad swept value", [(#""model.beta": [1, 2]"#, #""model.beta": [1, -2]"#)],
          path: #"sweep["model.beta"][1]"#, says: ["expected a number ≥ 0", "found number -2"]),
    .tiny("image size the model cannot take",
          [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [1, 28, 28] }, { "dense": 32"#)],
          path: "model.encoder[0].reshape", says: ["expected a shape with 256 elements (the input is [1, 16, 16])",
                                                   "found [1, 28, 28] with 784 elements"]),
    .tiny("sprite size the model cannot take",
          [(#""size": 16"#, #""size": 32"#),
           (#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [1, 16, 16] }, { "dense": 32"#)],
          path: "model.encoder[0].reshape", says: ["expected a shape with 1024 elements (the input is [1, 32, 32])",
                                                   "found [1, 16, 16] with 256 elements"]),
    .tiny("swept sprite size the model cannot take",
          [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [1, 16, 16] }, { "dense": 32"#),
           (#""model.beta": [1, 2]"#, #""data.size": [16, 28]"#)],
          path: "model.encoder[0].reshape", says: ["expected a shape with 784 elements (the input is [1, 28, 28])",
                                                   "found [1, 16, 16] with 256 elements"]),
    .tiny("decoder reshape of the wrong size",
          [(#""decoder": [ { "dense": 32, "activation": "relu" } ]"#,
            #""decoder": [ { "dense": 32, "activation": "relu" }, { "reshape": [3, 3] } ]"#)],
          path: "model.decoder[1].reshape", says: ["expected a shape with 32 elements (the input is [32])",
                                                   "found [3, 3] with 9 elements"]),
    .tiny("batch larger than the training set", [(#""batch": 32"#, #""batch": 512"#)],
          path: "training.batch", says: ["expected at most the 256 training examples", "found number 512"]),
    .tiny("an unknown metric", [(#""seeds": [0],"#, #""seeds": [0], "report": { "metrics": ["fid", "kid_score"] },"#)],
          path: "report.metrics[1]", says: [#"expected one of "iwae""#, #"found string "kid_score""#]),
    .tiny("a metric the model cannot give",
          [(#""seeds": [0],"#, #""seeds": [0], "report": { "metrics": [{ "name": "mig", "points": 100 }] },"#),
           (#""latent": 2"#, #""latent": 1"#)],
          path: "report.metrics[0]", says: [#""mig" needs a latent of at least 2"#, #"found "mig" with model.latent 1"#]),
    .tiny("a metric with more neighbours than test examples",
          [(#""seeds": [0],"#, #""seeds": [0], "report": { "metrics": [{ "name": "precision_recall", "k": 64 }] },"#)],
          path: "report.metrics[0]", says: [#"expected data with at least 65 test examples for "precision_recall""#,
                                            "found 64 test examples"]),
    .idx("missing data files", says: ["expected a folder of MNIST-family IDX files",
                                       "train-images-idx3-ubyte[.gz]: no such file"]) { _ in },
    .idx("data folder that is not there", says: ["expected a folder of MNIST-family IDX files", "no such file"]) { folder in
        try FileManager.default.removeItem(at: folder)
    },
    .idx("garbage data files", says: ["expected a folder of MNIST-family IDX files",
                                       "train-images-idx3-ubyte.gz: bad IDX magic number"]) { folder in
        for name in idxNames {
            try Data("this is not an IDX file at all".utf8).write(to: folder.appendingPathComponent(name + ".gz"))
        }
    },
    .idx("corrupt gzip data files", says: ["expected a folder of MNIST-family IDX files",
                                            "train-images-idx3-ubyte.gz: not a valid gzip file"]) { folder in
        for name in idxNames {
            try Data([0x1f, 0x8b, 0x08, 0x00] + Array(String(repeating: "garbage", count: 8).utf8))
                .write(to: folder.appendingPathComponent(name + ".gz"))
        }
    },
    .idx("truncated gzip data file", says: ["expected a folder of MNIST-family IDX files",
                                             "train-images-idx3-ubyte.gz: truncated: the gzip stream ends early"]) { folder in
        try writeIDXFolder(folder, examples: 40)
        let path = folder.appendingPathComponent(idxNames[0] + ".gz")
        let whole = try Data(contentsOf: path)
        try whole.prefix(whole.count / 2).write(to: path)
    },
    .idx("data file whose header announces more than it holds", says: ["expected a folder of MNIST-family IDX files",
                                                                        "train-images-idx3-ubyte.gz: truncated"]) { folder in
        try writeIDXFolder(folder, examples: 40)
        // A well-formed gzip stream around an IDX file that stops after 3 of its 40 images.
        let idx = idxBytes(magic: 0x803, dimensions: [40, 8, 8], elements: 3 * 64)
        try gzipStored(idx).write(to: folder.appendingPathComponent(idxNames[0] + ".gz"))
    },
    .idx("image and label counts that disagree", says: ["expected a folder of MNIST-family IDX files",
                                                         "train-images-idx3-ubyte.gz holds 40 images but",
                                                         "train-labels-idx1-ubyte.gz holds 39 labels"]) { folder in
        try writeIDXFolder(folder, examples: 40)
        try gzipStored(idxBytes(magic: 0x801, dimensions: [39], elements: 39))
            .write(to: folder.appendingPathComponent(idxNames[1] + ".gz"))
    },
    .idx("batch larger than a small IDX training set", path: "training.batch",
         says: ["expected at most the 20 training examples", "found number 32"]) { folder in
        try writeIDXFolder(folder, examples: 20)
    },
]

/// Runs `genlab ARGS` and checks the error is reported the one way bad input is reported.
func expectRejected(_ arguments: [String], file: String, path: String, says: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let result = try Genlab.run(arguments)
    let context: Comment = "genlab \(arguments.joined(separator: " "))\nstatus \(result.status)\nstderr: \(result.stderr)"
    #expect(result.status == 2, context, sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
    let lead = "error: \(file): \(path): expected "
    #expect(result.stderr.hasPrefix(lead), "want a message starting \(lead)\n\(context)", sourceLocation: sourceLocation)
    // One line, nothing else: no progress, no usage text, no crash report.
    #expect(result.stderr.hasSuffix("\n") && result.stderr.dropLast().split(separator: "\n").count == 1, context,
            sourceLocation: sourceLocation)
    for marker in ["Fatal error", "Backtrace", "Stack dump", "Precondition failed", "Assertion failed", "Crash"] {
        #expect(!result.stderr.contains(marker), context, sourceLocation: sourceLocation)
    }
    var rest = result.stderr[...]
    for text in says {
        guard let found = rest.range(of: text) else {
            Issue.record("stderr lacks \(text) (in order)\n\(context)", sourceLocation: sourceLocation)
            return
        }
        rest = rest[found.upperBound...]
    }
}

@Suite struct BadInputTests {
    @Test(arguments: badInputs)
    func runStopsBeforeWritingAnything(_ bad: BadInput) throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try bad.text(dir).write(to: file, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        try expectRejected(["run", file.path, "--results", results.path], file: file.path, path: bad.path, says: bad.says)
        #expect(!FileManager.default.fileExists(atPath: results.path), "a results folder was made")
        // `--quiet` changes nothing about errors.
        try expectRejected(["run", "--quiet", file.path, "--results", results.path], file: file.path, path: bad.path,
                           says: bad.says)
        #expect(!FileManager.default.fileExists(atPath: results.path))
    }

    @Test(arguments: badInputs)
    func validateReportsTheSameError(_ bad: BadInput) throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try bad.text(dir).write(to: file, atomically: true, encoding: .utf8)
        let before = try snapshot(dir)
        try expectRejected(["validate", file.path], file: file.path, path: bad.path, says: bad.says)
        try expectRejected(["validate", "--resolved", file.path], file: file.path, path: bad.path, says: bad.says)
        #expect(try snapshot(dir) == before, "validate wrote something")
    }

    @Test func missingExperimentFile() throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("nowhere.json").path
        let results = dir.appendingPathComponent("results")
        for arguments in [["run", file, "--results", results.path], ["validate", file]] {
            let result = try Genlab.run(arguments)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "error: \(file): expected a readable JSON file, found no such file\n")
        }
        let folder = try expectDirectoryRejected(dir.path, results: results)
        #expect(folder == "error: \(dir.path): expected a readable JSON file, found a directory\n")
        #expect(!FileManager.default.fileExists(atPath: results.path))
    }

    private func expectDirectoryRejected(_ path: String, results: URL) throws -> String {
        let result = try Genlab.run(["run", path, "--results", results.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        return result.stderr
    }

    @Test func validateStopsAtTheFirstBadFile() throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json"), good = dir.appendingPathComponent("good.json")
        try edited(tinyExperiment, [(#""latent": 2"#, #""latent": 0"#)]).write(to: bad, atomically: true, encoding: .utf8)
        try tinyExperiment.write(to: good, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["validate", good.path, bad.path])
        #expect(result.status == 2)
        #expect(result.stdout.hasPrefix("\(good.path): ok — tiny, 2 run(s), about "))
        #expect(result.stdout.hasSuffix(" per worker (limit 16 GiB)\n"))
        #expect(result.stderr == "error: \(bad.path): model.latent: expected an integer from 1 to 65536, found number 0\n")
    }

    /// Shapes that fit are not errors: a reshape with the right element count followed by a dense
    /// layer, and a sprite size that matches the reshape.
    @Test(arguments: [
        [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [4, 64] }, { "dense": 32"#)],
        [(#""size": 16"#, #""size": 28"#),
         (#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [1, 28, 28] }, { "dense": 32"#)],
        [(#""decoder": [ { "dense": 32, "activation": "relu" } ]"#,
          #""decoder": [ { "dense": 32, "activation": "relu" }, { "reshape": [2, 16] } ]"#)],
        [(#""batch": 32"#, #""batch": 256, "threads": 2"#)],
    ])
    func shapesThatFitValidate(_ edits: [(String, String)]) throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ok.json")
        try edited(tinyExperiment, edits).write(to: file, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["validate", file.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("\(file.path): ok — tiny, 2 run(s), about "))
        #expect(result.stderr.isEmpty)
    }

    /// A later bad invocation leaves a finished experiment exactly as it was, byte for byte.
    @Test func finishedResultsAreNotTouchedByBadInput() throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("tiny.json")
        try tinyExperiment.write(to: good, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results")
        let trained = try Genlab.run(["run", "--quiet", good.path, "--results", results.path])
        try #require(trained.status == 0, "stderr: \(trained.stderr)")
        let before = try snapshot(results)
        #expect(before.keys.contains { $0.hasSuffix("/final.json") })

        // The same experiment name with bad input of each depth: syntax, spec, sweep, data, model, batch.
        let names = ["JSON syntax: a missing comma", "unknown activation", "bad swept value", "missing data files",
                     "garbage data files", "image size the model cannot take", "batch larger than the training set"]
        for bad in badInputs where names.contains(bad.name) {
            let scratch = dir.appendingPathComponent("scratch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("tiny.json")
            try bad.text(scratch).write(to: file, atomically: true, encoding: .utf8)
            try expectRejected(["run", file.path, "--results", results.path], file: file.path, path: bad.path, says: bad.says)
            #expect(try snapshot(results) == before, "\(bad.name) changed the results folder")
        }
        // Nor does a missing file.
        let missing = dir.appendingPathComponent("missing.json").path
        #expect(try Genlab.run(["run", missing, "--results", results.path]).status == 2)
        #expect(try snapshot(results) == before)
    }
}

/// Every file and folder under `root` (relative path → bytes; folders map to empty data).
func snapshot(_ root: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return files }
    while let relative = walker.nextObject() as? String {
        let url = root.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        files[relative + (isDirectory.boolValue ? "/" : "")] = isDirectory.boolValue ? Data() : try Data(contentsOf: url)
    }
    return files
}

// MARK: - Small IDX files, gzipped by hand (stored deflate blocks: no zlib needed in the test)

/// An IDX file: magic, big-endian dimensions, then `elements` bytes (fewer than the header
/// announces makes a truncated file).
func idxBytes(magic: UInt32, dimensions: [Int], elements: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for word in [magic] + dimensions.map(UInt32.init) {
        bytes += [UInt8(word >> 24), UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
    }
    bytes += (0..<elements).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    return bytes
}

/// A valid, well-formed folder of four gzipped IDX files with `examples` 8×8 images per split.
func writeIDXFolder(_ folder: URL, examples: Int) throws {
    let labels = idxBytes(magic: 0x801, dimensions: [examples], elements: 0) + (0..<examples).map { UInt8($0 % 10) }
    let files = [idxBytes(magic: 0x803, dimensions: [examples, 8, 8], elements: examples * 64), labels]
    for (i, name) in idxNames.enumerated() {
        try gzipStored(files[i % 2]).write(to: folder.appendingPathComponent(name + ".gz"))
    }
}

/// `bytes` as a gzip member made of stored (uncompressed) deflate blocks.
func gzipStored(_ bytes: [UInt8]) -> Data {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    var offset = 0
    repeat {
        let length = min(65535, bytes.count - offset)
        let final: UInt8 = offset + length == bytes.count ? 1 : 0
        out += [final, UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8(~length >> 8 & 0xff)]
        out += bytes[offset ..< offset + length]
        offset += length
    } while offset < bytes.count
    for word in [crc32(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
        out += [UInt8(word & 0xff), UInt8(word >> 8 & 0xff), UInt8(word >> 16 & 0xff), UInt8(word >> 24)]
    }
    return Data(out)
}

/// CRC-32 (IEEE, reflected), as gzip uses.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
    }
    return ~crc
}

// MARK: - The command line's own input

@Suite struct BadArgumentTests {
    /// A `--results` that is (or lies under) a file, or whose `<name>` is a file, is bad input too:
    /// exit 2 with one line naming the file, checked before anything is written.
    @Test(arguments: ["afile", "afile/sub", "dir"])
    func resultsFolderThatCannotBeMade(_ results: String) throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tiny.json")
        try tinyExperiment.write(to: file, atomically: true, encoding: .utf8)
        try Data("not a folder".utf8).write(to: dir.appendingPathComponent("afile"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try Data("not a folder either".utf8).write(to: dir.appendingPathComponent("dir/tiny"))
        let before = try snapshot(dir)
        let result = try Genlab.run(["run", file.path, "--results", dir.appendingPathComponent(results).path])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let blocker = results == "dir" ? "dir/tiny" : "afile"
        #expect(result.stderr == "error: \(dir.appendingPathComponent(blocker).path): expected a folder to hold results "
                    + "(--results \(dir.appendingPathComponent(results).path)), found a file\n")
        #expect(try snapshot(dir) == before)
    }

    /// Sizes so large that the model's arithmetic would overflow or its memory could not be
    /// allocated are reported at their JSON path (limits in `SpecLimits` and `NetworkBuilder`), not crashed on.
    @Test(arguments: [
        ("latent", [(#""latent": 2"#, #""latent": 4611686018427387904"#)], "model.latent"),
        ("wide", [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 1000000000"#)], "model.encoder[0].dense"),
        ("many parameters", [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 1000000"#)], "model.encoder[0].dense"),
        ("dense", [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 4611686018427387904"#)], "model.encoder[0].dense"),
        ("reshape", [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "reshape": [4294967296, 4294967296, 16] }, { "dense": 32"#)],
         "model.encoder[0].reshape[0]"),
    ])
    func absurdSizesAreReportedNotCrashed(_ name: String, _ edits: [(String, String)], _ path: String) throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("huge.json")
        try edited(tinyExperiment, edits).write(to: file, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["validate", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(file.path): \(path): expected "), "stderr: \(result.stderr)")
    }
}
