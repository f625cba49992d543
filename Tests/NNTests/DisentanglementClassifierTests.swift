import Testing
@testable import NN

/// The classifiers behind the disentanglement metrics on small cases with known answers:
/// logistic regression and the squared-hinge SVM at their optimality conditions, gradient boosting
/// on a hand-worked stage.
@Suite struct DisentanglementClassifierTests {
    /// Two points x = ∓1 of classes 0 and 1: by symmetry b = 0 and w minimises
    /// 2 log(1 + e^(−w)) + w²/2, so w = 2σ(−w) (≈ 0.6748).
    @Test func binaryLogisticRegressionMeetsItsOptimalityCondition() {
        let model = LogisticRegression(features: [-1, 1], labels: [0, 1], dimension: 1)
        let w = model.weights[1], b = model.intercepts[1]
        #expect(abs(w - 2 / (1 + Foundation_exp(w))) < 1e-9, "w \(w)")
        #expect(abs(w - 0.6748) < 1e-3 && abs(b) < 1e-9 && model.weights[0] == 0)
        #expect(model.predict([-0.5, 0.5, 3]) == [0, 1, 1])
        // Tie (score 0): class 0, as sklearn's `decision > 0`.
        #expect(model.predict([0]) == [0])
    }

    @Test func multinomialLogisticRegressionSeparatesSeparableClasses() {
        var x: [Double] = [], y: [Int] = []
        for i in 0..<60 { x.append(Double(i % 3) * 4 + Double(i % 5) * 0.1); y.append([7, 2, 9][i % 3]) }
        let model = LogisticRegression(features: x, labels: y, dimension: 1)
        #expect(model.classes == [2, 7, 9])
        #expect(model.accuracy(x, labels: y) == 1)
        #expect(model.accuracy([0, 4, 8.2], labels: [7, 2, 9]) == 1)
        // One class: always predicted.
        #expect(LogisticRegression(features: [1, 2], labels: [4, 4], dimension: 1).predict([0, 9]) == [4, 4])
    }

    /// x = ∓1, classes 0 and 1 (balanced weights 1): b = 0 and w minimises ½w² + 2C(1 − w)², so
    /// w = 4C / (1 + 4C) = 0.04 / 1.04 at C = 0.01.
    @Test func linearSVCMatchesTheClosedForm() {
        let svc = LinearSVC(feature: [-1, 1], labels: [0, 1])
        #expect(abs(svc.planes[0].w - 0.04 / 1.04) < 1e-12 && abs(svc.planes[0].b) < 1e-12, "\(svc.planes)")
        #expect(svc.predict([-0.1, 0.1]) == [0, 1])
        // Separable balanced 1-D data split at 0: every point right.
        let x = (0..<200).map { Double($0) / 100 - 0.995 }
        #expect(LinearSVC(feature: x, labels: x.map { $0 > 0 ? 1 : 0 }).accuracy(x, labels: x.map { $0 > 0 ? 1 : 0 }) == 1)
        // One-vs-rest: the outer classes of three are found.
        let three = LinearSVC(feature: [-3, -2.9, 0, 0.1, 3, 3.1], labels: [0, 0, 1, 1, 2, 2])
        #expect(three.planes.count == 3 && three.predict([-3, 3]) == [0, 2])
    }

    /// One stage of depth 1 on x = 0, 1, 2, 3 with labels 0, 0, 1, 1: F₀ = log(2/2) = 0, p = ½,
    /// r = ∓½; the split is at 1.5 and each leaf's Newton step is (∓1) / (2 · ¼) = ∓2.
    @Test func gradientBoostingFirstStageByHand() {
        let config = GradientBoostedTrees.Configuration(stages: 1, maxDepth: 1, learningRate: 0.1)
        let model = GradientBoostedTrees(features: [0, 5, 1, 5, 2, 5, 3, 5], labels: [0, 0, 1, 1], dimension: 2, configuration: config)
        #expect(model.trees.count == 1 && model.trees[0].nodes[0].threshold == 1.5 && model.trees[0].nodes[0].feature == 0)
        let leaves = model.trees[0].nodes.filter { $0.feature < 0 }.map(\.value)
        #expect(leaves == [-2, 2])
        #expect(model.featureImportances == [1, 0])
        #expect(model.predict([1.4, 0, 1.6, 0]) == [0, 1])
    }

    @Test func gradientBoostingLearnsAThresholdAndRanksFeatures() {
        var rng = RandomStream(seed: 3, purpose: "test")
        var x: [Float] = [], y: [Int] = []
        for _ in 0..<200 {
            let informative = rng.nextUniform(), noise = rng.nextUniform()
            x += [noise, informative]
            y.append(informative < 0.3 ? 0 : informative < 0.7 ? 1 : 2)
        }
        let model = GradientBoostedTrees(features: x, labels: y, dimension: 2, configuration: .init(stages: 20))
        #expect(model.accuracy(x, labels: y) == 1)
        #expect(model.featureImportances[1] > 0.9, "\(model.featureImportances)")
        #expect(abs(model.featureImportances[0] + model.featureImportances[1] - 1) < 1e-12)
        #expect(GradientBoostedTrees.Configuration().description == "gradient_boosting(100 stages, depth 3, lr 0.1)")
    }
}
