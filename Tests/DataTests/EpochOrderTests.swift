import Data
import NN
import Testing

@Suite struct EpochOrderTests {
    @Test func eachEpochIsAPermutationAndEpochsDiffer() {
        let order = EpochOrder(count: 103, batch: 10)
        #expect(order.batchesPerEpoch == 10)
        var stream = RandomStream(seed: 4, purpose: "data")
        var previous: [Int] = []
        for epoch in 0..<5 {
            order.startEpoch(using: &stream)
            let permutation = Array(order.indices)
            #expect(permutation.sorted() == Array(0..<103), "epoch \(epoch)")
            #expect(permutation != Array(0..<103))
            #expect(permutation != previous, "epoch \(epoch) repeats the previous order")
            // The batches are consecutive slices of the permutation; the 3 left over are dropped.
            let batches = (0..<order.batchesPerEpoch).flatMap { Array(order.batch($0)) }
            #expect(batches == Array(permutation.prefix(100)))
            #expect((0..<order.batchesPerEpoch).allSatisfy { order.batch($0).count == 10 })
            previous = permutation
        }
        #expect(order.epochsStarted == 5)
    }

    @Test func sameSeedSameOrderAndStreamAdvances() {
        func orders(seed: UInt64) -> ([[Int]], RandomStream) {
            let order = EpochOrder(count: 50, batch: 8)
            var stream = RandomStream(seed: seed, purpose: "data")
            let epochs: [[Int]] = (0..<3).map { _ in order.startEpoch(using: &stream); return Array(order.indices) }
            return (epochs, stream)
        }
        let (a, streamA) = orders(seed: 7), (b, streamB) = orders(seed: 7), (c, _) = orders(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(streamA == streamB && streamA != RandomStream(seed: 7, purpose: "data"))
    }

    @Test func resumingFromASavedStreamReproducesTheEpoch() {
        let order = EpochOrder(count: 40, batch: 4)
        var stream = RandomStream(seed: 3, purpose: "data")
        order.startEpoch(using: &stream)
        let saved = stream.state
        order.startEpoch(using: &stream)
        let second = Array(order.indices)

        let resumed = EpochOrder(count: 40, batch: 4)
        var restored = RandomStream(state: saved)
        resumed.startEpoch(using: &restored)
        #expect(Array(resumed.indices) == second)
    }

    @Test func sequentialBatchesCoverEverythingOnceWithAPartialLast() {
        let batches = SequentialBatches(count: 23, batch: 5)
        #expect(batches.batchCount == 5)
        #expect((0..<5).map { batches.batch($0).count } == [5, 5, 5, 5, 3])
        #expect((0..<5).flatMap { Array(batches.batch($0)) } == Array(0..<23))
        #expect(SequentialBatches(count: 20, batch: 5).batchCount == 4)
        #expect(SequentialBatches(count: 0, batch: 5).batchCount == 0)
    }
}
