import Testing
@testable import NN

// Dimensions: N batch, I inputs, U units, P pieces, D elements per example.

// MARK: - Maxout

@Test(arguments: [(5, 4, 3), (3, 2, 1), (6, 3, 5)])
func maxoutGradientsMatchFiniteDifferences(inputs: Int, units: Int, pieces: Int) {
    checkNetworkGradients([Maxout(inputs: inputs, units: units, pieces: pieces)], batch: 4, epsilon: 1e-3)
    checkNetworkGradients([Dense(inputs: inputs, outputs: inputs, activation: .tanh), Maxout(inputs: inputs, units: units, pieces: pieces),
                           BatchNorm(shape: [units])], batch: 4, seed: 2, epsilon: 1e-3)
}

@Test func maxoutForwardIsTheMaximumOverEachUnitsPieces() {
    let inputs = 4, units = 3, pieces = 2, batch = 5
    let net = singleLayerNetwork(Maxout(inputs: inputs, units: units, pieces: pieces), batch: batch)
    let w = slot(net, "0.weight"), b = slot(net, "0.bias")
    #expect(w.count == units * pieces * inputs && b.count == units * pieces)
    let x = randomArray(batch * inputs, seed: 12, purpose: "x")
    let y = Array(UnsafeBufferPointer(start: net.forward(x, batch: batch, mode: .training), count: batch * units))
    var expected = [Float]()
    for n in 0..<batch {
        for u in 0..<units {
            var best = -Float.infinity
            for p in 0..<pieces {
                let row = u * pieces + p
                var z = Double(b[row])
                for i in 0..<inputs { z += Double(x[n * inputs + i]) * Double(w[row * inputs + i]) }
                best = max(best, Float(z))
            }
            expected.append(best)
        }
    }
    expectClose(y, expected, "maxout")
}

// MARK: - Dropout

/// Test wrapper: restores the wrapped dropout's stream before every forward pass, so repeated
/// evaluations of a training-mode loss see one fixed mask (finite differences need that).
final class FixedMaskDropout: Layer {
    let dropout: Dropout
    var savedStream: RandomStream?
    init(_ dropout: Dropout) { self.dropout = dropout }
    var inputShape: [Int] { dropout.inputShape }
    var outputShape: [Int] { dropout.outputShape }
    var parameterCount: Int { 0 }
    func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        dropout.bind(parameters: parameters, gradients: gradients, state: state)
    }
    func initialize(rng: inout RandomStream) { dropout.initialize(rng: &rng); savedStream = dropout.randomStream }
    func prepare(maxBatch: Int) { dropout.prepare(maxBatch: maxBatch) }
    var bufferFloats: Int { dropout.bufferFloats }
    func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        dropout.randomStream = savedStream!
        return dropout.forward(x, batch: batch, mode: mode)
    }
    func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        dropout.backward(dy, batch: batch, parameterGradients: parameterGradients, inputGradient: inputGradient)
    }
}

@Test(arguments: [PassMode.training, .trainingFrozen, .evaluation])
func dropoutGradientsMatchFiniteDifferences(mode: PassMode) {
    checkNetworkGradients([Dense(inputs: 5, outputs: 12, activation: .tanh), FixedMaskDropout(Dropout(shape: [12], rate: 0.4)),
                           Dense(inputs: 12, outputs: 3)], batch: 4, mode: mode)
    checkNetworkGradients([Conv2D(inputShape: [1, 6, 6], filters: 2, kernel: 3, stride: 1, padding: 1),
                           FixedMaskDropout(Dropout(shape: [2, 6, 6], rate: 0.5))], batch: 2, mode: mode)
}

@Test func dropoutMasksInTrainingOnlyAndScalesTheKeptElements() {
    let count = 20_000, rate: Float = 0.3
    let dropout = Dropout(shape: [count], rate: rate)
    let net = Network(name: "d", layers: [dropout], maxBatch: 1)
    net.initialize(rng: RandomStream(seed: 13, purpose: "init"))
    let x = randomArray(count, seed: 14, purpose: "x").map { abs($0) + 0.5 }
    let y = Array(UnsafeBufferPointer(start: net.forward(x, batch: 1, mode: .training), count: count))
    var dropped = 0
    for i in 0..<count {
        if y[i] == 0 { dropped += 1 } else {
            #expect(abs(y[i] - x[i] / (1 - rate)) <= 1e-6 * y[i], "kept element \(i): \(y[i]) ≠ \(x[i]) / (1 − \(rate))")
        }
    }
    // Binomial(20 000, 0.3): standard deviation ≈ 65 elements; allow 5 of them.
    #expect(abs(Double(dropped) - Double(rate) * Double(count)) < 5 * 65, "dropped \(dropped) of \(count) at rate \(rate)")
    // Backward routes the gradient through the same mask.
    var dy = [Float](repeating: 1, count: count)
    let dx = dy.withUnsafeMutableBufferPointer { Array(UnsafeBufferPointer(start: net.backward($0.baseAddress!, batch: 1, inputGradient: true)!, count: count)) }
    for i in 0..<count where (dx[i] == 0) != (y[i] == 0) {
        Issue.record("element \(i): output \(y[i]) but input gradient \(dx[i])")
        break
    }

    // Evaluation and frozen passes are the identity and do not advance the stream.
    for mode in [PassMode.evaluation, .trainingFrozen] {
        let before = dropout.randomStream
        let z = Array(UnsafeBufferPointer(start: net.forward(x, batch: 1, mode: mode), count: count))
        #expect(z == x, "\(mode) must be the identity")
        #expect(dropout.randomStream == before, "\(mode) must not draw from the stream")
    }
}

@Test func dropoutMasksAreDeterministicAndResumeFromTheSavedStream() {
    func network(seed: UInt64) -> (Network, Dropout) {
        let dropout = Dropout(shape: [64], rate: 0.5)
        let net = Network(name: "d", layers: [Dense(inputs: 3, outputs: 64), dropout], maxBatch: 2)
        net.initialize(rng: RandomStream(seed: seed, purpose: "init"))
        return (net, dropout)
    }
    let x = randomArray(6, seed: 15, purpose: "x")
    func run(_ net: Network) -> [Float] { Array(UnsafeBufferPointer(start: net.forward(x, batch: 2, mode: .training), count: 128)) }
    let (a, dropoutA) = network(seed: 1), (b, dropoutB) = network(seed: 1), (c, _) = network(seed: 2)
    let first = run(a)
    #expect(first == run(b), "same seed, same masks")
    #expect(first != run(c), "another seed, other masks")
    // A checkpoint saves the stream; restoring it replays the next mask exactly.
    let saved = dropoutA.randomStream
    let second = run(a)
    #expect(second != first, "consecutive passes draw fresh masks")
    dropoutB.randomStream = saved
    #expect(run(b) == second)
}
