import Testing
@testable import NN

/// The projection discriminator's head (Miyato & Koyama 2018) and the one-hot concatenation,
/// against central differences of L = Σ_i c_i · out_i.
@Suite struct ProjectionHeadTests {
    let features = 5, classes = 3, batch = 4
    let labels: [Int32] = [2, 0, 2, 1]

    func network() -> (Network, ProjectionHead) {
        let head = ProjectionHead(features: features, classes: classes)
        let network = Network(name: "d", layers: [Dense(inputs: 6, outputs: features, activation: .tanh), head], maxBatch: batch)
        network.initialize(rng: RandomStream(seed: 3))
        // Non-zero embedding rows of different sizes, so a wrong row shows.
        let p = network.parameters
        for i in p.indices { p[i] += 0.05 * Float(i % 7) - 0.15 }
        return (network, head)
    }

    @Test func parameterAndInputGradientsMatchFiniteDifferences() throws {
        let (net, head) = network()
        var rng = RandomStream(seed: 4)
        let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * 6)   // (N, 6)
        defer { x.deallocate() }
        for i in x.indices { x[i] = rng.nextNormal() }
        let c: [Float] = [0.7, -1.2, 0.4, 1.5]
        labels.withUnsafeBufferPointer { head.labels = $0.baseAddress! }
        func loss() -> Double {
            let d = net.forward(x.baseAddress!, batch: batch, mode: .training)
            return (0..<batch).reduce(0) { $0 + Double(c[$1] * d[$1]) }
        }
        _ = loss()
        net.zeroGradients()
        var dy = c
        let dx = Array(UnsafeBufferPointer(start: net.backward(&dy, batch: batch, inputGradient: true)!, count: batch * 6))
        let analytic = Array(net.gradients)
        let parameters = GradientCheck.compare(values: net.parameters, analytic: analytic, epsilon: 1e-2, loss: loss)
        #expect(parameters.relativeError < 1e-2, "\(parameters)")
        let inputs = GradientCheck.compare(values: x, analytic: dx, epsilon: 1e-2, loss: loss)
        #expect(inputs.relativeError < 1e-2, "\(inputs)")
        // Only the rows of labels present get embedding gradients; class 1 once, class 2 twice.
        let embedding = features + 1 + 6 * features + features, g = net.gradients
        for k in 0..<classes {
            let row = (0..<features).map { g[embedding + k * features + $0] }
            #expect(row.contains { $0 != 0 }, "class \(k) has no embedding gradient")
        }
    }

    @Test func theProjectionIsTheLinearHeadPlusTheClassEmbedding() {
        let head = ProjectionHead(features: 2, classes: 2)
        let net = Network(name: "d", layers: [head], maxBatch: 2)
        // w = (1, 2), b = 0.5, E = [[10, 0], [0, 10]].
        _ = net.parameters.update(fromContentsOf: [1, 2, 0.5, 10, 0, 0, 10])
        let y: [Int32] = [0, 1]
        y.withUnsafeBufferPointer { head.labels = $0.baseAddress! }
        let d = net.forward([1, 1, 1, -1], batch: 2, mode: .evaluation)
        #expect(d[0] == 1 + 2 + 0.5 + 10 && d[1] == 1 - 2 + 0.5 - 10)
    }

    @Test func concatenationAppendsOneHotVectorsOrMapsAndSplitsTheGradient() {
        let x: [Float] = [1, 2, 3, 4]          // 2 examples of width 2
        let y: [Int32] = [1, 0]
        var out = [Float](repeating: -1, count: 2 * (2 + 2 * 2))
        LabelConcatenation.append(x, width: 2, labels: y, classes: 2, positions: 2, count: 2, into: &out)
        #expect(out == [1, 2, 0, 0, 1, 1, 3, 4, 1, 1, 0, 0])
        var flat = [Float](repeating: -1, count: 2 * 5)
        LabelConcatenation.append(x, width: 2, labels: y, classes: 3, positions: 1, count: 2, into: &flat)
        #expect(flat == [1, 2, 0, 1, 0, 3, 4, 1, 0, 0])
        var dx = [Float](repeating: 0, count: 4)
        LabelConcatenation.inputGradient(out, width: 2, classes: 2, positions: 2, count: 2, into: &dx)
        #expect(dx == x)
    }
}
