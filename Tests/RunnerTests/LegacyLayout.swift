@testable import Evaluation
import Foundation
import Report
@testable import RunStore
@testable import Runner
import Spec

/// Rewrites a run folder of the current layout as GenLab 0.1 wrote it, for the migration tests:
/// the folder named by the old id (`RunSpec.legacyID`), `spec.json` with `report`, `final.json`
/// with every metric and the digests of the figures, no `evaluation.json`, the checkpoint
/// stamped with the old id.
enum LegacyLayout {
    static func write(_ run: RunSpec, experimentFolder: String) throws {
        let current = RunFolder(experimentFolder: experimentFolder, runID: run.id)
        let old = RunFolder(experimentFolder: experimentFolder, runID: run.legacyID)
        try FileSystem.move(current.path, to: old.path)
        try AtomicFile.write(JSONWriter.pretty(run.resolvedJSON) + "\n", to: old.spec)
        try AtomicFile.write(try Checkpoint.restamped(try FileSystem.read(old.checkpoint), runID: run.legacyID), to: old.checkpoint)
        guard case .object(var final) = try JSONParser.parse(bytes: try FileSystem.read(old.final), file: old.final) else { return }
        var metrics = JSONObject()
        if case .object(let training)? = final["metrics"] { metrics = training }
        if let evaluation = EvaluationRecord.read(folder: old.path) {
            for member in evaluation.metrics { metrics[member.key] = member.value }
        }
        try FileSystem.removeFile(old.evaluation)
        final["run_id"] = .string(run.legacyID)
        final["metrics"] = .object(JSONObject(metrics.sorted { $0.key < $1.key }))
        final["files"] = .object(try RunIntegrity.digests(of: old, names: RunIntegrity.vouchedNames))
        try AtomicFile.write(JSONWriter.pretty(.object(final)) + "\n", to: old.final)
    }
}
