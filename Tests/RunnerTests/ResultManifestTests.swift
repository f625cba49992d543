@testable import Evaluation
import Foundation
@testable import RunStore
import Runner
import Testing

/// SHA256SUMS lists the reproducible files, agrees with coreutils' sha256sum, and finds changes.
@Test func manifestMatchesSha256sumAndSkipsWhatIsNotReproducible() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let files = ["summary.md": "# s\n", "runs/abc/final.json": "{}\n", "runs/abc/samples.png": "png",
                 "figures/loss-vs-beta.png": "fig", "runs/abc/timing.json": "1.5", "runs/abc/checkpoint.safetensors": "w",
                 "runs/abc/.final.json.tmp.1": "x", "slurm/logs/a.out": "log"]
    for (path, text) in files {
        let url = URL(fileURLWithPath: folder + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Foundation.Data(text.utf8).write(to: url)
    }
    let manifest = try ResultManifest.compute(folder: folder)
    #expect(manifest.entries.keys.sorted() == ["figures/loss-vs-beta.png", "runs/abc/final.json", "runs/abc/samples.png", "summary.md"])

    // coreutils computes the same lines for the same paths.
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    check.arguments = ["sha256sum"] + manifest.entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    check.currentDirectoryURL = URL(fileURLWithPath: folder)
    let pipe = Pipe()
    check.standardOutput = pipe
    try check.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    check.waitUntilExit()
    #expect(output == manifest.text)

    #expect(ResultManifest(text: manifest.text) == manifest)
    #expect(ResultManifest(text: "nonsense\n") == nil)
    try Foundation.Data("# changed\n".utf8).write(to: URL(fileURLWithPath: folder + "/summary.md"))
    try FileManager.default.removeItem(atPath: folder + "/runs/abc/samples.png")
    #expect(try ResultManifest.compute(folder: folder).differences(from: manifest) == ["runs/abc/samples.png", "summary.md"])
}
