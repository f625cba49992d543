import Testing
@testable import NN

/// The metrics' classifiers against scikit-learn 1.9.1 on the same data (numbers printed by
/// tools/disentanglement-golden.py, whose header pins the versions).
@Suite struct DisentanglementGoldenTests {
    /// The script's `data(n)`: exact rationals, two features, three classes with every 7th label moved.
    static func data(_ n: Int) -> (x: [Double], y: [Int]) {
        var x: [Double] = [], y: [Int] = []
        for i in 0..<n {
            let a = Double((i * 7919) % 101) / 101, b = Double((i * 104729 + 13) % 97) / 97
            x += [a, b]
            var label = (a + 0.5 * b > 0.6 ? 1 : 0) + (a > 0.8 ? 1 : 0)
            if i % 7 == 0 { label = (label + 1) % 3 }
            y.append(label)
        }
        return (x, y)
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func linearSVCMatchesSklearn() {
        let x = (0..<300).map { Double($0) / 100 - 0.995 }
        let binary = LinearSVC(feature: x, labels: x.map { $0 > 0 ? 1 : 0 })
        #expect(Self.close([binary.planes[0].w, binary.planes[0].b], [0.8828654112536827, -0.1421471599619427], 1e-8), "\(binary.planes)")
        let (features, labels) = Self.data(90)
        let ovr = LinearSVC(feature: (0..<90).map { features[2 * $0] }, labels: labels)
        #expect(Self.close(ovr.planes.map(\.w), [-0.3067399715844217, -0.04331790457574777, 0.1548656262090625], 1e-8), "\(ovr.planes)")
        #expect(Self.close(ovr.planes.map(\.b), [-0.12407029263411837, -0.1409217143049892, -0.3147629547630474], 1e-8))
    }

    @Test func logisticRegressionMatchesSklearn() {
        let (features, labels) = Self.data(90)
        let model = LogisticRegression(features: features, labels: labels, dimension: 2)
        #expect(Self.close(model.weights, [-2.54683076134153, -0.6816362845512979, -0.02486514929671759,
                                           0.36520286470136026, 2.5716959106382475, 0.3164334198499376], 1e-6), "\(model.weights)")
        #expect(Self.close(model.intercepts, [3.3945063937121605, 2.1628212755746556, 0], 1e-6), "\(model.intercepts)")
    }

    /// On one feature (no ties between features): sklearn's raw scores (its decision function; for
    /// three classes up to a constant per row, so as differences from class 0) and predictions.
    @Test func gradientBoostingMatchesSklearnOnOneFeature() {
        let (features, labels) = Self.data(90)
        let x = (0..<90).map { Float(features[2 * $0]) }
        let model = GradientBoostedTrees(features: x, labels: labels, dimension: 1)
        let raw = model.rawScores(Array(x[0..<3]))
        let sklearn = [0.9636394455431451, 4.486134841684527, -3.4306797614184044, -1.5263900224123113, 0.8148044314505266,
                       -4.001695335638005, -2.9329217777978185, -2.721202593365692, 1.6137616658060405]
        var differences: [Double] = [], expected: [Double] = []
        for i in 0..<3 {
            for t in 1...2 {
                differences.append(raw[3 * i + t] - raw[3 * i])
                expected.append(sklearn[3 * i + t] - sklearn[3 * i])
            }
        }
        #expect(Self.close(differences, expected, 1e-9), "\(differences)")
        #expect(model.predict(x).map(String.init).joined() == Self.predictions)
        let binary = GradientBoostedTrees(features: x, labels: labels.map { $0 > 0 ? 1 : 0 }, dimension: 1)
        #expect(Self.close(binary.rawScores(Array(x[0..<3])), [3.2811738303627336, 2.890368770867406, 4.595604160458035], 1e-9))
    }

    /// On two features: the same training predictions. sklearn visits features in an order drawn
    /// from `random_state`, and equal improvements (a node of two examples splits the same on either
    /// feature) go to the first visited, so its importances move with the seed (0.7782, 0.7767 and
    /// 0.7712 for feature 0 at seeds 0, 1 and 2); ties here go to the lower feature.
    @Test func gradientBoostingMatchesSklearnUpToTies() {
        let (features, labels) = Self.data(90)
        let x = features.map(Float.init)
        let model = GradientBoostedTrees(features: x, labels: labels, dimension: 2)
        #expect(abs(model.featureImportances[0] - 0.7782054110609963) < 0.02, "\(model.featureImportances)")
        #expect(model.predict(x).map(String.init).joined() == Self.predictions)
    }

    /// sklearn's training predictions on `data(90)`, with either one or both features.
    static let predictions = "112010000101212002010221101211012122101201112110100101212012110120101022010021101211112010"
}
