import Testing
@testable import NN

/// Runs `x` (batch rows) through `net` in training mode and returns nothing: only the running
/// statistics matter here.
private func train(_ net: Network, _ x: [Float], batch: Int) {
    x.withUnsafeBufferPointer { _ = net.forward($0.baseAddress!, batch: batch, mode: .training) }
}

@Test func averagingStatisticsGivesTheEqualWeightMeanOfTheBatchStatistics() {
    let bn = BatchNorm(shape: [2], momentum: 0.1)
    let net = Network(name: "bn", layers: [bn], maxBatch: 4)
    net.initialize(rng: RandomStream(seed: 0))
    // Three batches of 4 rows (feature 0, feature 1). Batch means (4, 25), (0, −1), (10, 2);
    // unbiased variances (20/3, 500/3), (2/3, 0), (0, 16/3).
    let batches: [[Float]] = [[1, 10, 3, 20, 5, 30, 7, 40],
                              [-1, -1, 0, -1, 1, -1, 0, -1],
                              [10, 0, 10, 4, 10, 0, 10, 4]]
    bn.beginAveragingStatistics()
    for x in batches { train(net, x, batch: 4) }
    bn.endAveragingStatistics()
    let expectedMean: [Float] = [(4 + 0 + 10) / 3, (25 - 1 + 2) / 3]
    let expectedVariance: [Float] = [(20.0 / 3 + 2.0 / 3 + 0) / 3, (500.0 / 3 + 0 + 16.0 / 3) / 3]
    for c in 0..<2 {
        #expect(abs(net.state[c] - expectedMean[c]) < 1e-5, "running mean \(c): \(net.state[c])")
        #expect(abs(net.state[2 + c] - expectedVariance[c]) < 1e-4, "running variance \(c): \(net.state[2 + c])")
    }
    // After the end, training passes use the momentum update again: r ← 0.9·r + 0.1·batch mean.
    train(net, batches[0], batch: 4)
    #expect(abs(net.state[0] - (0.9 * expectedMean[0] + 0.1 * 4)) < 1e-5)
    #expect(abs(net.state[1] - (0.9 * expectedMean[1] + 0.1 * 25)) < 1e-4)
}

@Test func averagingStatisticsOfImagesPoolsPositionsAndForgetsEarlierRunningValues() {
    let bn = BatchNorm(shape: [1, 2, 1], momentum: 0.5)
    let net = Network(name: "bn", layers: [bn], maxBatch: 2)
    net.initialize(rng: RandomStream(seed: 0))
    train(net, [100, 200, 300, 400], batch: 2)        // momentum update: running values far away
    bn.beginAveragingStatistics()
    train(net, [1, 3, 5, 7], batch: 2)                // mean 4, unbiased variance 20/3
    train(net, [2, 2, 2, 2], batch: 2)                // mean 2, variance 0
    bn.endAveragingStatistics()
    #expect(abs(net.state[0] - 3) < 1e-5)
    #expect(abs(net.state[1] - 10.0 / 3) < 1e-4)
}

@Test func averagingIgnoresEvaluationAndFrozenPasses() {
    let bn = BatchNorm(shape: [1])
    let net = Network(name: "bn", layers: [bn], maxBatch: 2)
    net.initialize(rng: RandomStream(seed: 0))
    bn.beginAveragingStatistics()
    [Float(50), 70].withUnsafeBufferPointer {
        _ = net.forward($0.baseAddress!, batch: 2, mode: .evaluation)
        _ = net.forward($0.baseAddress!, batch: 2, mode: .trainingFrozen)
    }
    #expect(Array(net.state) == [0, 1], "passes that do not train moved the statistics")
    train(net, [1, 3], batch: 2)                      // the first averaged batch replaces them
    bn.endAveragingStatistics()
    #expect(net.state[0] == 2)
    #expect(net.state[1] == 2)
}
