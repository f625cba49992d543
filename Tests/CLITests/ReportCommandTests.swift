import Foundation
import Report
import Testing

/// `genlab run` reports at its end; `genlab report` regenerates the same bytes from the folders;
/// `genlab reproduce` writes SHA256SUMS and `genlab verify` re-runs against it.
@Suite(.serialized) struct ReportCommandTests {
    @Test func runReportsAndReportRegeneratesTheSameBytes() throws {
        let scratch = try SweepScratch(sweepExperiment(epochs: 1))
        defer { scratch.clean() }
        let results = scratch.results("r")
        let run = try Genlab.run(["run", scratch.file, "--jobs", "2", "--quiet", "--results", results])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let folder = results + "/sweep"
        for name in ["summary.md", "summary.csv", "runs.csv", "summary.json", "index.html"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) missing")
        }
        let summary = try String(contentsOfFile: folder + "/summary.md", encoding: .utf8)
        #expect(summary.contains("4 runs in 2 configuration(s): 4 completed, 0 diverged, 0 failed."))
        for name in ["samples-by-configuration", "reconstructions-by-configuration"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/figures/\(name).png"), "figures/\(name).png missing")
            #expect(try String(contentsOfFile: folder + "/index.html", encoding: .utf8).contains("src=\"figures/\(name).png\""))
        }
        let before = try resultFiles(folder)

        // Removing the report files and every run's pictures and regenerating them — the model
        // figures from the checkpoints — gives the same bytes.
        for name in ["summary.md", "summary.csv", "runs.csv", "summary.json", "index.html"] {
            try FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        var removed = 0
        for name in before.keys where name.hasPrefix("runs/") && name.hasSuffix(".png") {
            try FileManager.default.removeItem(atPath: folder + "/" + name)
            removed += 1
        }
        #expect(removed >= 4 * 6, "expected samples, reconstructions, interpolations, traversals, manifold, latent, losses per run")
        let report = try Genlab.run(["report", folder])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        #expect(report.stdout.contains("report of 4 runs (4 completed)"))
        #expect(!report.stderr.contains("kept as they were"), "stderr: \(report.stderr)")
        let after = try resultFiles(folder)
        #expect(Set(after.keys) == Set(before.keys))
        for (name, bytes) in before { #expect(after[name] == bytes, "\(name) changed when the report was regenerated") }
    }

    @Test func reportOfAFolderWithoutAnExperimentIsBadInput() throws {
        let scratch = try SweepScratch(sweepExperiment(epochs: 1))
        defer { scratch.clean() }
        let result = try Genlab.run(["report", scratch.root.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("experiment.json") && result.stderr.contains("expected the experiment file as run"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func reproduceWritesAManifestThatVerifyChecks() throws {
        let scratch = try SweepScratch(sweepExperiment(epochs: 1))
        defer { scratch.clean() }
        let results = scratch.results("paper")
        let reproduce = try Genlab.run(["reproduce", scratch.file, "--jobs", "2", "--quiet", "--results", results])
        #expect(reproduce.status == 0, "stderr: \(reproduce.stderr)")
        let folder = results + "/sweep"
        let manifest = try String(contentsOfFile: folder + "/SHA256SUMS", encoding: .utf8)
        #expect(manifest.contains("  summary.md\n") && manifest.contains("  index.html\n") && !manifest.contains("timing.json"))

        let verify = try Genlab.run(["verify", folder, "--runs", "2", "--jobs", "2"])
        #expect(verify.status == 0, "stdout: \(verify.stdout) stderr: \(verify.stderr)")
        #expect(verify.stdout.contains("byte-identical"))
        // The sampled runs are named, so a check can be read (and repeated) run by run.
        let ids = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.contains("re-running 2 of 4 runs (") })
        #expect(ids.filter { line.contains($0) }.count == 2, "\(line)")

        // An edited committed result is reported by name, with exit status 1.
        let final = try #require(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").sorted().first)
        try Foundation.Data("{}\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/runs/\(final)/final.json"))
        let edited = try Genlab.run(["verify", folder, "--runs", "1"])
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("committed file edited: runs/\(final)/final.json"))

        let missing = try Genlab.run(["verify", scratch.root.path])
        #expect(missing.status == 2 && missing.stderr.contains("SHA256SUMS"))
    }
}
