import Foundation
import Testing

// Issue 13, through the real binary: hostile files end as one bad-input line and exit status 2,
// fast, never as a crash, a huge allocation or a write outside --results.

/// The repository's experiments folder.
private var experimentsFolder: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("experiments")
}

/// Writes `text` to a fresh folder as `name`; returns the folder and the file.
private func scratchFile(_ text: String, name: String = "hostile.json") throws -> (URL, URL) {
    let dir = try Genlab.temporaryFolder()
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return (dir, file)
}

/// Runs `validate` and `run` on `text` and checks both reject it at `path` within `seconds`,
/// writing nothing.
private func expectFastRejection(_ text: String, path: String, says: [String], seconds: Double = 5,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (dir, file) = try scratchFile(text)
    defer { try? FileManager.default.removeItem(at: dir) }
    let results = dir.appendingPathComponent("results")
    for arguments in [["validate", file.path], ["run", "--quiet", file.path, "--results", results.path]] {
        let start = Date()
        try expectRejected(arguments, file: file.path, path: path, says: says, sourceLocation: sourceLocation)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < seconds, "genlab \(arguments[0]) took \(elapsed) s", sourceLocation: sourceLocation)
    }
    #expect(!FileManager.default.fileExists(atPath: results.path), "a results folder was made", sourceLocation: sourceLocation)
}

