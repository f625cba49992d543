import Foundation
import Models
import NN
import Report
import RunStore
import Spec

/// Resuming a run from its checkpoint.
extension RunExecutor {
    /// Restores `model` from the run's checkpoint and returns where training stands, or nil (the
    /// model untouched) when there is no checkpoint or it cannot be used — then says why.
    func resume(_ run: RunSpec, folder: RunFolder, model: any GenerativeModel, stepsPerEpoch: Int) -> TrainingPosition? {
        guard FileManager.default.fileExists(atPath: folder.checkpoint) else { return nil }
        do {
            let bytes: [UInt8]
            do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.checkpoint))) } catch {
                throw CheckpointError(message: "cannot read it: \(error.localizedDescription)")
            }
            let position = try Checkpoint.restore(model, from: bytes, runID: run.id, epochs: run.training.epochs,
                                                  stepsPerEpoch: stepsPerEpoch)
            progress.message("[\(run.id)] resuming from its checkpoint: epoch \(position.epochsDone + 1), "
                             + "step \(position.epochsDone * stepsPerEpoch + position.epochStep)")
            return position
        } catch {
            progress.message("[\(run.id)] checkpoint not usable (\(error)): training from scratch")
            return nil
        }
    }

    /// The OpenBLAS family a `"native"` run records in its checkpoints (nil for a portable run);
    /// throws when its folder records another family than this process runs (`BLASKernel`).
    func nativeKernel(_ run: RunSpec, folder: RunFolder) throws -> String? {
        guard run.training.blasKernel == .native else { return nil }
        if let recorded = folder.recordedKernel {
            if let refusal = BLASKernel.refusal(recorded, runID: run.id, flags: BLASKernel.cpuFlags()) {
                throw KernelRefusal(message: refusal)
            }
            guard recorded == BLAS.coreName else {
                throw KernelRefusal(message: "run \(run.id) used OpenBLAS's \(recorded) kernels but this process runs "
                                    + "\(BLAS.coreName) (OPENBLAS_CORETYPE); genlab run starts its workers with the recorded family")
            }
        }
        return BLAS.coreName
    }

    /// The metrics of the last completed epoch as `final.json` reports them: its metrics line
    /// without the epoch and step counters (lines inside an epoch are passed over).
    func lastEpochMetrics(_ lines: [String], model: any GenerativeModel) -> [(String, JSONValue)] {
        guard let last = lines.last(where: MetricsLine.isEpochEnd),
              case .object(let line)? = try? JSONParser.parse(last, file: "metrics.jsonl") else { return [] }
        let counters = Set(["epoch", "step"] + model.stepCounters.map(\.0))
        return line.filter { !counters.contains($0.key) }.map { ($0.key, $0.value) }
    }

    /// Rewrites `metrics.jsonl` as `lines` (removes it when there are none).
    func writeMetrics(_ lines: [String], to path: String) throws {
        if lines.isEmpty {
            try FileSystem.removeFile(path)
        } else {
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
        }
    }
}

/// A native run that cannot go on with the kernel family it recorded; the message says why.
struct KernelRefusal: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
