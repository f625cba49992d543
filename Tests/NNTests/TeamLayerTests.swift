import Testing
@testable import NN

/// The data-parallel passes: each layer with a team of several members against the same layer
/// alone — outputs, input gradients and parameter gradients equal within Float tolerance (sums
/// taken in another order), the same bytes on every repetition with one team size, and
/// central-difference gradient checks through the parallel code.
@Suite struct TeamLayerTests {
    /// A layer list, its input shape's size and a batch that does not divide evenly among members.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let batch: Int
        let layers: @Sendable () -> [Layer]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "dense, more inputs than outputs", batch: 11) { [Dense(inputs: 40, outputs: 9, activation: .relu)] },
        Case(name: "dense, more outputs than inputs", batch: 11) { [Dense(inputs: 7, outputs: 37, activation: .tanh)] },
        Case(name: "dense + batch norm + activation", batch: 13) {
            [Dense(inputs: 10, outputs: 24), BatchNorm(shape: [24]), ActivationLayer(.leakyReLU(slope: 0.2), shape: [24])]
        },
        Case(name: "conv + batch norm over channels", batch: 9) {
            [Conv2D(inputShape: [2, 9, 9], filters: 5, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2)),
             BatchNorm(shape: [5, 4, 4]), Reshape(flattening: [5, 4, 4])]
        },
        Case(name: "conv with more column rows than filters", batch: 7) {
            [Conv2D(inputShape: [6, 8, 8], filters: 3, kernel: 3, stride: 1, padding: 1, activation: .relu), Reshape(flattening: [3, 8, 8])]
        },
        Case(name: "conv in chunks of 4", batch: 10) {
            let conv = Conv2D(inputShape: [3, 7, 7], filters: 4, kernel: 3, stride: 2, padding: 1, activation: .tanh)
            conv.chunkOverride = 4
            return [conv, Reshape(flattening: [4, 4, 4])]
        },
        Case(name: "deconv + batch norm", batch: 9) {
            [Reshape(from: [48], to: [3, 4, 4]),
             ConvTranspose2D(inputShape: [3, 4, 4], filters: 4, kernel: 4, stride: 2, padding: 1, activation: .relu),
             BatchNorm(shape: [4, 8, 8]), Reshape(flattening: [4, 8, 8])]
        },
        Case(name: "deconv in chunks of 3, more channels than column rows", batch: 8) {
            let deconv = ConvTranspose2D(inputShape: [9, 3, 3], filters: 1, kernel: 2, stride: 2, padding: 0, activation: .tanh)
            deconv.chunkOverride = 3
            return [Reshape(from: [81], to: [9, 3, 3]), deconv, Reshape(flattening: [1, 6, 6])]
        },
    ]

    /// Output, input gradient, parameter gradients and state after one training forward and
    /// backward pass of `layers` with `team`, from the same seeded weights and data.
    static func pass(_ c: Case, team: ThreadTeam, mode: PassMode = .training) -> [[Float]] {
        let network = Network(name: "team", layers: c.layers(), maxBatch: c.batch, team: team)
        network.initialize(rng: RandomStream(seed: 5, purpose: "init"))
        var rng = RandomStream(seed: 6, purpose: "data")
        for i in network.parameters.indices { network.parameters[i] += 0.1 * rng.nextNormal() }
        let x = (0..<(c.batch * network.inputSize)).map { _ in rng.nextNormal() }
        var dy = (0..<(c.batch * network.outputSize)).map { _ in rng.nextNormal() }
        network.zeroGradients()
        return x.withUnsafeBufferPointer { xp in
            let y = Array(UnsafeBufferPointer(start: network.forward(xp.baseAddress!, batch: c.batch, mode: mode), count: dy.count))
            let dx = dy.withUnsafeMutableBufferPointer { dp in
                Array(UnsafeBufferPointer(start: network.backward(dp.baseAddress!, batch: c.batch, inputGradient: true)!, count: x.count))
            }
            return [y, dx, Array(network.gradients), Array(network.state)]
        }
    }

    @Test(arguments: cases, [2, 3, 4])
    func aTeamGivesTheOneThreadResultsWithinFloatTolerance(_ c: Case, size: Int) {
        let alone = Self.pass(c, team: .serial), team = ThreadTeam(size: size)
        let shared = Self.pass(c, team: team)
        for (what, (a, b)) in zip(["output", "input gradient", "parameter gradients", "state"], zip(alone, shared)) {
            #expect(a.count == b.count)
            let scale = max(1, a.map { abs($0) }.max() ?? 0)
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * scale, "\(c.name), \(size) threads, \(what): worst difference \(worst)")
        }
        #expect(Self.pass(c, team: team) == shared, "\(c.name): a second pass with the same team gives other bytes")
        #expect(Self.pass(c, team: ThreadTeam(size: size)) == shared, "\(c.name): another team of \(size) gives other bytes")
    }

    @Test(arguments: cases)
    func evaluationPassesOfATeamMatchTheOneThreadPass(_ c: Case) {
        let alone = Self.pass(c, team: .serial, mode: .evaluation), shared = Self.pass(c, team: ThreadTeam(size: 3), mode: .evaluation)
        let worst = zip(alone[0], shared[0]).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * max(1, alone[0].map { abs($0) }.max() ?? 0), "\(c.name): \(worst)")
    }

    /// Small networks with smooth activations (a central difference across a ReLU kink is
    /// meaningless), batches that leave members unequal parts, and chunked convolutions.
    static let smoothCases: [Case] = [
        Case(name: "dense both ways + batch norm", batch: 5) {
            [Dense(inputs: 6, outputs: 4, activation: .tanh), Dense(inputs: 4, outputs: 7), BatchNorm(shape: [7]),
             ActivationLayer(.softplus, shape: [7])]
        },
        Case(name: "conv in chunks + batch norm", batch: 5) {
            let conv = Conv2D(inputShape: [2, 6, 6], filters: 3, kernel: 4, stride: 2, padding: 1, activation: .linear)
            conv.chunkOverride = 2
            return [conv, BatchNorm(shape: [3, 3, 3]), ActivationLayer(.tanh, shape: [3, 3, 3]), Reshape(flattening: [3, 3, 3])]
        },
        Case(name: "conv with more column rows than filters", batch: 4) {
            [Conv2D(inputShape: [3, 4, 4], filters: 2, kernel: 3, stride: 1, padding: 1, activation: .softplus), Reshape(flattening: [2, 4, 4])]
        },
        Case(name: "deconv in chunks + batch norm", batch: 5) {
            let deconv = ConvTranspose2D(inputShape: [3, 3, 3], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .linear)
            deconv.chunkOverride = 2
            return [Reshape(from: [27], to: [3, 3, 3]), deconv, BatchNorm(shape: [2, 6, 6]), Reshape(flattening: [2, 6, 6])]
        },
        Case(name: "deconv with more channels than column rows", batch: 4) {
            [Reshape(from: [45], to: [5, 3, 3]),
             ConvTranspose2D(inputShape: [5, 3, 3], filters: 1, kernel: 2, stride: 2, padding: 0, activation: .tanh),
             Reshape(flattening: [1, 6, 6])]
        },
    ]

    @Test(arguments: smoothCases)
    func gradientsThroughTheParallelPassesMatchFiniteDifferences(_ c: Case) {
        checkNetworkGradients(c.layers(), batch: c.batch, team: ThreadTeam(size: 3))
    }

    @Test func batchNormSplitByChannelsGivesTheOneThreadBytes() {
        // Each member computes whole channels, in the one-thread order: equal, not just close.
        let c = Self.cases[2]
        let alone = Self.pass(c, team: .serial), shared = Self.pass(c, team: ThreadTeam(size: 3))
        #expect(alone[3] == shared[3], "running statistics")
    }

    @Test(arguments: [SplitLikelihood.Kind.bernoulli, .gaussian(sigma: 0.5)])
    func splitLikelihoodMatchesTheOneThreadSumAndFiniteDifferences(_ kind: SplitLikelihood.Kind) {
        let count = 1_000
        var rng = RandomStream(seed: 2, purpose: "likelihood")
        let targets = (0..<count).map { _ in rng.nextUniform() }
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        defer { output.deallocate() }
        for i in output.indices { output[i] = rng.nextNormal() }
        var alone = [Float](repeating: 0, count: count), shared = alone
        let one = SplitLikelihood(kind, team: .serial), three = SplitLikelihood(kind, team: ThreadTeam(size: 3))
        let a = alone.withUnsafeMutableBufferPointer { one.evaluate(output.baseAddress!, targets: targets, count: count, gradient: $0.baseAddress!, scale: 0.5) }
        let b = shared.withUnsafeMutableBufferPointer { three.evaluate(output.baseAddress!, targets: targets, count: count, gradient: $0.baseAddress!, scale: 0.5) }
        #expect(abs(a - b) <= 1e-9 * abs(a))
        #expect(alone == shared, "gradients are elementwise: the same bytes")
        let report = GradientCheck.compare(values: output, analytic: shared.map { $0 * 2 }, epsilon: 1e-2) {
            three.evaluate(output.baseAddress!, targets: targets, count: count, gradient: nil, scale: 1)
        }
        #expect(report.relativeError < 2e-2, "\(report)")
    }

    @Test func anOptimiserWithATeamUpdatesEveryParameterAsAlone() {
        let n = 1_003
        var rng = RandomStream(seed: 9, purpose: "adam")
        let start = (0..<n).map { _ in rng.nextNormal() }, gradient = (0..<n).map { _ in rng.nextNormal() }
        func run(_ team: ThreadTeam) -> [Float] {
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: n), g = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            defer { p.deallocate(); g.deallocate() }
            _ = p.initialize(from: start); _ = g.initialize(from: gradient)
            let adam = Optimizer(.adam(lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-3), parameters: p, gradients: g, team: team)
            for _ in 0..<3 { adam.step() }
            return Array(p)
        }
        #expect(run(.serial) == run(ThreadTeam(size: 3)))
    }
}
