import Foundation
import Report
import RunStore
import Spec

/// Moves an experiment's results folder written before the evaluation stage existed (GenLab 0.1:
/// run ids that held the report's grids and metrics, figures and metrics in `final.json`) to the
/// current layout, without training: each run folder is renamed to its current id
/// (`RunSpec.legacyID` → `RunSpec.id`), `spec.json` loses `report`, `final.json` keeps the
/// training record (its metrics the last epoch's terms, its `files` the training files), the
/// figures and computed metrics are recorded in `evaluation.json`, and a checkpoint is re-stamped
/// with the new id. The files are byte-identical to what a run of the current GenLab writes. The
/// caller rewrites the report and the manifest (`genlab migrate`).
public enum ResultsMigration {
    /// What one migration did.
    public struct Outcome: Sendable, Equatable {
        /// Runs moved to their current ids.
        public var migrated: [String] = []
        /// Runs already in the current layout.
        public var current: [String] = []
        /// Runs with neither an old nor a current folder (never run).
        public var absent: [String] = []
        /// Old runs left where they are: GenLab 0.1 logged at epoch ends only, and the file now
        /// asks for lines inside epochs (`training.log_every_steps` absent or above 0), which the
        /// old `metrics.jsonl` does not have. Setting it to 0 migrates them; else they retrain.
        public var loggedOtherwise: [String] = []
        /// Runs whose feature metrics now name the shared classifier (the same network).
        public var classifierRenamed: [String] = []
        /// Runs whose feature metrics were removed: computed on a classifier of a limited
        /// `train_size`; the next `genlab run` recomputes them from the checkpoint.
        public var classifierRecomputed: [String] = []
        /// Runs on 2-D data whose `samples.png` was redrawn from `samples.safetensors`.
        public var scatterRedrawn: [String] = []
        /// Runs whose `traversals.png` or `latent.png` was relabelled to count latent dimensions
        /// from 0.
        public var latentRelabelled: [String] = []
    }

    /// Migrates every run of the experiment whose results are in `folder` (`results/<name>`,
    /// holding `experiment.json`).
    public static func migrate(folder: String, experiment: Experiment, catalog: DataCatalog = DataCatalog()) throws -> Outcome {
        var outcome = Outcome()
        for run in experiment.runs {
            let current = RunFolder(experimentFolder: folder, runID: run.id)
            let old = RunFolder(experimentFolder: folder, runID: run.legacyID)
            if FileManager.default.fileExists(atPath: current.path) {
                outcome.current.append(run.id)
                continue
            }
            guard FileManager.default.fileExists(atPath: old.path) else {
                outcome.absent.append(run.id)
                continue
            }
            guard run.training.logEverySteps == 0 else {
                outcome.loggedOtherwise.append(run.id)
                continue
            }
            try FileSystem.move(old.path, to: current.path)
            try rewrite(run, folder: current)
            outcome.migrated.append(run.id)
        }
        try migrateClassifierNames(folder: folder, experiment: experiment, catalog: catalog, outcome: &outcome)
        try redrawMixtureScatters(folder: folder, experiment: experiment, catalog: catalog, outcome: &outcome)
        try relabelLatentFigures(folder: folder, experiment: experiment, catalog: catalog, outcome: &outcome)
        return outcome
    }

    /// Rewrites the moved files of `run` in `folder` in the current layout.
    private static func rewrite(_ run: RunSpec, folder: RunFolder) throws {
        try AtomicFile.write(JSONWriter.pretty(run.trainingJSON) + "\n", to: folder.spec)
        if FileManager.default.fileExists(atPath: folder.checkpoint) {
            try AtomicFile.write(try Checkpoint.restamped(try FileSystem.read(folder.checkpoint), runID: run.id),
                                 to: folder.checkpoint)
        }
        var final: TrainingRecord
        switch folder.training {
        case nil: return
        case .success(let record)?: final = record
        case .failure(let problem)?:
            throw SpecError(file: folder.final, path: "", expected: "the run's training record",
                            found: "a final.json that \(problem.phrase)")
        }
        let computedNames = Set(run.report.metrics.map(\.name) + MixtureOutputs.metricNames)
        var training = JSONObject(), computed = JSONObject()
        for member in final.metrics {
            if computedNames.contains(member.key) { computed[member.key] = member.value } else { training[member.key] = member.value }
        }
        final.runID = run.id
        final.metrics = training
        final.files = try RunIntegrity.digests(of: folder)
        try AtomicFile.write(final.text, to: folder.final)
        guard final.ending == .completed else { return }

        var figures = JSONObject()
        for kind in run.report.grids where FileManager.default.fileExists(atPath: folder.figure(kind.rawValue)) {
            figures[kind.rawValue] = RunEvaluator.options(of: kind, report: run.report)
        }
        let record = EvaluationRecord(runID: run.id, report: run.report.resolvedJSON, figures: figures,
                                      metrics: JSONObject(computed.sorted { $0.key < $1.key }),
                                      files: try RunIntegrity.digests(of: folder, names: RunIntegrity.evaluationFiles))
        try AtomicFile.write(record.text, to: folder.evaluation)
    }
}