@Suite struct HostileFileTests {
    @Test func batchOf2To32() throws {
        try expectFastRejection(try edited(tinyExperiment, [(#""batch": 32"#, #""batch": 4294967296"#)]),
                                path: "training.batch", says: ["expected an integer from 1 to 10000000", "found number 4294967296"])
    }

    /// pacgan-grid with batch 1,000,000 once took 24 GB; batch 100,001 20 s and 6.2 GB.
    @Test(arguments: [1_000_000, 100_001])
    func pacganGridBatchLargerThanItsData(_ batch: Int) throws {
        let original = try String(contentsOf: experimentsFolder.appendingPathComponent("pacgan-grid.json"), encoding: .utf8)
        try expectFastRejection(try edited(original, [(#""batch": 100,"#, #""batch": \#(batch),"#)]), path: "training.batch",
                                says: ["expected at most the 100000 training examples per step (data.train_size)",
                                       "found number \(batch)"])
    }

    @Test func paddingOf2To63() throws {
        let text = try edited(tinyExperiment, [(#""encoder": [ { "dense": 32"#,
            #""encoder": [ { "reshape": [1, 16, 16] }, { "conv": 4, "kernel": 3, "padding": 9223372036854775807 }, { "dense": 32"#)])
        try expectFastRejection(text, path: "model.encoder[1].padding",
                                says: ["expected an integer from 0 to 256", "found number 9223372036854775807"])
    }

    @Test func epochsOf2To63() throws {
        try expectFastRejection(try edited(tinyExperiment, [(#""epochs": 2"#, #""epochs": 9223372036854775807"#)]),
                                path: "training.epochs", says: ["expected an integer from 1 to 1000000"])
    }

    /// 6,000,000 seeds: 48 MB, refused by its size before it is read.
    @Test func sixMillionSeeds() throws {
        let seeds = (0..<6_000_000).map(String.init).joined(separator: ",")
        let (dir, file) = try scratchFile(try edited(tinyExperiment, [(#""seeds": [0]"#, #""seeds": [\#(seeds)]"#)]))
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = Date()
        let result = try Genlab.run(["validate", file.path])
        let elapsed = Date().timeIntervalSince(start)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: \(file.path): expected an experiment file of at most 1048576 bytes (1 MiB), found "))
        #expect(elapsed < 5, "validate took \(elapsed) s")
    }

    /// A file without end is read no further than the limit.
    @Test func aDeviceWithoutEnd() throws {
        let start = Date()
        let result = try Genlab.run(["validate", "/dev/zero"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: /dev/zero: expected an experiment file of at most 1048576 bytes (1 MiB), found more than 1048576 bytes\n")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// Names that would leave `--results` (".."), write into it (".") or take over the classifier
    /// cache (".classifiers"), and one too long for a folder name.
    @Test(arguments: ["..", ".", ".classifiers", String(repeating: "n", count: 300)])
    func unsafeNames(_ name: String) throws {
        let (dir, file) = try scratchFile(try edited(tinyExperiment, [(#""name": "tiny""#, #""name": "\#(name)""#)]))
        defer { try? FileManager.default.removeItem(at: dir) }
        let results = dir.appendingPathComponent("sub/results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let before = try snapshot(dir)
        let expected = #"expected a name of 1 to 100 letters, digits, ".", "_" and "-", not starting with ".""#
        try expectRejected(["validate", file.path], file: file.path, path: "name", says: [expected])
        try expectRejected(["run", "--quiet", file.path, "--results", results.path], file: file.path, path: "name", says: [expected])
        #expect(try snapshot(dir) == before, "something was written")
    }

    /// A model estimated above the limit is refused, at the biggest part's path, until the user
    /// raises the limit with --memory-limit or GENLAB_MEMORY_LIMIT.
    @Test func memoryLimitRefusesAndCanBeRaised() throws {
        // 256 sprites of 16×16 through a 4096-unit layer: ~17 MB of parameters with Adam.
        let text = try edited(tinyExperiment, [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 4096"#)])
        let (dir, file) = try scratchFile(text)
        defer { try? FileManager.default.removeItem(at: dir) }
        let says = ["expected a run that fits the memory limit of 0.01 GiB per worker", "found about ",
                    "raise the limit with --memory-limit GIB or GENLAB_MEMORY_LIMIT=GIB"]
        try expectRejected(["validate", "--memory-limit", "0.01", file.path], file: file.path, path: "model", says: says)
        let results = dir.appendingPathComponent("results")
        try expectRejected(["run", "--quiet", "--memory-limit", "0.01", file.path, "--results", results.path],
                           file: file.path, path: "model", says: says)
        #expect(!FileManager.default.fileExists(atPath: results.path))

        let refused = try Genlab.run(["validate", file.path], environment: ["GENLAB_MEMORY_LIMIT": "0.01"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("expected a run that fits the memory limit of 0.01 GiB per worker"))

        let raised = try Genlab.run(["validate", "--memory-limit", "1", file.path], environment: ["GENLAB_MEMORY_LIMIT": "0.01"])
        #expect(raised.status == 0, "stderr: \(raised.stderr)")
        #expect(raised.stdout.hasPrefix("\(file.path): ok — tiny, 2 run(s), about "))
        #expect(raised.stdout.hasSuffix(" MB per worker (limit 1 GiB)\n"))

        let bad = try Genlab.run(["validate", file.path], environment: ["GENLAB_MEMORY_LIMIT": "lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: environment: GENLAB_MEMORY_LIMIT: expected a memory limit in GiB, more than 0 and at most 1048576, found \"lots\"\n")
    }

    /// Workers get the coordinator's limit: a run that fits only the raised limit trains.
    @Test func runPassesTheLimitToItsWorkers() throws {
        let text = try edited(tinyExperiment, [(#""encoder": [ { "dense": 32"#, #""encoder": [ { "dense": 4096"#),
                                               (#""epochs": 2"#, #""epochs": 1"#), (#""model.beta": [1, 2]"#, #""model.beta": [1]"#)])
        let (dir, file) = try scratchFile(text)
        defer { try? FileManager.default.removeItem(at: dir) }
        let results = dir.appendingPathComponent("results")
        // The environment says 0.01 GiB (too small); the option raises it for the coordinator and its workers.
        let result = try Genlab.run(["run", "--quiet", "--memory-limit", "0.5", file.path, "--results", results.path],
                                    environment: ["GENLAB_MEMORY_LIMIT": "0.01"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("tiny: 1 runs — 1 completed"))
    }
}
