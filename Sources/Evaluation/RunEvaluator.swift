import Data
import Formats
import Foundation
import Models
import Report
import RunStore
import Spec

/// The evaluation stage: computes from a finished run's checkpoint the figures and metrics its
/// `report` section asks for, and records them in `evaluation.json` (`EvaluationRecord`).
///
/// Incremental: a figure whose options and a metric whose parameters are as recorded (and whose
/// file is there) are kept; only what is missing or changed is computed, and what the report no
/// longer lists is removed. Every figure and metric draws from its own seeded stream and only
/// evaluates the model, so computing one alone gives the bytes computing all at once gives: a
/// run evaluated at the end of training and one evaluated later, item by item, are identical.
/// The model always comes from the final checkpoint (`FinishedModel`), the same path for both.
public struct RunEvaluator {
    public let catalog: DataCatalog
    /// Where evaluation classifiers are cached: the machine-wide folder
    /// (`EvaluationClassifierCache.machineFolder`), else `<results root>/.classifiers`.
    public let classifiers: EvaluationClassifierCache.Settings

    public init(catalog: DataCatalog, classifiers: EvaluationClassifierCache.Settings = .machine) {
        self.catalog = catalog
        self.classifiers = classifiers
    }

    /// What one evaluation did.
    public struct Outcome: Sendable, Equatable {
        /// Figures and metrics computed, by name (`samples`, `fid`, `modes`), in computing order.
        public var computed: [String]
        /// Figures and metrics removed because the report no longer lists them.
        public var removed: [String]
        public var seconds: Double
    }

    /// Whether the run in `folder` needs evaluating for `report`: it has no readable
    /// `evaluation.json`, or one that answers another report section.
    public static func isCurrent(_ folder: RunFolder, report: ReportSpec) -> Bool {
        EvaluationRecord.read(folder: folder.path)?.answers(report.resolvedJSON) ?? false
    }

    /// Brings the evaluation of the finished run in `folder` up to date with `run.report`;
    /// `redraw` draws every figure again (and recomputes the mode metrics) even when recorded.
    /// - Throws: `FinishedModelError` or `SpecError` when the model cannot be loaded (nothing
    ///   written); file errors from writing.
    @discardableResult
    public func evaluate(_ run: RunSpec, folder: RunFolder, redraw: Bool = false) throws -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let recorded = EvaluationRecord.read(folder: folder.path)
        let finished = try FinishedModel(run: run, folder: folder, catalog: catalog)
        let (model, data) = (finished.model, finished.data)
        var computed: [String] = [], removed: [String] = []

        // Figures: those the report lists and the model and data allow.
        let kinds = RunFigures.kinds(for: run, model: model, data: data)
        var figures = JSONObject()
        let context = FigureContext(model: model, run: run, data: data)
        for kind in kinds {
            let options = Self.options(of: kind, report: run.report)
            let path = folder.figure(kind.rawValue)
            let kept = !redraw && recorded?.figures[kind.rawValue] == options && FileManager.default.fileExists(atPath: path)
            if !kept, let context {
                try AtomicFile.write(PNGCodec.encode(try context.draw(kind)), to: path)
                computed.append(kind.rawValue)
            }
            figures[kind.rawValue] = options
        }
        for kind in GridKind.allCases where !kinds.contains(kind) && FileManager.default.fileExists(atPath: folder.figure(kind.rawValue)) {
            try FileSystem.removeFile(folder.figure(kind.rawValue))
            removed.append(kind.rawValue)
        }

        // Metrics: the mode metrics of 2-D data, then the declared ones, each kept when recorded
        // with the same parameters.
        var metrics: [(String, JSONValue)] = []
        if let mixture = data.mixture {
            let names = MixtureOutputs.metricNames
            let samples = folder.path + "/" + MixtureOutputs.fileName
            if !redraw, let recorded, names.allSatisfy({ recorded.metrics[$0] != nil }), FileManager.default.fileExists(atPath: samples) {
                metrics += names.map { ($0, recorded.metrics[$0]!) }
            } else {
                metrics += try MixtureOutputs.write(model: model, run: run, mixture: mixture, folder: folder)
                computed.append("modes")
            }
        }
        var missing: [MetricSpec] = []
        for metric in run.report.metrics {
            if let kept = recorded?.metrics[metric.name], case .object(let object) = kept,
               object["parameters"] == .object(JSONObject(pairs: metric.parameters)) {
                metrics.append((metric.name, kept))
            } else {
                missing.append(metric)
            }
        }
        let classifiers = EvaluationClassifierCache.Source(folder: self.classifiers.folder ?? folder.classifierFolder,
                                                           minimumSteps: self.classifiers.minimumSteps) { [catalog] full in
            try catalog.splits(for: full, file: folder.spec)
        }
        metrics += try DeclaredMetrics.compute(missing, model: model, run: run, data: data, classifiers: classifiers)
        computed += missing.map(\.name)
        if let recorded {
            let wanted = Set(metrics.map(\.0))
            removed += recorded.metrics.keys.filter { !wanted.contains($0) && !MixtureOutputs.metricNames.contains($0) }
        }

        let record = EvaluationRecord(runID: run.id, report: run.report.resolvedJSON, figures: figures,
                                      metrics: JSONObject(pairs: metrics.sorted { $0.0 < $1.0 }),
                                      files: try RunIntegrity.digests(of: folder, names: RunIntegrity.evaluationFiles))
        try AtomicFile.write(record.text, to: folder.evaluation)
        return Outcome(computed: computed, removed: removed,
                       seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The options a figure kind depends on, as recorded: the interpolation's kind and steps for
    /// `interpolations`, the first dimension's number for `traversals` and `latent`, nothing for
    /// the others. A recorded figure whose options differ is drawn again.
    static func options(of kind: GridKind, report: ReportSpec) -> JSONValue {
        switch kind {
        case .interpolations:
            return .object(["interpolation": .string(report.interpolation.rawValue),
                            "steps": .int(Int64(report.interpolationSteps))])
        case .traversals, .latent:
            // Labels count latent dimensions from 0 (figures drawn before issue 18 counted from 1
            // and lack the key; `genlab migrate` relabels them).
            return .object(["dimensions_from": .int(0)])
        default:
            return .object(JSONObject())
        }
    }
}
