import Foundation
import Testing

/// A finished run whose files were damaged is named by `status` and `report`, set aside (never
/// deleted) by `run` and restored to the bytes of the undamaged run — through the real binary.

/// One kind of damage, done to a finished run's folder, and the phrase that must name it.
struct Damage: Sendable, CustomTestStringConvertible {
    var name: String
    var says: String
    var apply: @Sendable (String) throws -> Void
    var testDescription: String { name }

    static func truncate(_ file: String, keeping fraction: Double) -> @Sendable (String) throws -> Void {
        { folder in
            let path = folder + "/" + file
            let bytes = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: path)))
            try Foundation.Data(bytes.prefix(Int(Double(bytes.count) * fraction))).write(to: URL(fileURLWithPath: path))
        }
    }

    static func replace(_ file: String, with text: String) -> @Sendable (String) throws -> Void {
        { folder in try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8) }
    }

    static let all: [Damage] = [
        Damage(name: "garbage final.json", says: "final.json is not valid JSON", apply: replace("final.json", with: "{ garbage")),
        Damage(name: "half a final.json", says: "final.json is not valid JSON", apply: truncate("final.json", keeping: 0.5)),
        Damage(name: "half a checkpoint", says: "checkpoint.safetensors is damaged", apply: truncate("checkpoint.safetensors", keeping: 0.5)),
        Damage(name: "a flipped checkpoint byte", says: "contents do not match the SHA-256 it records", apply: { folder in
            let path = folder + "/checkpoint.safetensors"
            var bytes = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count - 40] ^= 0x10
            try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
        }),
        Damage(name: "a truncated metrics.jsonl", says: "metrics.jsonl does not match", apply: truncate("metrics.jsonl", keeping: 0.6)),
        Damage(name: "a garbage spec.json", says: "spec.json does not match", apply: replace("spec.json", with: "garbage")),
        Damage(name: "a missing figure", says: "samples.png is missing", apply: { try FileManager.default.removeItem(atPath: $0 + "/samples.png") }),
    ]
}

/// A one-run experiment, small enough to train in a second or two in a debug build.
private let oneRun = """
    {
      "name": "intact",
      "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
      "model": { "type": "vae", "latent": 2,
                 "encoder": [ { "dense": 32, "activation": "relu", "batch_norm": true } ],
                 "decoder": [ { "dense": 32, "activation": "relu" } ] },
      "training": { "epochs": 2, "batch": 32 }
    }
    """

/// The one run folder under `results/intact/runs`.
private func runFolder(_ results: String) throws -> String {
    let runs = try FileManager.default.contentsOfDirectory(atPath: results + "/intact/runs")
    try #require(runs.count == 1)
    return results + "/intact/runs/" + runs[0]
}

/// A scratch folder with the run trained into `reference` and copied to `copy`; the copy's run folder.
private struct TrainedCopy {
    let scratch: SweepScratch
    let reference: String, copy: String, folder: String

    init(_ name: String) throws {
        scratch = try SweepScratch(oneRun)
        reference = scratch.results("reference")
        copy = scratch.results(name)
        #expect(try Genlab.run(["run", scratch.file, "--results", reference, "--quiet"]).status == 0)
        try FileManager.default.copyItem(atPath: reference, toPath: copy)
        folder = try runFolder(copy)
    }
}

/// The results tree without what a repair adds (`damaged/`) and what is wall-clock (`timing.json`).
private func comparable(_ root: String) throws -> [String: [UInt8]] {
    try resultFiles(root).filter { !$0.key.contains("/damaged/") }
}

@Test(arguments: Damage.all)
func aDamagedRunIsNamedSetAsideAndRestoredToTheSameBytes(_ damage: Damage) throws {
    let trained = try TrainedCopy("damaged")
    defer { trained.scratch.clean() }
    let (scratch, reference, damaged, folder) = (trained.scratch, trained.reference, trained.copy, trained.folder)
    try damage.apply(folder)

    let status = try Genlab.run(["status", scratch.file, "--results", damaged])
    #expect(status.status == 0)
    #expect(status.stdout.contains("damaged") && status.stdout.contains(damage.says), "\(status.stdout)")

    let report = try Genlab.run(["report", damaged + "/intact", "--no-run-figures"])
    #expect(report.status == 0)
    #expect(report.stderr.contains("is damaged: ") && report.stderr.contains(damage.says), "\(report.stderr)")
    let runsCSV = try String(contentsOfFile: damaged + "/intact/runs.csv", encoding: .utf8)
    #expect(runsCSV.contains(",damaged,"), "\(runsCSV)")

    let run = try Genlab.run(["run", scratch.file, "--results", damaged, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("damaged: ") && run.stderr.contains(damage.says), "\(run.stderr)")
    #expect(summaryCount(run.stdout, "completed") == 1, "\(run.stdout)")
    let aside = try FileManager.default.contentsOfDirectory(atPath: damaged + "/intact/damaged")
    #expect(aside == [(folder as NSString).lastPathComponent + "-1"])
    #expect(FileManager.default.fileExists(atPath: damaged + "/intact/damaged/" + aside[0] + "/spec.json"))

    let restored = try comparable(damaged), original = try comparable(reference)
    #expect(Set(restored.keys) == Set(original.keys))
    for (name, bytes) in original { #expect(restored[name] == bytes, "\(name) differs after the repair") }
    #expect(try Genlab.run(["status", scratch.file, "--results", damaged]).stdout.contains("1 completed"))
}

@Test func aRunFinishedBeforeDigestsIsUpgradedInPlaceToTheSameBytes() throws {
    let trained = try TrainedCopy("legacy")
    defer { trained.scratch.clean() }
    let (scratch, reference, legacy) = (trained.scratch, trained.reference, trained.copy)
    let final = trained.folder + "/final.json"
    var object = try #require(try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: URL(fileURLWithPath: final))) as? [String: Any])
    #expect(object["files"] != nil)
    object["files"] = nil
    try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: final))

    #expect(try Genlab.run(["status", scratch.file, "--results", legacy]).stdout.contains("1 completed"))
    let run = try Genlab.run(["run", scratch.file, "--results", legacy, "--quiet"])
    #expect(run.status == 0 && summaryCount(run.stdout, "skipped") == 1, "\(run.stdout)\(run.stderr)")
    #expect(try comparable(legacy) == comparable(reference))
}

@Test func anUnfinishedRunsDamagedCheckpointIsKeptAsideAndTheRunTrainedAgain() throws {
    let trained = try TrainedCopy("damaged")
    defer { trained.scratch.clean() }
    let (scratch, reference, damaged, folder) = (trained.scratch, trained.reference, trained.copy, trained.folder)
    try FileManager.default.removeItem(atPath: folder + "/final.json")   // as if killed before the end
    try Damage.truncate("checkpoint.safetensors", keeping: 0.7)(folder)

    let status = try Genlab.run(["status", scratch.file, "--results", damaged])
    #expect(status.stdout.contains("damaged") && status.stdout.contains("checkpoint.safetensors is damaged"), "\(status.stdout)")
    let run = try Genlab.run(["run", scratch.file, "--results", damaged, "--quiet"])
    #expect(run.status == 0 && run.stderr.contains("checkpoint.safetensors is damaged"), "\(run.stderr)")
    let aside = try FileManager.default.contentsOfDirectory(atPath: damaged + "/intact/damaged")
    #expect(aside.count == 1)
    #expect(FileManager.default.fileExists(atPath: damaged + "/intact/damaged/" + aside[0] + "/checkpoint.safetensors"))
    #expect(try comparable(damaged) == comparable(reference))
}
