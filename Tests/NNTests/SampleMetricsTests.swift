import Testing
@testable import NN

/// FID, KID, precision/recall and MIG against cases with known answers.
@Suite struct SampleMetricsTests {
    @Test func symmetricEigenOfAKnownMatrix() {
        let eigen = SymmetricEigen([2, 1, 1, 2], n: 2)
        #expect(abs(eigen.values[0] - 1) < 1e-12 && abs(eigen.values[1] - 3) < 1e-12)
        let root = eigen.map { $0.squareRoot() }
        // root · root = the matrix.
        let square = [root[0] * root[0] + root[1] * root[2], root[0] * root[1] + root[1] * root[3],
                      root[2] * root[0] + root[3] * root[2], root[2] * root[1] + root[3] * root[3]]
        for (a, b) in zip(square, [2.0, 1, 1, 2]) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func frechetDistanceClosedForms() {
        // Σ₁ = I, Σ₂ = [[2, 1], [1, 2]] (eigenvalues 1 and 3): ‖Δμ‖² + 2 + 4 − 2(1 + √3).
        let a = FeatureStatistics(mean: [0, 0], covariance: [1, 0, 0, 1], count: 100)
        let b = FeatureStatistics(mean: [1, 2], covariance: [2, 1, 1, 2], count: 100)
        #expect(abs(FrechetDistance.distance(a, b) - (5 + 6 - 2 * (1 + 3.0.squareRoot()))) < 1e-10)
        #expect(abs(FrechetDistance.distance(b, a) - FrechetDistance.distance(a, b)) < 1e-10)
        // Commuting diagonal covariances: Σ (σ₁ − σ₂)² per axis.
        let c = FeatureStatistics(mean: [0, 0], covariance: [1, 0, 0, 4], count: 100)
        let d = FeatureStatistics(mean: [0, 3], covariance: [4, 0, 0, 9], count: 100)
        #expect(abs(FrechetDistance.distance(c, d) - (9 + 1 + 1)) < 1e-10)
        #expect(FrechetDistance.distance(b, b) < 1e-10)
    }

    @Test func identicalSamplesGiveZeroAndSampleStatisticsMatchTheGaussian() {
        var rng = RandomStream(seed: 1, purpose: "test")
        let n = 20_000
        var features = [Float](repeating: 0, count: n * 2)
        for i in 0..<n {   // x = 1 + z₁, y = −2 + 0.5 z₁ + z₂: Σ = [[1, 0.5], [0.5, 1.25]].
            let z1 = rng.nextNormal(), z2 = rng.nextNormal()
            features[2 * i] = 1 + z1
            features[2 * i + 1] = -2 + 0.5 * z1 + z2
        }
        let stats = FeatureStatistics(features: features, count: n, dimension: 2)
        #expect(abs(stats.mean[0] - 1) < 0.03 && abs(stats.mean[1] + 2) < 0.03)
        for (value, expected) in zip(stats.covariance, [1.0, 0.5, 0.5, 1.25]) { #expect(abs(value - expected) < 0.05) }
        #expect(FrechetDistance.distance(stats, stats) < 1e-9)
        let truth = FeatureStatistics(mean: [1, -2], covariance: [1, 0.5, 0.5, 1.25], count: n)
        #expect(FrechetDistance.distance(stats, truth) < 0.01)
    }

    @Test func kernelDistanceByHandAndOnSamples() {
        // d = 1, x = {0, 1}, y = {1, 2}, k(a, b) = (ab + 1)³: 2/2 + 54/2 − 2·37/4 = 9.5.
        #expect(KernelDistance.unbiasedMMD([0, 1], [1, 2], m: 2, dimension: 1) == 9.5)
        var rng = RandomStream(seed: 2, purpose: "test")
        func sample(_ n: Int, shift: Float) -> [Float] { (0..<(n * 4)).map { _ in rng.nextNormal() + shift } }
        let p = sample(600, shift: 0), q = sample(600, shift: 0), r = sample(600, shift: 1)
        var subsets = RandomStream(seed: 3, purpose: "kid")
        let same = KernelDistance.estimate(p, countA: 600, q, countB: 600, dimension: 4, subsets: 10, subsetSize: 200, rng: &subsets)
        let shifted = KernelDistance.estimate(p, countA: 600, r, countB: 600, dimension: 4, subsets: 10, subsetSize: 200, rng: &subsets)
        #expect(abs(same.mean) < 0.05, "same distribution: \(same)")
        #expect(shifted.mean > 1, "shifted by 1 in 4 dimensions: \(shifted)")
        #expect(same.subsetSize == 200 && same.subsets == 10)
    }

    @Test func precisionAndRecallOfOverlappingAndDisjointSets() {
        var rng = RandomStream(seed: 4, purpose: "test")
        let real = (0..<(300 * 2)).map { _ in rng.nextNormal() }
        let same = PrecisionRecall.estimate(real: real, realCount: 300, generated: real, generatedCount: 300, dimension: 2)
        #expect(same.precision == 1 && same.recall == 1)
        let far = real.map { $0 + 100 }
        let disjoint = PrecisionRecall.estimate(real: real, realCount: 300, generated: far, generatedCount: 300, dimension: 2)
        #expect(disjoint.precision == 0 && disjoint.recall == 0)
        // Generated points all at one real point: every one inside the real manifold (precision 1),
        // but they cover almost none of it (recall = share of real points at distance 0 from it).
        let collapsed = (0..<300).flatMap { _ in [real[0], real[1]] }
        let mode = PrecisionRecall.estimate(real: real, realCount: 300, generated: collapsed, generatedCount: 300, dimension: 2)
        #expect(mode.precision == 1 && mode.recall < 0.01)
    }

    @Test func migIsNearOneForCopiedFactorsAndNearZeroForShuffledOnes() {
        var rng = RandomStream(seed: 5, purpose: "test")
        let n = 5_000
        var factors = [Int](repeating: 0, count: n * 2)
        var codes = [Float](repeating: 0, count: n * 3)
        for i in 0..<n {
            factors[2 * i] = rng.nextInt(below: 5)
            factors[2 * i + 1] = rng.nextInt(below: 8)
            codes[3 * i] = Float(factors[2 * i]) + 0.01 * rng.nextNormal()
            codes[3 * i + 1] = rng.nextNormal()
            codes[3 * i + 2] = Float(factors[2 * i + 1]) * 0.3 + 0.01 * rng.nextNormal()
        }
        let copied = MutualInformationGap.estimate(codes: codes, count: n, dimension: 3, factors: factors, factorCount: 2)
        #expect(copied.mig > 0.9, "\(copied)")
        var shuffled = codes
        for i in stride(from: n - 1, to: 0, by: -1) {   // shuffle the code rows against the factors
            let j = rng.nextInt(below: i + 1)
            for c in 0..<3 { shuffled.swapAt(3 * i + c, 3 * j + c) }
        }
        let independent = MutualInformationGap.estimate(codes: shuffled, count: n, dimension: 3, factors: factors, factorCount: 2)
        #expect(independent.mig < 0.05, "\(independent)")
        // Entropy of a factor with 5 equally likely values is about log 5.
        let entropy = MutualInformationGap.mutualInformation(Array(stride(from: 0, to: 2 * n, by: 2).map { factors[$0] }),
                                                             Array(stride(from: 0, to: 2 * n, by: 2).map { factors[$0] }))
        #expect(abs(entropy - _log(5)) < 0.01)
    }

    @Test func discretisationMatchesNumpysHistogramEdges() {
        // np.digitize(x, np.histogram(x, 4)[1][:-1]) - 1 for x = [0, 1, 2, 3, 4, 2.5] → [0, 1, 2, 3, 3, 2] (numpy 1.26).
        #expect(MutualInformationGap.discretise([0, 1, 2, 3, 4, 2.5], bins: 4) == [0, 1, 2, 3, 3, 2])
    }
}
