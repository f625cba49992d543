import Foundation
import Spec
import Testing
@testable import Report

/// `final.json` (`TrainingRecord`) and `failure.json` (`FailureRecord`): the one type their writer
/// and readers share, its bytes and what it says about a bad file.
@Suite struct RunRecordFilesTests {
    private func parse(_ text: String) -> Result<TrainingRecord, RecordProblem> {
        TrainingRecord.parse(Array(text.utf8), file: "final.json")
    }

    @Test func aWrittenRecordReadsBackAsItWasWritten() throws {
        let record = TrainingRecord(
            ending: .diverged, runID: "abc", seed: 7, epochs: 3, steps: 412, genlabVersion: "0.2.0",
            openblasCore: "Haswell", blasThreads: 1, swept: ["model.beta": .int(4)],
            metrics: ["train_loss": .number(1.5)], divergence: .init(step: 412, network: "discriminator"),
            files: ["spec.json": .string("00")])
        let back = try parse(record.text).get()
        #expect(back == record)
        #expect(back.status == .diverged)
        #expect(back.divergenceText == "diverged at step 412 in the discriminator")
        #expect(record.text.hasSuffix("}\n"))
    }

    /// The keys come out sorted, as every result file's do, so a record rewritten by the migration
    /// is byte-identical to one a run writes.
    @Test func theTextHasSortedKeys() {
        let text = TrainingRecord(ending: .completed, runID: "r", seed: 1, epochs: 2, steps: 10, files: [:]).text
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["epochs", "files", "metrics", "run_id", "seed", "status", "steps"])
        #expect(!text.contains("diverged_at_step"))
    }

    @Test func membersThisVersionDoesNotKnowSurviveARewrite() throws {
        let old = #"{"status": "completed", "run_id": "r", "extra": [1, 2], "metrics": {"fid": 3}}"#
        var record = try parse(old).get()
        #expect(record.files == nil)  // legacy: no digests yet
        record.runID = "s"
        let again = try parse(record.text).get()
        #expect(again.other["extra"] == .array([.int(1), .int(2)]))
        #expect(again.runID == "s" && again.metrics["fid"] == .int(3))
    }

    @Test func aBadRecordIsNamedNotGuessed() {
        func phrase(_ text: String) -> String? {
            if case .failure(let problem) = parse(text) { return problem.phrase }
            return nil
        }
        #expect(phrase("{\"status\": \"compl") == "is not valid JSON (truncated or garbage)")
        #expect(phrase(#"{"status": "finished", "run_id": "r"}"#) == #"has no status completed or diverged (found string "finished")"#)
        #expect(phrase(#"{"run_id": "r"}"#) == "has no status completed or diverged (found none)")
        #expect(phrase(#"{"status": "completed"}"#) == "has no run_id")
        #expect(phrase(#"{"status": "completed", "run_id": "r", "files": 3}"#) == "has files that is not an object")
    }

    @Test func aFailureRecordsItsReasonAndACrashedWorkersLastLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("failure-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(FailureRecord.read(folder: folder) == nil)
        let record = FailureRecord(runID: "r", reason: "disk full", stderrTail: ["a", "b"])
        try record.text.write(toFile: folder + "/" + FailureRecord.fileName, atomically: true, encoding: .utf8)
        #expect(FailureRecord.read(folder: folder) == record)
        #expect(record.text.contains(#""status": "failed""#))
        #expect(!FailureRecord(runID: "r", reason: "x").text.contains("stderr_tail"))
    }

    /// A run whose `final.json` cannot be read is reported damaged, with the reason, not as an
    /// unnamed status.
    @Test func anUnreadableTrainingRecordMakesTheRunDamaged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("final-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{\"stat".write(toFile: folder + "/final.json", atomically: true, encoding: .utf8)
        let record = RunRecord.read(folder: folder, id: "r", seed: 0, swept: [], unfinishedStatus: .pending)
        #expect(record.status == .damaged)
        #expect(record.reason == "final.json is not valid JSON (truncated or garbage)")
        #expect(!RunStatus.damaged.isDone && RunStatus.diverged.isDone)
    }
}
