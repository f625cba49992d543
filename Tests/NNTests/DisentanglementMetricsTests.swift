import Testing
@testable import NN

/// β-VAE, FactorVAE, SAP and DCI scores on synthetic ground truths with known answers (as
/// disentanglement_lib tests its metrics): codes that copy the factors score high, codes that mix
/// them by a rotation lower, pure noise near chance or 0; and exact small cases.
@Suite struct DisentanglementMetricsTests {
    /// Three factors of 4, 5 and 6 levels; codes built by `code` from the levels scaled to [0, 1]
    /// (each ground truth with its own noise stream).
    static func truth(code: @escaping (_ scaled: [Double], _ rng: inout RandomStream) -> [Double]) -> GroundTruth {
        let levels = [4, 5, 6]
        final class Noise { var rng = RandomStream(seed: 11, purpose: "noise") }
        let noise = Noise()
        return GroundTruth(levelCounts: levels, dimension: 3) { factors, count in
            var codes: [Float] = []
            for i in 0..<count {
                let scaled = (0..<3).map { Double(factors[i * 3 + $0]) / Double(levels[$0] - 1) }
                codes += code(scaled, &noise.rng).map(Float.init)
            }
            return codes
        }
    }

    static var identity: GroundTruth { truth { f, rng in f.map { $0 + 0.01 * rng.nextNormalDouble() } } }
    /// Factors 0 and 1 mixed by a 45° rotation, factor 2 copied.
    static var rotated: GroundTruth {
        truth { f, rng in
            let s = 0.5.squareRoot()
            return [s * (f[0] + f[1]), s * (f[0] - f[1]), f[2]].map { $0 + 0.01 * rng.nextNormalDouble() }
        }
    }
    static var noise: GroundTruth { truth { _, rng in (0..<3).map { _ in rng.nextNormalDouble() } } }

    @Test func groundTruthDrawsUniformCombinationsInMixedRadix() {
        var rng = RandomStream(seed: 1, purpose: "t"), copy = rng
        let factors = Self.identity.sampleFactors(50, rng: &rng)
        for i in 0..<50 {
            #expect(GroundTruth.combinationIndex(factors, row: i, levelCounts: [4, 5, 6]) == copy.nextInt(below: 120))
        }
    }

    @Test func betaVAEScore() {
        func score(_ truth: GroundTruth) -> BetaVAEScore.Result {
            var rng = RandomStream(seed: 2, purpose: "beta")
            return BetaVAEScore.compute(truth, batch: 16, trainPoints: 150, evalPoints: 100, rng: &rng)
        }
        let identity = score(Self.identity), noise = score(Self.noise)
        #expect(identity.evalAccuracy > 0.97 && identity.trainAccuracy > 0.97, "\(identity)")
        #expect(noise.evalAccuracy < 0.6, "\(noise)")
    }

    @Test func factorVAEScore() {
        func score(_ truth: GroundTruth) -> FactorVAEScore.Result {
            var rng = RandomStream(seed: 2, purpose: "factor")
            return FactorVAEScore.compute(truth, batch: 16, trainPoints: 150, evalPoints: 100, variancePoints: 400, rng: &rng)
        }
        let identity = score(Self.identity), noise = score(Self.noise)
        #expect(identity.evalAccuracy > 0.97 && identity.activeDimensions == 3 && identity.classifier == [0, 1, 2], "\(identity)")
        #expect(noise.evalAccuracy < 0.6, "\(noise)")
        // Collapsed codes: no active dimension, all zeros (as dlib).
        var rng = RandomStream(seed: 2, purpose: "factor")
        let constant = GroundTruth(levelCounts: [2, 3], dimension: 2) { _, count in [Float](repeating: 0.5, count: count * 2) }
        let collapsed = FactorVAEScore.compute(constant, batch: 4, trainPoints: 10, evalPoints: 10, variancePoints: 20, rng: &rng)
        #expect(collapsed == FactorVAEScore.Result(trainAccuracy: 0, evalAccuracy: 0, activeDimensions: 0, classifier: [nil, nil]))
    }

    /// Votes (K = 3, Z = 4): dimension 2 ties three ways (first factor) and dimension 3 has none.
    @Test func majorityVoteOnAGivenTable() {
        let votes = [5, 0, 1, 0,
                     2, 7, 1, 0,
                     0, 1, 1, 0]
        let classifier = FactorVAEScore.majorityVote(votes, factors: 3, dimension: 4)
        #expect(classifier == [0, 1, 0, 0])
        #expect(FactorVAEScore.accuracy(votes, classifier: classifier, factors: 3, dimension: 4) == 13.0 / 18)
    }

    @Test func sapScore() {
        func score(_ truth: GroundTruth) -> SAPScore.Result {
            var rng = RandomStream(seed: 2, purpose: "sap")
            return SAPScore.compute(truth, trainPoints: 300, testPoints: 200, rng: &rng)
        }
        let identity = score(Self.identity), rotated = score(Self.rotated), noise = score(Self.noise)
        #expect(identity.value > 0.15 && rotated.value < identity.value - 0.05, "identity \(identity.value), rotated \(rotated.value)")
        #expect(noise.value < 0.1, "\(noise)")
        #expect(SAPScore.gaps([0.9, 0.2, 0.5, 0.3, 0.1, 0.25], dimension: 3, factors: 2) == [0.9 - 0.5, 0.3 - 0.25])
    }

    @Test func dciScore() {
        func score(_ truth: GroundTruth) -> DCIScore.Result {
            var rng = RandomStream(seed: 2, purpose: "dci")
            return DCIScore.compute(truth, trainPoints: 200, testPoints: 100, configuration: .init(stages: 30), rng: &rng)
        }
        let identity = score(Self.identity), rotated = score(Self.rotated), noise = score(Self.noise)
        #expect(identity.disentanglement > 0.9 && identity.completeness > 0.9 && identity.informativenessTest > 0.9, "\(identity)")
        #expect(rotated.disentanglement < identity.disentanglement - 0.1 && rotated.completeness < identity.completeness - 0.1,
                "\(rotated)")
        #expect(noise.disentanglement < 0.3 && noise.completeness < 0.3 && noise.informativenessTest < 0.45, "\(noise)")
    }

    /// R = [[1, 0], [½, ½]]: code 0 is disentangled (1), code 1 not (0), each with half the
    /// importance, so D = ½; C = ¾(1 − H₂(⅔, ⅓)) + ¼ · 1.
    @Test func dciFromAGivenImportanceMatrix() {
        let r = [1, 0, 0.5, 0.5]
        #expect(abs(DCIScore.disentanglement(r, dimension: 2, factors: 2) - 0.5) < 1e-8)
        let h = -(2.0 / 3 * Foundation_log(2.0 / 3) + 1.0 / 3 * Foundation_log(1.0 / 3)) / Foundation_log(2)
        #expect(abs(DCIScore.completeness(r, dimension: 2, factors: 2) - (0.75 * (1 - h) + 0.25)) < 1e-8)
        #expect(abs(DCIScore.disentanglement([1, 0, 0, 1], dimension: 2, factors: 2) - 1) < 1e-8)
        #expect(abs(DCIScore.completeness([0.5, 0.5, 0.5, 0.5], dimension: 2, factors: 2)) < 1e-12)
        // All zero: uniform weights, every entropy 1.
        #expect(abs(DCIScore.disentanglement([0, 0, 0, 0], dimension: 2, factors: 2)) < 1e-12)
    }
}
