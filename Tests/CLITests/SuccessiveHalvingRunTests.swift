import Foundation
import Testing

/// Successive halving as a user runs it: 4 trials × 2 seeds of a small VAE, rungs at 1, 2 and 4
/// epochs keeping half the trials each time: 14 runs train, 10 are never promoted. The same
/// file gives the same trials, promotions, results and report with one worker, two workers,
/// shards taking turns, and after the coordinator is killed mid-search.
@Suite(.serialized) struct SuccessiveHalvingRunTests {
    static let file = """
        {
          "name": "halving",
          "data": { "dataset": "sprites", "size": 16, "train_size": 2048, "test_size": 200 },
          "model": { "type": "vae", "latent": 4, "likelihood": "bernoulli",
            "encoder": [ { "dense": 32, "activation": "relu" } ], "decoder": [ { "dense": 32, "activation": "relu" } ] },
          "training": { "epochs": 4, "batch": 64, "optimizer": { "type": "adam", "lr": 0.001 } },
          "search": { "method": "random", "trials": 4, "seed": 1,
            "parameters": { "training.optimizer.lr": { "distribution": "log_uniform", "low": 1e-4, "high": 1e-2 },
                            "model.beta": { "distribution": "uniform", "low": 0.5, "high": 4 } },
            "successive_halving": { "min_epochs": 1, "reduction": 2, "metric": "test_neg_elbo", "goal": "minimize" } },
          "seeds": [0, 1],
          "report": { "grids": ["samples"] }
        }
        """

    /// final.json of every run in `folder`, by run id.
    static func finals(_ folder: String) throws -> [String: [String: Any]] {
        var finals: [String: [String: Any]] = [:]
        for id in try FileManager.default.contentsOfDirectory(atPath: folder + "/runs") {
            guard let data = FileManager.default.contents(atPath: "\(folder)/runs/\(id)/final.json"),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            finals[id] = object
        }
        return finals
    }

    static func swept(_ final: [String: Any], _ path: String) -> Double? {
        ((final["swept"] as? [String: Any])?[path] as? NSNumber)?.doubleValue
    }

