import Data
import NN
import Spec

// Dimension letters: N points, K = 5 factors, Z latent.

/// The disentanglement metrics on `sprites` (docs/metrics.md), each as disentanglement_lib computes
/// it, on factor vectors drawn uniformly from all 737,280 combinations (not only the test split) by
/// the metric's stream and encoded by `spriteGroundTruth`.
extension MetricContext {
    /// `mig`: `points` vectors, codes discretised into `bins` bins per dimension.
    func mutualInformationGap(points: Int, bins: Int, rng: inout RandomStream) -> JSONObject {
        let truth = spriteGroundTruth()
        let (factors, codes) = truth.sample(points, rng: &rng)
        let result = MutualInformationGap.estimate(codes: codes, count: points, dimension: truth.dimension, factors: factors,
                                                   factorCount: truth.factorCount, bins: bins)
        return ["value": JSONValue.finite(result.mig), "per_factor": Self.perFactor(result.perFactor), "points": .int(Int64(points))]
    }

    /// `beta_vae_score`: the evaluation accuracy of the logistic regression.
    func betaVAEScore(batch: Int, trainPoints: Int, evalPoints: Int, rng: inout RandomStream) -> JSONObject {
        let result = BetaVAEScore.compute(spriteGroundTruth(), batch: batch, trainPoints: trainPoints, evalPoints: evalPoints, rng: &rng)
        return ["value": .finite(result.evalAccuracy), "train_accuracy": .finite(result.trainAccuracy),
                "eval_accuracy": .finite(result.evalAccuracy),
                "estimator": .string("logistic_regression(multinomial, L2, C 1, intercept)")]
    }

    /// `factor_vae_score`: the evaluation accuracy of the majority vote; `dimension_factors` names
    /// the factor each dimension votes for (null when inactive).
    func factorVAEScore(batch: Int, trainPoints: Int, evalPoints: Int, variancePoints: Int, rng: inout RandomStream) -> JSONObject {
        let result = FactorVAEScore.compute(spriteGroundTruth(), batch: batch, trainPoints: trainPoints, evalPoints: evalPoints,
                                            variancePoints: variancePoints, rng: &rng)
        let factors = result.classifier.map { $0.map { JSONValue.string(SpriteFactors.names[$0]) } ?? .null }
        return ["value": .finite(result.evalAccuracy), "train_accuracy": .finite(result.trainAccuracy),
                "eval_accuracy": .finite(result.evalAccuracy), "active_dims": .int(Int64(result.activeDimensions)),
                "dimension_factors": .array(factors), "estimator": .string("majority_vote")]
    }

    /// `sap`: the mean gap; `per_factor` each factor's, `scores` the matrix (latent rows).
    func separatedAttributePredictability(trainPoints: Int, testPoints: Int, rng: inout RandomStream) -> JSONObject {
        let truth = spriteGroundTruth()
        let result = SAPScore.compute(truth, trainPoints: trainPoints, testPoints: testPoints, rng: &rng)
        return ["value": .finite(result.value), "per_factor": Self.perFactor(result.perFactor),
                "scores": Self.matrix(result.scores, rows: truth.dimension, columns: truth.factorCount),
                "estimator": .string("linear_svc(C 0.01, balanced, squared hinge, one-vs-rest)")]
    }

    /// `dci`: `value` is the disentanglement; `importance` the matrix (latent rows).
    func disentanglementCompletenessInformativeness(trainPoints: Int, testPoints: Int, rng: inout RandomStream) -> JSONObject {
        let truth = spriteGroundTruth(), configuration = GradientBoostedTrees.Configuration()
        let result = DCIScore.compute(truth, trainPoints: trainPoints, testPoints: testPoints, configuration: configuration, rng: &rng)
        return ["value": .finite(result.disentanglement), "disentanglement": .finite(result.disentanglement),
                "completeness": .finite(result.completeness), "informativeness_train": .finite(result.informativenessTrain),
                "informativeness_test": .finite(result.informativenessTest),
                "importance": Self.matrix(result.importance, rows: truth.dimension, columns: truth.factorCount),
                "estimator": .string(configuration.description)]
    }

    /// `{"shape": …, "scale": …, …}`.
    static func perFactor(_ values: [Double]) -> JSONValue {
        .object(JSONObject(pairs: zip(SpriteFactors.names, values).map { ($0, JSONValue.finite($1)) }))
    }

    /// Rows of `columns` numbers each.
    static func matrix(_ values: [Double], rows: Int, columns: Int) -> JSONValue {
        .array((0..<rows).map { i in .array((0..<columns).map { .finite(values[i * columns + $0]) }) })
    }
}
