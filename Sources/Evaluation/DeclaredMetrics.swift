import Data
import Models
import NN
import Spec

// Dimension letters: N examples, D data size, Z latent, F classifier features.

/// The metrics a run declares in `report.metrics` (definitions in docs/metrics.md), computed by
/// the evaluation stage (`RunEvaluator`) from the trained model. Each draws from its own stream
/// `RandomStream(seed: run.seed, purpose: "metric.<name>")` and only evaluates the model, so
/// declaring a metric changes no training byte and no other metric's numbers.
///
/// Each becomes one member of `evaluation.json`'s `metrics`, an object holding the result (`value`
/// where there is one number), the counts it was computed from (`examples`, `real`, `generated`,
/// `points`) and `parameters`: the resolved spec entry without its name.
package enum DeclaredMetrics {
    static func compute(_ metrics: [MetricSpec], model: any GenerativeModel, run: RunSpec, data: DataSplits,
                        classifiers: EvaluationClassifierCache.Source) throws -> [(String, JSONValue)] {
        guard !metrics.isEmpty, let generating = model as? any GeneratingModel else { return [] }
        let context = MetricContext(model: generating, run: run, data: data, classifiers: classifiers)
        return try metrics.map { metric in
            var result = try context.compute(metric)
            result["parameters"] = .object(JSONObject(pairs: metric.parameters))
            return (metric.name, .object(result))
        }
    }

    /// The checks that need the loaded data (the spec has checked model and data kinds): enough
    /// test examples for each metric, labels and a buildable classifier for feature metrics.
    package static func preflight(_ run: RunSpec, data: DataSplits, file: String) throws(SpecError) {
        for (index, metric) in run.report.metrics.enumerated() {
            let path = "report.metrics[\(index)]", test = data.test.count
            func need(_ minimum: Int) throws(SpecError) {
                guard test < minimum else { return }
                throw SpecError(file: file, path: path,
                                expected: "data with at least \(minimum) test example\(minimum == 1 ? "" : "s") for \(JSONWriter.quoted(metric.name))",
                                found: "\(test) test example\(test == 1 ? "" : "s")")
            }
            switch metric {
            case .iwae, .activeUnits, .klPerDimension:
                try need(1)
            case .fid, .kid:
                try need(2)
                try checkClassifier(data, full: EvaluationClassifierCache.fullData(run.data) == run.data, path: path, file: file, metric: metric)
            case .precisionRecall(_, let k):
                try need(k + 1)
                try checkClassifier(data, full: EvaluationClassifierCache.fullData(run.data) == run.data, path: path, file: file, metric: metric)
            case .mig, .betaVAEScore, .factorVAEScore, .sap, .dci:
                break
            }
        }
    }

    /// `full`: whether `data` is the full data set the classifier trains on (no `train_size` or
    /// `test_size`), so that its training split's size can be checked here.
    private static func checkClassifier(_ data: DataSplits, full: Bool, path: String, file: String, metric: MetricSpec) throws(SpecError) {
        guard data.train.labels != nil, data.test.labels != nil, data.exampleShape.count == 3 else {
            throw SpecError(file: file, path: path, expected: "labelled images for \(JSONWriter.quoted(metric.name))",
                            found: "data without labels")
        }
        guard !full || data.train.count >= EvaluationClassifierCache.batch else {
            throw SpecError(file: file, path: path,
                            expected: "at least \(EvaluationClassifierCache.batch) labelled training images for \(JSONWriter.quoted(metric.name)) (the evaluation classifier trains on them)",
                            found: "\(data.train.count) training images")
        }
        do {
            _ = try EvaluationClassifier(inputShape: data.exampleShape, classes: data.classCount, seed: 0, maxBatch: 1)
        } catch {
            throw SpecError(file: file, path: path, expected: "images the evaluation classifier can take for \(JSONWriter.quoted(metric.name))",
                            found: "images of shape \(data.exampleShape): \(error.found)")
        }
    }
}
