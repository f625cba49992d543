import Foundation
import Report
import Spec

/// Whether a finished run's folder still holds what it held when the run finished.
///
/// `final.json` records the SHA-256 of the training files (`files`: `spec.json`, `metrics.jsonl`),
/// `evaluation.json` those of the files the evaluation stage wrote (the figures,
/// `samples.safetensors`), and the checkpoint records its own (`Checkpoint.digestKey`), so "done"
/// means intact: a garbage or truncated `final.json` or `evaluation.json`, a changed figure, a
/// truncated `metrics.jsonl` or a damaged checkpoint is found and named.
/// `timing.json` (wall-clock), `losses.png` (drawn by the report) and claim or failure files are
/// not vouched for. A missing checkpoint is not damage: committed results leave checkpoints out.
public enum RunIntegrity {
    /// What a run folder's `final.json` says, checked against the folder.
    public enum Verdict: Sendable, Equatable {
        /// No `final.json`: the run is not done. `checkpointProblem` says what is wrong with its
        /// checkpoint, if it has one that cannot be used (it is kept aside, not overwritten).
        case unfinished(checkpointProblem: String?)
        /// Done and intact, ended as `ending`. `legacy` when `final.json` is from before `files`
        /// was recorded (its files were checked for form only).
        case intact(ending: TrainingRecord.Ending, legacy: Bool)
        /// Done, but something is wrong: each problem in a phrase ("final.json is not valid JSON").
        case damaged([String])
    }

    /// The files `final.json` vouches for.
    static let trainingFiles = ["spec.json", "metrics.jsonl"]
    /// The files `evaluation.json` vouches for, where the evaluation wrote them.
    package static let evaluationFiles = [RunFolder.samplesFileName] + GridKind.allCases.map { $0.rawValue + ".png" }
    /// Every file a record may vouch for.
    static let vouchedNames = trainingFiles + evaluationFiles

    /// `files` for a record: the SHA-256 of each of `names` present in `folder`, sorted by name.
    package static func digests(of folder: RunFolder, names: [String] = trainingFiles) throws -> JSONObject {
        var files = JSONObject()
        for name in names.sorted() where FileManager.default.fileExists(atPath: folder.path + "/" + name) {
            files[name] = .string(SHA256Text.hex(try FileSystem.read(folder.path + "/" + name)))
        }
        return files
    }

    /// Checks the run in `folder` (whose id is `runID`); reads every vouched file and the checkpoint.
    public static func check(_ folder: RunFolder, runID: String) -> Verdict {
        let final: TrainingRecord
        switch folder.training {
        case nil: return .unfinished(checkpointProblem: checkpointProblem(folder, runID: runID))
        case .failure(let problem)?: return .damaged([TrainingRecord.fileName + " " + problem.phrase])
        case .success(let record)?: final = record
        }
        var problems: [String] = []
        if final.runID != runID {
            problems.append("final.json belongs to run \(final.runID), not \(runID)")
        }
        if let files = final.files {
            problems += fileProblems(.object(files), folder: folder)
        } else {
            problems += legacyProblems(folder)
        }
        let completed = final.ending == .completed
        if completed { problems += evaluationProblems(folder, runID: runID) }
        if let problem = checkpointProblem(folder, runID: runID, epochs: completed ? final.epochs : nil) {
            problems.append(problem)
        }
        return problems.isEmpty ? .intact(ending: final.ending, legacy: final.files == nil) : .damaged(problems)
    }

    /// What is wrong with the checkpoint in `folder`, or nil when it is intact or absent. With
    /// `epochs`, a checkpoint from before the end of training is wrong too.
    package static func checkpointProblem(_ folder: RunFolder, runID: String, epochs: Int? = nil) -> String? {
        guard FileManager.default.fileExists(atPath: folder.checkpoint) else { return nil }
        do {
            let file = try Checkpoint.decodeVerified(try FileSystem.read(folder.checkpoint))
            if let owner = file.metadata["run_id"], owner != runID {
                return "checkpoint.safetensors belongs to run \(owner), not \(runID)"
            }
            let epoch = file.metadata["epoch"].flatMap { Int($0) }, epochStep = file.metadata["epoch_step"].flatMap { Int($0) } ?? 0
            if let epochs, let epoch, epoch != epochs || epochStep != 0 {
                return "checkpoint.safetensors is from epoch \(epoch), not the end of training (\(epochs))"
            }
            return nil
        } catch let error as CheckpointError {
            return "checkpoint.safetensors is damaged: \(error)"
        } catch {
            return "checkpoint.safetensors is unreadable: \(FileSystemError.describe(error, operation: "read"))"
        }
    }

    /// What is wrong with `evaluation.json` and the files it vouches for; none when it is absent
    /// (a run not yet evaluated, which `genlab run` evaluates).
    static func evaluationProblems(_ folder: RunFolder, runID: String) -> [String] {
        guard FileManager.default.fileExists(atPath: folder.evaluation) else { return [] }
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(folder.evaluation) } catch { return ["evaluation.json is unreadable (\(error))"] }
        switch EvaluationRecord.parse(bytes, file: folder.evaluation) {
        case .failure(let problem): return ["evaluation.json " + problem.phrase]
        case .success(let record):
            let owner = record.runID == runID ? [] : ["evaluation.json belongs to run \(record.runID), not \(runID)"]
            return owner + fileProblems(.object(record.files), folder: folder, record: "evaluation.json")
        }
    }

    /// Each recorded file against its digest. Names must be vouched names: a crafted `files`
    /// cannot make GenLab read outside the run folder.
    private static func fileProblems(_ files: JSONValue, folder: RunFolder, record: String = "final.json") -> [String] {
        guard case .object(let entries) = files else { return ["\(record)'s files is not an object"] }
        var problems: [String] = []
        for entry in entries {
            guard vouchedNames.contains(entry.key), let recorded = entry.value.stringValue else {
                problems.append("\(record)'s files names \(JSONWriter.quoted(entry.key)), not a result file")
                continue
            }
            let path = folder.path + "/" + entry.key
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append("\(entry.key) is missing")
                continue
            }
            do {
                if SHA256Text.hex(try FileSystem.read(path)) != recorded {
                    problems.append("\(entry.key) does not match the SHA-256 \(record) records (changed or truncated)")
                }
            } catch {
                problems.append("\(entry.key) is unreadable: \(error)")
            }
        }
        return problems
    }

    /// The form of a legacy run's files: `spec.json` an object, every `metrics.jsonl` line an object.
    private static func legacyProblems(_ folder: RunFolder) -> [String] {
        var problems: [String] = []
        if case .failure(let problem) = readObject(folder.spec) { problems.append("spec.json " + problem) }
        if FileManager.default.fileExists(atPath: folder.metrics) {
            guard let bytes = try? FileSystem.read(folder.metrics) else { return problems + ["metrics.jsonl is unreadable"] }
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let complete = text.hasSuffix("\n") && lines.dropLast().allSatisfy { line in
                if case .object? = try? JSONParser.parse(String(line), file: folder.metrics) { return true }
                return false
            }
            if !complete { problems.append("metrics.jsonl is not whole lines of JSON objects (truncated or changed)") }
        }
        return problems
    }

    private enum ReadObject { case success(JSONObject), failure(String) }

    private static func readObject(_ path: String) -> ReadObject {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch { return .failure("is unreadable (\(error))") }
        guard case .object(let object)? = try? JSONParser.parse(bytes: bytes, file: path) else {
            return .failure("is not valid JSON (truncated or garbage)")
        }
        return .success(object)
    }
}
