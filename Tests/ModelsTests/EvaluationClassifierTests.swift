import NN
import Testing
@testable import Models

/// The evaluation classifier learns a separable toy task and gives seed-determined features.
@Suite struct EvaluationClassifierTests {
    /// 16×16 images: class 0 lights the left half, 1 the right half, 2 the top half; plus noise.
    private func batch(_ n: Int, rng: inout RandomStream) -> (x: [Float], y: [Int32]) {
        var x = [Float](repeating: 0, count: n * 256)
        var y = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let label = rng.nextInt(below: 3)
            y[i] = Int32(label)
            for r in 0..<16 {
                for c in 0..<16 {
                    let lit = label == 0 ? c < 8 : label == 1 ? c >= 8 : r < 8
                    x[i * 256 + r * 16 + c] = (lit ? 0.7 : 0.2) + 0.2 * rng.nextUniform()
                }
            }
        }
        return (x, y)
    }

    @Test func learnsASeparableTaskAndItsFeaturesDependOnlyOnTheSeed() throws {
        let classifier = try EvaluationClassifier(inputShape: [1, 16, 16], classes: 3, seed: 7, maxBatch: 32)
        #expect(classifier.featureSize == 128)
        var rng = RandomStream(seed: 1, purpose: "data")
        var first = 0.0, last = 0.0
        for step in 0..<60 {
            let (x, y) = batch(32, rng: &rng)
            let loss = classifier.trainStep(x, labels: y, batch: 32) / 32
            if step == 0 { first = loss }
            last = loss
        }
        #expect(last < first / 4, "loss \(first) → \(last)")
        let (x, y) = batch(32, rng: &rng)
        var predicted = [Int32](repeating: -1, count: 32)
        classifier.predict(x, batch: 32, into: &predicted)
        let correct = zip(predicted, y).filter { $0 == $1 }.count
        #expect(correct >= 30, "\(correct)/32 correct")

        let twin = try EvaluationClassifier(inputShape: [1, 16, 16], classes: 3, seed: 7, maxBatch: 32)
        let other = try EvaluationClassifier(inputShape: [1, 16, 16], classes: 3, seed: 8, maxBatch: 32)
        var a = [Float](repeating: 0, count: 32 * 128), b = a, c = a
        let fresh = try EvaluationClassifier(inputShape: [1, 16, 16], classes: 3, seed: 7, maxBatch: 32)
        fresh.features(x, batch: 32, into: &a)
        twin.features(x, batch: 32, into: &b)
        other.features(x, batch: 32, into: &c)
        #expect(a == b)
        #expect(a != c)
    }
}
