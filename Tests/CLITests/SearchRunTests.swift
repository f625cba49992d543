import Foundation
import Testing

/// A random search run as a user runs it: the same trials, runs and report with one worker, two
/// workers and two shards, a row per trial and the metrics against each searched value.
@Test func aRandomSearchGivesTheSameBytesWithAnyJobsOrShards() throws {
    let scratch = try SweepScratch(ringGANExperiment(name: "search", epochs: 2, extra: """
        , "search": { "method": "random", "trials": 3, "seed": 5, "parameters": {
              "model.schedule.generator_optimizer.lr": { "distribution": "log_uniform", "low": 1e-4, "high": 1e-2 },
              "model.loss": { "distribution": "choice", "values": ["non-saturating", "hinge"] } } },
          "seeds": [0, 1]
        """))
    defer { scratch.clean() }
    let one = try Genlab.run(["run", scratch.file, "--results", scratch.results("one"), "--jobs", "1", "--quiet"])
    #expect(one.status == 0, "\(one.stderr)")
    let two = try Genlab.run(["run", scratch.file, "--results", scratch.results("two"), "--jobs", "2", "--quiet"])
    #expect(two.status == 0, "\(two.stderr)")
    for shard in ["1/2", "0/2"] {
        let part = try Genlab.run(["run", scratch.file, "--results", scratch.results("shards"), "--shard", shard, "--quiet"])
        #expect(part.status == 0, "\(part.stderr)")
    }
    try expectSameResults(scratch.results("one"), scratch.results("two"))
    try expectSameResults(scratch.results("one"), scratch.results("shards"))

    let folder = scratch.results("one") + "/search"
    let runs = try String(contentsOfFile: folder + "/runs.csv", encoding: .utf8).split(separator: "\n")
    #expect(runs[0].hasPrefix("run,seed,trial,model.schedule.generator_optimizer.lr,model.loss,status"), "\(runs[0])")
    #expect(runs.count == 1 + 6)
    let summary = try String(contentsOfFile: folder + "/summary.md", encoding: .utf8)
    #expect(summary.contains("6 runs in 3 configuration(s)"), "\(summary)")
    let figures = try FileManager.default.contentsOfDirectory(atPath: folder + "/figures")
    #expect(figures.contains { $0.hasSuffix("-vs-model_schedule_generator_optimizer_lr.png") }, "\(figures)")
    #expect(figures.contains { $0.hasSuffix("-vs-model_loss.png") }, "\(figures)")
    #expect(!figures.contains { $0.hasSuffix("-vs-trial.png") }, "\(figures)")
}
