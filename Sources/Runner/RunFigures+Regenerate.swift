import Data
import Foundation
import NN
import Spec

/// Why a run folder's figures were not redrawn. Nothing was written: the PNGs there are untouched.
public enum FigureRegenerationError: Error, Equatable, CustomStringConvertible {
    /// The run folder has no `checkpoint.safetensors` (never trained, or removed).
    case noCheckpoint(path: String)
    /// The checkpoint cannot be read or does not fit the run's model (another run's, truncated…).
    case unusableCheckpoint(path: String, reason: String)
    /// The checkpoint is from before the end of training (an unfinished or diverged run), whose
    /// model is not the one the figures show.
    case unfinished(path: String, epochsDone: Int, epochs: Int)

    public var description: String {
        switch self {
        case .noCheckpoint(let path): return "\(path): no checkpoint, so no figures can be drawn (existing PNGs kept)"
        case let .unusableCheckpoint(path, reason): return "\(path): checkpoint not usable (\(reason)); existing PNGs kept"
        case let .unfinished(path, done, epochs):
            return "\(path): the checkpoint is from epoch \(done) of \(epochs), not the end of training; existing PNGs kept"
        }
    }
}

extension RunFigures {
    /// Redraws the figures of a finished run from its folder, byte-identical to those the run
    /// wrote at the end of training: rebuilds the model from `run` (the folder's `spec.json`, read
    /// with `ExperimentLoader.parseRun`), restores the final weights from `checkpoint.safetensors`
    /// (every buffer, a GAN's EMA weights included, which its figures use), loads the test split
    /// through `catalog`, and writes every figure `run.report.grids` lists and the model and
    /// data allow — the path a run's own end takes (`write`). Returns the kinds written.
    ///
    /// Sets the process's BLAS threads to `training.threads`, as the run did; for the same bytes
    /// the process also needs the run's OpenBLAS kernel (`OPENBLAS_CORETYPE`, which the sweep
    /// coordinator sets for its workers — see `WorkerProcess`).
    ///
    /// - Throws: `FigureRegenerationError` when the checkpoint is missing, unusable or not from
    ///   the end of training (nothing written); `SpecError` when the data cannot be loaded or the
    ///   model built; file errors from writing.
    @discardableResult
    public static func regenerate(run: RunSpec, folder: RunFolder, catalog: DataCatalog) throws -> [GridKind] {
        guard FileManager.default.fileExists(atPath: folder.checkpoint) else {
            throw FigureRegenerationError.noCheckpoint(path: folder.checkpoint)
        }
        BLAS.setThreads(run.training.threads)
        let data = try catalog.splits(for: run.data, file: folder.spec)
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, file: folder.spec)
        let stepsPerEpoch = EpochOrder(count: data.train.count, batch: model.examplesPerStep).batchesPerEpoch
        let position: TrainingPosition
        do {
            let bytes = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: folder.checkpoint)))
            position = try Checkpoint.restore(model, from: bytes, runID: run.id, epochs: run.training.epochs,
                                              stepsPerEpoch: stepsPerEpoch)
        } catch {
            throw FigureRegenerationError.unusableCheckpoint(path: folder.checkpoint, reason: "\(error)")
        }
        guard position.epochsDone == run.training.epochs, position.epochStep == 0 else {
            throw FigureRegenerationError.unfinished(path: folder.checkpoint, epochsDone: position.epochsDone,
                                                     epochs: run.training.epochs)
        }
        return try write(model: model, run: run, data: data, folder: folder)
    }
}
