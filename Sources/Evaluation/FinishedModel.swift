import Data
import Foundation
import Models
import NN
import Report
import RunStore
import Spec

/// Why a finished run's model could not be loaded. Nothing was written.
public enum FinishedModelError: Error, Equatable, CustomStringConvertible {
    /// The run folder has no `checkpoint.safetensors` (never trained, or removed).
    case noCheckpoint(path: String)
    /// The checkpoint cannot be read or does not fit the run's model (another run's, truncated…).
    case unusableCheckpoint(path: String, reason: String)
    /// The checkpoint is from before the end of training (an unfinished or diverged run), whose
    /// model is not the one the figures and metrics describe.
    case unfinished(path: String, epochsDone: Int, epochs: Int)

    public var description: String {
        switch self {
        case .noCheckpoint(let path): return "\(path): no checkpoint, so nothing can be computed from it"
        case let .unusableCheckpoint(path, reason): return "\(path): checkpoint not usable (\(reason))"
        case let .unfinished(path, done, epochs):
            return "\(path): the checkpoint is from epoch \(done) of \(epochs), not the end of training"
        }
    }
}

/// The model of a finished run, rebuilt from its spec and restored from its final checkpoint
/// (every buffer, a GAN's EMA weights included), with the run's data: what the evaluation stage,
/// `genlab sample` and the report compute from. The model gets the run's thread team
/// (`training.threads`) and OpenBLAS one thread, as the run had; for the same bytes the process
/// also needs the run's OpenBLAS kernel (`OPENBLAS_CORETYPE`, which workers get from
/// `WorkerEnvironment`).
public struct FinishedModel {
    public let run: RunSpec
    public let model: any GenerativeModel
    public let data: DataSplits

    /// - Throws: `FinishedModelError` when the checkpoint is missing, unusable or not from the end
    ///   of training; `SpecError` when the data cannot be loaded or the model built.
    public init(run: RunSpec, folder: RunFolder, catalog: DataCatalog) throws {
        guard FileManager.default.fileExists(atPath: folder.checkpoint) else {
            throw FinishedModelError.noCheckpoint(path: folder.checkpoint)
        }
        BLAS.setThreads(1)
        let data = try catalog.splits(for: run.data, file: folder.spec)
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, trainingExamples: data.train.count, file: folder.spec)
        let stepsPerEpoch = EpochOrder(count: data.train.count, batch: model.examplesPerStep).batchesPerEpoch
        let position: TrainingPosition
        do {
            let bytes = try FileSystem.read(folder.checkpoint)
            position = try Checkpoint.restore(model, from: bytes, runID: run.id, epochs: run.training.epochs,
                                              stepsPerEpoch: stepsPerEpoch)
        } catch {
            throw FinishedModelError.unusableCheckpoint(path: folder.checkpoint, reason: "\(error)")
        }
        guard position.epochsDone == run.training.epochs, position.epochStep == 0 else {
            throw FinishedModelError.unfinished(path: folder.checkpoint, epochsDone: position.epochsDone,
                                                epochs: run.training.epochs)
        }
        self.run = run
        self.model = model
        self.data = data
    }
}
