import Foundation
import Formats
import Report
import RunStore
import Spec

extension ResultsMigration {
    /// Redraws `samples.png` of every finished run on 2-D mixture data from its
    /// `samples.safetensors` (`MixtureScatter`: the scatter with title, mode metrics and axes that
    /// GenLab draws since issue 18), where the picture differs, and records the new file's SHA-256
    /// in `evaluation.json`: no checkpoint or training is needed, and the bytes are those a run
    /// draws now. Lists the runs in `outcome.scatterRedrawn`.
    static func redrawMixtureScatters(folder: String, experiment: Experiment, catalog: DataCatalog,
                                      outcome: inout Outcome) throws {
        for run in experiment.runs where run.data.dataset == .ring || run.data.dataset == .grid {
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            let samplesFile = runFolder.path + "/" + MixtureOutputs.fileName
            guard var record = EvaluationRecord.read(folder: runFolder.path), record.files["samples.png"] != nil,
                  FileManager.default.fileExists(atPath: samplesFile),
                  let mixture = try catalog.splits(for: run.data, file: folder + "/experiment.json").mixture else { continue }
            let file = try SafeTensors.decode(try FileSystem.read(samplesFile))
            guard let tensor = file.tensors["samples"], tensor.shape == [MixtureOutputs.sampleCount, 2] else {
                throw SpecError(file: samplesFile, path: "", expected: "a samples tensor of shape [2500, 2]",
                                found: file.tensors["samples"].map { "shape \($0.shape)" } ?? "no samples tensor")
            }
            let png = try PNGCodec.encode(MixtureScatter.figure(points: try tensor.values(as: Float.self), mixture: mixture, run: run))
            let path = runFolder.figure("samples")
            guard (try? FileSystem.read(path)) != png else { continue }
            try AtomicFile.write(png, to: path)
            record.files["samples.png"] = .string(SHA256Text.hex(png))
            try AtomicFile.write(record.text, to: runFolder.evaluation)
            outcome.scatterRedrawn.append(run.id)
        }
    }
}
