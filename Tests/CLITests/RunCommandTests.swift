import Foundation
import Testing

/// A tiny experiment that trains in about a second in a debug build.
let tinyExperiment = """
{
  "name": "tiny",
  "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
  "model": { "type": "vae", "latent": 2,
             "encoder": [ { "dense": 32, "activation": "relu" } ],
             "decoder": [ { "dense": 32, "activation": "relu" } ] },
  "training": { "epochs": 2, "batch": 32 },
  "seeds": [0],
  "sweep": { "model.beta": [1, 2] }
}
"""

@Test func runTrainsEveryRunAndWritesItsFiles() throws {
    let dir = try Genlab.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("tiny.json")
    try tinyExperiment.write(to: file, atomically: true, encoding: .utf8)
    let result = try Genlab.run(["run", file.path, "--results", dir.appendingPathComponent("out").path])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("tiny: 2 runs — 2 completed"))
    let runs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/tiny/runs").path)
    #expect(runs.count == 2)
    for run in runs {
        let files = try Set(FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/tiny/runs/\(run)").path))
        #expect(files == ["spec.json", "metrics.jsonl", "final.json", "evaluation.json", "timing.json", "checkpoint.safetensors",
                          "samples.png", "reconstructions.png", "interpolations.png", "traversals.png", "manifold.png",
                          "latent.png", "losses.png", "events.out.tfevents.genlab"])
    }
    for name in ["summary.md", "summary.csv", "runs.csv", "summary.json", "index.html"] {
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/tiny/\(name)").path), "\(name) missing")
    }
    // Running again skips the finished runs.
    let again = try Genlab.run(["run", file.path, "--results", dir.appendingPathComponent("out").path])
    #expect(again.status == 0)
    #expect(again.stdout.contains("2 skipped"))
}

@Test func validateResolvedPrintsEveryRunWithItsId() throws {
    let dir = try Genlab.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("tiny.json")
    try tinyExperiment.write(to: file, atomically: true, encoding: .utf8)
    let plain = try Genlab.run(["validate", file.path])
    #expect(plain.status == 0)
    #expect(plain.stdout.contains("ok — tiny, 2 run(s)"))
    let resolved = try Genlab.run(["validate", "--resolved", file.path])
    #expect(resolved.status == 0)
    // Defaults are explicit: the optimiser is spelled out though the file names none.
    #expect(resolved.stdout.contains("\"beta1\": 0.9"))
    #expect(resolved.stdout.components(separatedBy: "\"id\": ").count == 3)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
}
