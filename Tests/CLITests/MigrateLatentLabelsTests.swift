import Foundation
import Testing

/// `genlab migrate` relabels `traversals.png` and `latent.png` drawn before latent dimensions were
/// counted from 0: the fixture's pictures and `evaluation.json` were written by GenLab at 5872712
/// for `relabel.json`; migrated, they are byte for byte what a run of the same file writes now.
@Suite struct MigrateLatentLabelsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/relabel-before-0").path
    static let replaced = ["traversals.png", "latent.png", "evaluation.json"]

    /// A fresh run of the fixture's file, its folder and the bytes of the replaced files.
    private func freshRun(_ scratch: SweepScratch) throws -> (experiment: String, run: String, drawn: [String: Data]) {
        let results = scratch.results("out"), experiment = results + "/relabel"
        let run = try Genlab.run(["run", Self.fixture + "/relabel.json", "--results", results, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let ids = try FileManager.default.contentsOfDirectory(atPath: experiment + "/runs")
        #expect(ids == ["94be78a7e476"], "the fixture's run id changed: regenerate the fixture")
        let folder = experiment + "/runs/" + ids[0]
        var drawn: [String: Data] = [:]
        for name in Self.replaced { drawn[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) }
        return (experiment, folder, drawn)
    }

    private func putOlderFiles(into folder: String) throws {
        for name in Self.replaced {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
            try FileManager.default.copyItem(atPath: Self.fixture + "/" + name, toPath: folder + "/" + name)
        }
    }

    @Test func olderPicturesAreRelabelledToTheBytesARunDrawsNow() throws {
        let scratch = try SweepScratch("{}")
        defer { scratch.clean() }
        let (experiment, folder, drawn) = try freshRun(scratch)
        let evaluation = String(decoding: drawn["evaluation.json"]!, as: UTF8.self)
        #expect(evaluation.contains("\"dimensions_from\": 0"))
        // The pictures differ before migration: the run counts from 0 and titles the scatter.
        try putOlderFiles(into: folder)
        for name in ["traversals.png", "latent.png"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) != drawn[name])
        }

        let migrated = try Genlab.run(["migrate", experiment])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("1 with latent dimensions relabelled from 0"), "\(migrated.stdout)")
        for name in Self.replaced {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) == drawn[name], "\(name) differs from the run's")
        }
        let again = try Genlab.run(["migrate", experiment])
        #expect(again.status == 0 && !again.stdout.contains("relabelled"), "\(again.stdout)")
    }

    @Test func aPictureGenLabDidNotDrawStopsWithExit2AndChangesNothing() throws {
        let scratch = try SweepScratch("{}")
        defer { scratch.clean() }
        let (experiment, folder, _) = try freshRun(scratch)
        try putOlderFiles(into: folder)
        // The traversals are readable; the latent scatter is another picture: neither is written.
        try FileManager.default.removeItem(atPath: folder + "/latent.png")
        try FileManager.default.copyItem(atPath: folder + "/losses.png", toPath: folder + "/latent.png")
        let before = try resultFiles(folder)
        let migrated = try Genlab.run(["migrate", experiment])
        #expect(migrated.status == 2)
        #expect(migrated.stderr.contains("latent.png") && migrated.stderr.contains("latent scatter"), "\(migrated.stderr)")
        #expect(!migrated.stderr.contains("Fatal error"), "\(migrated.stderr)")
        #expect(try resultFiles(folder) == before)
    }
}
