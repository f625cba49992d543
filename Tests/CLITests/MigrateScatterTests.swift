import Foundation
import Testing

/// `genlab migrate` redraws an older `samples.png` of a run on 2-D data from its
/// `samples.safetensors`, byte for byte as a run draws it now, and records its digest.
@Test func migrateRedrawsAnOlderMixtureScatterAsARunDrawsItNow() throws {
    let scratch = try SweepScratch(ringGANExperiment(epochs: 2, extra: #", "seeds": [3]"#))
    defer { scratch.clean() }
    let results = scratch.results("out"), experiment = results + "/ring"
    let run = try Genlab.run(["run", scratch.file, "--results", results, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    let folder = experiment + "/runs/" + (try FileManager.default.contentsOfDirectory(atPath: experiment + "/runs")[0])
    func read(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) }
    let drawn = try read("samples.png"), evaluation = try read("evaluation.json")
    let text = String(decoding: evaluation, as: UTF8.self)
    #expect(text.contains("\"samples.png\""))

    // An older picture, recorded as the run's: the losses plot stands in for the old scatter.
    let older = try read("losses.png")
    try older.write(to: URL(fileURLWithPath: folder + "/samples.png"))
    let sha256sum = Process()
    sha256sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    sha256sum.arguments = [folder + "/samples.png"]
    let pipe = Pipe()
    sha256sum.standardOutput = pipe
    try sha256sum.run()
    let oldDigest = String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    sha256sum.waitUntilExit()
    let originalDigest = try #require(text.range(of: #"(?<="samples.png": ")[0-9a-f]{64}"#, options: .regularExpression))
    try text.replacingCharacters(in: originalDigest, with: oldDigest)
        .write(toFile: folder + "/evaluation.json", atomically: true, encoding: .utf8)

    let migrated = try Genlab.run(["migrate", experiment])
    #expect(migrated.status == 0, "\(migrated.stderr)")
    #expect(migrated.stdout.contains("1 samples scatters redrawn"), "\(migrated.stdout)")
    #expect(try read("samples.png") == drawn, "the redrawn scatter differs from the run's")
    #expect(try read("evaluation.json") == evaluation)
    let again = try Genlab.run(["migrate", experiment])
    #expect(!again.stdout.contains("redrawn"), "\(again.stdout)")
}