    @Test func theSameSearchWithAnyJobsShardsOrKills() throws {
        let scratch = try SweepScratch(Self.file)
        defer { scratch.clean() }
        let two = try Genlab.run(["run", scratch.file, "--results", scratch.results("two"), "--jobs", "2", "--quiet"])
        #expect(two.status == 0, "\(two.stderr)")
        #expect(summaryCount(two.stdout, "completed") == 14 && summaryCount(two.stdout, "not promoted") == 10, "\(two.stdout)")
        let folder = scratch.results("two") + "/halving"

        // The promoted trials continue: a rung's run begins with the epochs of the same trial
        // and seed one rung below, then trains on.
        let finals = try Self.finals(folder)
        #expect(finals.count == 14)
        let budgets = finals.values.compactMap { Self.swept($0, "training.epochs") }
        #expect([1.0, 2, 4].map { b in budgets.filter { $0 == b }.count } == [8, 4, 2])
        func epochLines(_ id: String) throws -> [Substring] {
            try String(contentsOfFile: "\(folder)/runs/\(id)/metrics.jsonl", encoding: .utf8)
                .split(separator: "\n").filter { !$0.contains("epoch_step") }
        }
        for (id, final) in finals where Self.swept(final, "training.epochs") == 4 {
            let trial = Self.swept(final, "trial"), seed = (final["seed"] as? NSNumber)?.intValue
            let below = try #require(finals.first { Self.swept($0.value, "training.epochs") == 2 && Self.swept($0.value, "trial") == trial
                && ($0.value["seed"] as? NSNumber)?.intValue == seed }?.key)
            let lines = try epochLines(id), earlier = try epochLines(below)
            #expect(lines.count == 4 && earlier.count == 2 && Array(lines.prefix(2)) == earlier)
        }

        // The rung table and the best configuration.
        let table = try String(contentsOfFile: folder + "/search.md", encoding: .utf8)
        #expect(table.contains("| epochs | rank | trial | training.optimizer.lr | model.beta | test_neg_elbo | promoted |"), "\(table)")
        #expect(table.split(separator: "\n").filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 2 |") || $0.hasPrefix("| 4 |") }.count == 4 + 2 + 1)
        let search = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/search.json"))) as? [String: Any])
        let bracket = try #require((search["brackets"] as? [[String: Any]])?.first)
        let best = try #require(bracket["best"] as? [String: Any])
        #expect((best["epochs"] as? NSNumber)?.intValue == 4)
        #expect(table.contains("Best: trial \((best["trial"] as? NSNumber)?.intValue ?? -1) "), "\(table)")
        let runsCSV = try String(contentsOfFile: folder + "/runs.csv", encoding: .utf8)
        #expect(runsCSV.split(separator: "\n").count == 1 + 14)
        let figures = try FileManager.default.contentsOfDirectory(atPath: folder + "/figures")
        #expect(figures.contains("test_neg_elbo-vs-training_epochs.png"), "\(figures)")

        let one = try Genlab.run(["run", scratch.file, "--results", scratch.results("one"), "--jobs", "1", "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
        try expectSameResults(folder, scratch.results("one") + "/halving")

        // Shards taking turns: each does what is decided, the rest waits for the other's runs.
        let shards = scratch.results("shards")
        let first = try Genlab.run(["run", scratch.file, "--results", shards, "--shard", "0/2", "--quiet"])
        #expect(first.status == 0 && summaryCount(first.stdout, "waiting for its rung") > 0, "\(first.stdout)\(first.stderr)")
        for _ in 0..<3 {
            for shard in ["1/2", "0/2"] {
                let part = try Genlab.run(["run", scratch.file, "--results", shards, "--shard", shard, "--quiet"])
                #expect(part.status == 0, "\(part.stderr)")
            }
        }
        let report = try Genlab.run(["report", shards + "/halving"])
        #expect(report.status == 0, "\(report.stderr)")
        try expectSameResults(folder, shards + "/halving")

        // The coordinator killed while a promoted run trains; run again, the same bytes.
        let killed = scratch.results("killed"), experiment = killed + "/halving"
        let promoted = Set(finals.filter { Self.swept($0.value, "training.epochs") != 1 }.keys)
        let sweep = try BackgroundGenlab(["run", scratch.file, "--jobs", "2", "--results", killed])
        var victim = false
        for _ in 0..<3000 where !victim && sweep.process.isRunning {
            Thread.sleep(forTimeInterval: 0.005)
            let training = ((try? FileManager.default.contentsOfDirectory(atPath: experiment + "/runs")) ?? []).filter {
                promoted.contains($0) && FileManager.default.fileExists(atPath: "\(experiment)/runs/\($0)/claim.json")
            }
            if !training.isEmpty { victim = kill(sweep.process.processIdentifier, SIGKILL) == 0 }
        }
        _ = sweep.wait()
        #expect(victim, "the coordinator should have been killed while a promoted run trained")
        let finish = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", killed, "--quiet"])
        #expect(finish.status == 0, "\(finish.stderr)")
        try expectWholeFiles(killed)
        try expectSameResults(folder, experiment)
    }

    @Test func aMetricTheRunsDoNotReportStopsWithExit2AfterTheFirstRung() throws {
        let text = Self.file.replacingOccurrences(of: "\"test_neg_elbo\"", with: "\"test_fid\"")
            .replacingOccurrences(of: "\"train_size\": 2048", with: "\"train_size\": 256")
        let scratch = try SweepScratch(text)
        defer { scratch.clean() }
        let run = try Genlab.run(["run", scratch.file, "--results", scratch.results("out"), "--jobs", "2"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("search.successive_halving.metric") && run.stderr.contains("test_neg_elbo"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }
}
