import Data
import Foundation
import Report
import RunStore
import Spec

/// The second move of `genlab migrate`: feature metrics (FID, KID, precision/recall) recorded
/// with a classifier of the old scheme — keyed by the data spec, trained on the experiment's own
/// training split and cached per results folder — to the shared classifier keyed by the data's
/// content (`EvaluationClassifierCache`). Where the experiment used its data set whole, the old
/// classifier is the same network trained on the same images, so only the recorded name changes.
/// Where it limited `train_size` or `test_size`, the numbers came from another classifier: they
/// are removed from `evaluation.json` (the next `genlab run` recomputes them from the checkpoint)
/// and the run is listed, not left to pass as comparable.
extension ResultsMigration {
    /// The metric kinds computed on the classifier's features.
    static let featureMetrics: Set<MetricKind> = [.fid, .kid, .precisionRecall]

    /// Renames or removes the old-scheme feature metrics of every finished run in `folder`,
    /// listing the runs in `outcome.classifierRenamed` and `outcome.classifierRecomputed`.
    static func migrateClassifierNames(folder: String, experiment: Experiment, catalog: DataCatalog,
                                       outcome: inout Outcome) throws {
        var expectedName: [String: String] = [:]  // canonical data spec → classifier file name
        for run in experiment.runs {
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            guard var record = EvaluationRecord.read(folder: runFolder.path) else { continue }
            let names = run.report.metrics.filter { featureMetrics.contains($0.kind) }.map(\.name)
            let recorded = names.filter { name in
                if case .object(let object)? = record.metrics[name], object["classifier"] != nil { return true }
                return false
            }
            guard !recorded.isEmpty else { continue }
            let full = EvaluationClassifierCache.fullData(run.data)
            let key = JSONWriter.canonical(full.resolvedJSON)
            if expectedName[key] == nil {
                let splits = try catalog.splits(for: full, file: folder + "/experiment.json")
                expectedName[key] = EvaluationClassifierCache.fileName(fingerprint: DataFingerprint.of(splits))
            }
            let classifier = expectedName[key]!
            let stale = recorded.filter { name in
                if case .object(let object)? = record.metrics[name] { return object["classifier"] != .string(classifier) }
                return false
            }
            guard !stale.isEmpty else { continue }  // already the shared classifier
            if full != run.data {
                for name in stale { record.metrics[name] = nil }
                outcome.classifierRecomputed.append(run.id)
            } else {
                for name in stale {
                    guard case .object(var object)? = record.metrics[name] else { continue }
                    object["classifier"] = .string(classifier)
                    record.metrics[name] = .object(object)
                }
                outcome.classifierRenamed.append(run.id)
            }
            try AtomicFile.write(record.text, to: runFolder.evaluation)
        }
    }
}
