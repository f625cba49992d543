import Testing
@testable import NN

/// Checks a network's parameter and input gradients against central differences of the scalar
/// L = Σ r·y with a fixed random r. `warmUp` runs on the initialised network before the check
/// (spectral normalisation's power iteration, say).
func checkNetworkGradients(_ layers: [Layer], batch: Int, mode: PassMode = .training, seed: UInt64 = 1,
                           inputScale: Float = 1, tolerance: Double = 2e-2, epsilon: Float = 1e-2, team: ThreadTeam = .serial,
                           warmUp: (Network, UnsafePointer<Float>) -> Void = { _, _ in }) {
    let network = Network(name: "check", layers: layers, maxBatch: batch, team: team)
    network.initialize(rng: RandomStream(seed: seed, purpose: "init"))
    var rng = RandomStream(seed: seed, purpose: "data")
    // Perturb batch-norm affine parameters away from (1, 0) so their gradients are exercised.
    for i in network.parameters.indices { network.parameters[i] += 0.1 * rng.nextNormal() }
    let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * network.inputSize)
    defer { x.deallocate() }
    for i in x.indices { x[i] = inputScale * rng.nextNormal() }
    let r = (0..<(batch * network.outputSize)).map { _ in rng.nextNormal() }
    warmUp(network, x.baseAddress!)

    func loss() -> Double {
        let y = network.forward(x.baseAddress!, batch: batch, mode: mode)
        var s = 0.0
        for i in 0..<r.count { s += Double(r[i]) * Double(y[i]) }
        return s
    }

    network.zeroGradients()
    var dy = r
    var dx = [Float]()
    network.forward(x.baseAddress!, batch: batch, mode: mode)
    dy.withUnsafeMutableBufferPointer { dp in
        let g = network.backward(dp.baseAddress!, batch: batch, inputGradient: true)!
        dx = Array(UnsafeBufferPointer(start: g, count: x.count))
    }
    let parameterGradients = Array(network.gradients)

    if network.parameterCount > 0 {
        let report = GradientCheck.compare(values: network.parameters, analytic: parameterGradients, epsilon: epsilon, loss: loss)
        #expect(report.relativeError < tolerance, "parameters: \(report), tolerance \(tolerance)")
    }
    let inputReport = GradientCheck.compare(values: x, analytic: dx, epsilon: epsilon, loss: loss)
    #expect(inputReport.relativeError < tolerance, "inputs: \(inputReport), tolerance \(tolerance)")
}

let allActivations: [ActivationFunction] = [.linear, .relu, .leakyReLU(slope: 0.2), .sigmoid, .tanh, .softplus]

@Test(arguments: allActivations)
func denseGradientsMatchFiniteDifferences(activation: ActivationFunction) {
    checkNetworkGradients([Dense(inputs: 6, outputs: 5, activation: activation)], batch: 4)
}

@Test(arguments: allActivations)
func activationLayerGradientsMatchFiniteDifferences(activation: ActivationFunction) {
    checkNetworkGradients([Dense(inputs: 5, outputs: 7), ActivationLayer(activation, shape: [7])], batch: 3)
}

@Test func batchNormVectorGradientsMatchFiniteDifferences() {
    checkNetworkGradients([Dense(inputs: 4, outputs: 6), BatchNorm(shape: [6])], batch: 8)
}

@Test func batchNormChannelGradientsMatchFiniteDifferences() {
    checkNetworkGradients([Reshape(from: [12], to: [3, 2, 2]), BatchNorm(shape: [3, 2, 2]), Reshape(flattening: [3, 2, 2])],
                          batch: 5)
}

@Test func batchNormEvaluationGradientsMatchFiniteDifferences() {
    checkNetworkGradients([Dense(inputs: 4, outputs: 6), BatchNorm(shape: [6])], batch: 8, mode: .evaluation)
}

@Test func reshapeAndStackedDenseGradientsMatchFiniteDifferences() {
    checkNetworkGradients([Reshape(from: [2, 3], to: [6]), Dense(inputs: 6, outputs: 4, activation: .tanh),
                           Dense(inputs: 4, outputs: 3, activation: .softplus)], batch: 3)
}

