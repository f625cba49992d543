import Foundation
import Report
import RunStore
import Spec

/// A promoted trial continues from its checkpoint: before a run of rung r + 1 trains for the
/// first time, its folder receives the final checkpoint of the same trial and seed at rung r,
/// stamped with the new run's id (and that run's TensorBoard events, so the curves go on). The
/// run then resumes from it as from any checkpoint: epochs b_r + 1 … b_{r+1} follow on the
/// rung-r state, metrics lines and data stream included.
enum HalvingContinuation {
    /// Puts the predecessor's checkpoint into `folder` unless the run already has a checkpoint
    /// of its own. Throws when the predecessor's checkpoint is missing or unreadable.
    static func prepare(_ folder: RunFolder, run: RunSpec, from predecessor: RunSpec, experimentFolder: String) throws {
        guard !FileManager.default.fileExists(atPath: folder.checkpoint) else { return }
        let source = RunFolder(experimentFolder: experimentFolder, runID: predecessor.id)
        guard FileManager.default.fileExists(atPath: source.checkpoint) else {
            throw CheckpointError(message: "successive halving: run \(predecessor.id), which it continues from, has no "
                                    + "checkpoint.safetensors (was it deleted?); run that run again to recreate it")
        }
        try FileSystem.makeFolder(folder.path)
        if FileManager.default.fileExists(atPath: source.tensorboard) {
            try FileSystem.copyFile(source.tensorboard, to: folder.tensorboard)
        }
        // The checkpoint last: its presence is what makes the run resume rather than start afresh.
        try AtomicFile.write(try Checkpoint.restamped(try FileSystem.read(source.checkpoint), runID: run.id), to: folder.checkpoint)
    }
}
