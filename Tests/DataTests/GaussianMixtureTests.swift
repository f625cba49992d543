import Data
import Testing

@Suite struct GaussianMixtureTests {
    @Test func modesAreWhereThePapersPutThem() {
        let ring = GaussianMixture.ring
        #expect(ring.modes.count == 8 && ring.sigma == 0.01)
        for m in ring.modes { #expect(abs((m.x * m.x + m.y * m.y).squareRoot() - 1) < 1e-6) }
        #expect(ring.modes[2].x.magnitude < 1e-6 && ring.modes[2].y == 1)
        let grid = GaussianMixture.grid
        #expect(grid.modes.count == 25 && grid.sigma == 0.05)
        #expect(Set(grid.modes.map { $0.x }) == [-4, -2, 0, 2, 4])
        #expect(Set(grid.modes.map { [$0.x, $0.y] }).count == 25)
    }

    @Test(arguments: ["ring", "grid"])
    func samplesClusterAroundTheirModes(kind: String) throws {
        let source: DataSource = kind == "ring" ? .ring(trainSize: 20_000, testSize: 1000, seed: 9)
                                                : .grid(trainSize: 20_000, testSize: 1000, seed: 9)
        let splits = try DataSplits.load(source)
        let mixture = try #require(splits.mixture)
        #expect(splits.train.exampleShape == [2] && splits.train.count == 20_000 && splits.test.count == 1000)
        #expect(splits.classCount == mixture.modes.count)
        let set = try #require(splits.train as? PointDataset)
        let labels = try #require(set.labels)
        let k = mixture.modes.count
        var sum = [SIMD2<Double>](repeating: .zero, count: k), sumSq = sum, n = [Int](repeating: 0, count: k)
        for i in 0..<set.count {
            let c = Int(labels[i])
            let p = SIMD2<Double>(Double(set.points[2 * i]), Double(set.points[2 * i + 1]))
            sum[c] += p; sumSq[c] += p * p; n[c] += 1
        }
        let expectedCount = Double(set.count) / Double(k)
        for c in 0..<k {
            // Component counts: binomial, within 5 standard deviations.
            #expect(abs(Double(n[c]) - expectedCount) < 5 * expectedCount.squareRoot(), "component \(c): \(n[c]) points")
            let mean = sum[c] / Double(n[c])
            let sd = (sumSq[c] / Double(n[c]) - mean * mean).squareRoot()
            let sigma = Double(mixture.sigma)
            let mode = SIMD2<Double>(Double(mixture.modes[c].x), Double(mixture.modes[c].y))
            // Mean within 5 standard errors; sd within 10 %.
            #expect(abs(mean.x - mode.x) < 5 * sigma / Double(n[c]).squareRoot(), "component \(c) mean \(mean)")
            #expect(abs(mean.y - mode.y) < 5 * sigma / Double(n[c]).squareRoot(), "component \(c) mean \(mean)")
            #expect(abs(sd.x / sigma - 1) < 0.1 && abs(sd.y / sigma - 1) < 0.1, "component \(c) sd \(sd), σ \(sigma)")
        }
    }

    @Test func deterministicForASeedAndSplitsDiffer() throws {
        let a = try #require(DataSplits.load(.ring(trainSize: 100, testSize: 100, seed: 1)).train as? PointDataset)
        let b = try #require(DataSplits.load(.ring(trainSize: 100, testSize: 100, seed: 1)).train as? PointDataset)
        let c = try #require(DataSplits.load(.ring(trainSize: 100, testSize: 100, seed: 2)).train as? PointDataset)
        let t = try #require(DataSplits.load(.ring(trainSize: 100, testSize: 100, seed: 1)).test as? PointDataset)
        #expect(a.points == b.points && a.labels == b.labels)
        #expect(a.points != c.points)
        #expect(a.points != t.points)
    }

    @Test func gatherCopiesPoints() {
        let set = PointDataset(points: [0, 1, 2, 3, 4, 5], dimension: 2, labels: nil, mixture: nil)
        var out = [Float](repeating: -1, count: 6)
        let indices = [2, 0, 2]
        indices.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { set.gather(i, into: $0.baseAddress!) } }
        #expect(out == [4, 5, 0, 1, 4, 5])
    }
}