@Test func batchNormNormalisesInTrainingAndUpdatesRunningStatistics() {
    let bn = BatchNorm(shape: [2], momentum: 0.5)
    let net = Network(name: "bn", layers: [bn], maxBatch: 4)
    net.initialize(rng: RandomStream(seed: 0))
    let x: [Float] = [1, 10, 3, 20, 5, 30, 7, 40]   // feature 0: mean 4, feature 1: mean 25
    let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 4, mode: .training), count: 8)) }
    #expect(abs(y[0] + y[2] + y[4] + y[6]) < 1e-5)
    #expect(abs((y[0] * y[0] + y[2] * y[2] + y[4] * y[4] + y[6] * y[6]) / 4 - 1) < 1e-3)
    // running mean = 0.5·0 + 0.5·batch mean; running var = 0.5·1 + 0.5·unbiased var (20/3 · …)
    #expect(abs(net.state[0] - 2) < 1e-5)
    #expect(abs(net.state[1] - 12.5) < 1e-5)
    let expectedVariance: Float = 0.5 + 0.5 * 20 / 3
    #expect(abs(net.state[2] - expectedVariance) < 1e-4)
}

@Test func evaluationAndFrozenPassesLeaveTheNetworkUnchanged() {
    let net = Network(name: "n", layers: [Dense(inputs: 3, outputs: 4), BatchNorm(shape: [4]), ActivationLayer(.relu, shape: [4])], maxBatch: 5)
    net.initialize(rng: RandomStream(seed: 2))
    let before = Array(net.parameters) + Array(net.state)
    var rng = RandomStream(seed: 5)
    let x = (0..<15).map { _ in rng.nextNormal() }
    x.withUnsafeBufferPointer {
        net.forward($0.baseAddress!, batch: 5, mode: .evaluation)
        net.forward($0.baseAddress!, batch: 5, mode: .trainingFrozen)
    }
    #expect(Array(net.parameters) + Array(net.state) == before)
}

/// A loss on an inner layer's output (the VAE-GAN's feature loss): `forward(through:)`,
/// `output(ofLayer:)` and `backward(from:)` against central differences.
@Test func innerLayerGradientsMatchFiniteDifferences() {
    let network = Network(name: "inner", layers: [Dense(inputs: 5, outputs: 6, activation: .tanh), BatchNorm(shape: [6]),
                                                  Dense(inputs: 6, outputs: 4, activation: .softplus), Dense(inputs: 4, outputs: 1)],
                          maxBatch: 3)
    network.initialize(rng: RandomStream(seed: 4))
    var rng = RandomStream(seed: 5)
    let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: 15)
    defer { x.deallocate() }
    for i in x.indices { x[i] = rng.nextNormal() }
    let r = (0..<12).map { _ in rng.nextNormal() }
    func loss() -> Double {
        network.forward(x.baseAddress!, batch: 3, mode: .trainingFrozen)          // full pass, as the VAE-GAN does
        let features = network.output(ofLayer: 2)
        var s = 0.0
        for i in 0..<12 { s += Double(r[i]) * Double(features[i]) }
        return s
    }
    _ = loss()
    #expect(network.forward(x.baseAddress!, batch: 3, mode: .trainingFrozen, through: 2) == network.output(ofLayer: 2))
    network.zeroGradients()
    var dy = r
    let dx = dy.withUnsafeMutableBufferPointer { Array(UnsafeBufferPointer(start: network.backward($0.baseAddress!, batch: 3, inputGradient: true, from: 2)!, count: 15)) }
    let analytic = Array(network.gradients)
    #expect(analytic.suffix(5).allSatisfy { $0 == 0 }, "the last layer must get no gradient")
    let report = GradientCheck.compare(values: network.parameters, analytic: analytic, epsilon: 1e-2, loss: loss)
    #expect(report.relativeError < 2e-2, "parameters: \(report)")
    let inputReport = GradientCheck.compare(values: x, analytic: dx, epsilon: 1e-2, loss: loss)
    #expect(inputReport.relativeError < 2e-2, "inputs: \(inputReport)")
}
