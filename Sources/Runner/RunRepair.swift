import Foundation
import Report
import RunStore
import Spec

/// What `genlab run` does with a finished run that `RunIntegrity` finds damaged or legacy. Only the
/// holder of the run's claim calls these.
///
/// A damaged run is moved aside, never deleted: every file but the claim goes to
/// `<experiment>/damaged/<run-id>-<n>/`, where the user can look at it. An intact checkpoint of the
/// end of training is copied back (with `timing.json` and the TensorBoard events), so the run is
/// restored from it (figures, metrics and `final.json` recomputed, byte-identical to the undamaged
/// run); without one the run is retrained from scratch, which ends with the same bytes too.
enum RunRepair {
    /// Moves the damaged run in `folder` aside and puts back what it can resume from. Returns the
    /// folder the files went to and whether the checkpoint was kept.
    static func setAside(_ folder: RunFolder) throws -> (aside: String, checkpointKept: Bool) {
        let keep = FileManager.default.fileExists(atPath: folder.checkpoint)
            && RunIntegrity.checkpointProblem(folder, runID: folder.runID) == nil
        let parent = folder.experimentFolder + "/damaged"
        try FileSystem.makeFolder(parent)
        var n = 1
        while FileManager.default.fileExists(atPath: "\(parent)/\(folder.runID)-\(n)") { n += 1 }
        let aside = "\(parent)/\(folder.runID)-\(n)"
        try FileSystem.makeFolder(aside)
        for name in try FileSystem.list(folder.path).sorted() where name != "claim.json" {
            try FileSystem.move(folder.path + "/" + name, to: aside + "/" + name)
        }
        if keep {
            try FileSystem.copyFile(aside + "/checkpoint.safetensors", to: folder.checkpoint)
            if FileManager.default.fileExists(atPath: aside + "/timing.json") {
                try FileSystem.copyFile(aside + "/timing.json", to: folder.timing)
            }
            // The event file's images of finished epochs cannot be redrawn from the last checkpoint;
            // the resumed run keeps the valid ones (`TensorBoardLog`).
            if FileManager.default.fileExists(atPath: aside + "/" + RunFolder.tensorboardFileName) {
                try FileSystem.copyFile(aside + "/" + RunFolder.tensorboardFileName, to: folder.tensorboard)
            }
        }
        return (aside, keep)
    }

    /// Adds `files` to a legacy `final.json` (written before digests were recorded), vouching for
    /// the files as they are; the result is byte-identical to what a run finishing now writes.
    static func upgradeLegacy(_ folder: RunFolder) throws {
        guard case .object(var final)? = try? JSONParser.parse(bytes: try FileSystem.read(folder.final), file: folder.final) else {
            return
        }
        guard final["files"] == nil else { return }
        final["files"] = .object(try RunIntegrity.digests(of: folder))
        try AtomicFile.write(JSONWriter.pretty(.object(final)) + "\n", to: folder.final)
    }
}
