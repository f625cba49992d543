import Testing
@testable import NN

/// PyTorch's default rule: weights and biases U(±1/√fan_in); He and Glorot leave biases at zero
/// and draw nothing for them (so adding the rule changed no existing run).
@Test func pytorchRuleDrawsWeightsAndBiasesWithinOneOverRootFanIn() {
    let layer = Dense(inputs: 400, outputs: 300, activation: .relu, initializer: .pytorch)
    let net = Network(name: "n", layers: [layer], maxBatch: 1)
    net.initialize(rng: RandomStream(seed: 0, purpose: "init"))
    let bound = 1 / Float(400).squareRoot()
    let weights = Array(net.parameters.prefix(400 * 300)), biases = Array(net.parameters.suffix(300))
    #expect(weights.allSatisfy { abs($0) <= bound } && biases.allSatisfy { abs($0) <= bound })
    let std = (weights.map { Double($0 * $0) }.reduce(0, +) / Double(weights.count)).squareRoot()
    #expect(abs(std - Double(bound) / 3.0.squareRoot()) < 0.01 * Double(bound), "uniform std is bound/√3, got \(std)")
    #expect(biases.contains { abs($0) > bound / 2 }, "biases are drawn, not zero")
}

@Test(arguments: [WeightInitializer.he, .glorot])
func heAndGlorotKeepBiasesAtZero(_ rule: WeightInitializer) {
    let net = Network(name: "n", layers: [Dense(inputs: 8, outputs: 4, activation: .relu, initializer: rule)], maxBatch: 1)
    net.initialize(rng: RandomStream(seed: 0, purpose: "init"))
    #expect(net.parameters.suffix(4).allSatisfy { $0 == 0 })
}

/// PyTorch takes a transposed convolution's fan_in from its weight's second axis: F·K·K.
@Test func transposedConvolutionUsesPyTorchsFanIn() {
    let layer = ConvTranspose2D(inputShape: [16, 3, 3], filters: 2, kernel: 4, stride: 2, padding: 1,
                                activation: .relu, initializer: .pytorch)
    let net = Network(name: "n", layers: [layer], maxBatch: 1)
    net.initialize(rng: RandomStream(seed: 1, purpose: "init"))
    let bound = 1 / Float(2 * 16).squareRoot()
    #expect(net.parameters.allSatisfy { abs($0) <= bound })
    #expect(net.parameters.contains { abs($0) > 0.9 * bound }, "the bound is F·K·K's, not the wider C·K·K's")
}

@Test func maxoutFollowsItsRule() {
    let layer = Maxout(inputs: 4, units: 3, pieces: 5, initializer: .pytorch)
    let net = Network(name: "n", layers: [layer], maxBatch: 1)
    net.initialize(rng: RandomStream(seed: 2, purpose: "init"))
    #expect(net.parameters.allSatisfy { abs($0) <= 0.5 })
    #expect(net.parameters.suffix(15).contains { $0 != 0 })
}
