import Testing
@testable import NN

/// Gradient penalties on a discriminator's input (WGAN-GP, DRAGAN, R1): the tangent pass against
/// central differences of the network, each penalty's formula against differences of itself, and
/// each penalty's parameter gradient (the gradient of a gradient) against central differences of
/// the penalty, for every layer kind a penalised critic may hold.
@Suite struct GradientPenaltyTests {
    static let kinds: [GradientPenalty.Kind] = [.wganGP(lambda: 10), .dragan(lambda: 10, c: 0.5), .r1(gamma: 3)]

    /// Critics of each supported layer kind, each ending in a one-logit head. ReLU kinks are kept
    /// out of the parameter checks (a difference across a kink is not a derivative); they are
    /// checked in `piecewiseLinearCritics…` with inputs away from the kinks.
    static func critics() -> [(String, [Layer])] {
        var list: [(String, [Layer])] = []
        for activation: ActivationFunction in [.tanh, .sigmoid, .softplus, .linear] {
            list.append(("dense \(activation)", [Dense(inputs: 5, outputs: 4, activation: activation), Dense(inputs: 4, outputs: 1)]))
        }
        list += [
            ("activation layer", [Dense(inputs: 5, outputs: 4), ActivationLayer(.tanh, shape: [4]), Dense(inputs: 4, outputs: 1)]),
            ("conv", [Reshape(from: [5], to: [5, 1, 1]), ConvTranspose2D(inputShape: [5, 1, 1], filters: 2, kernel: 3, activation: .softplus),
                      Conv2D(inputShape: [2, 3, 3], filters: 3, kernel: 2, stride: 1, padding: 1, activation: .tanh),
                      Reshape(flattening: [3, 4, 4]), Dense(inputs: 48, outputs: 1)]),
            ("maxout", [Maxout(inputs: 5, units: 3, pieces: 3), Dense(inputs: 3, outputs: 1, activation: .linear)]),
            ("dropout", [Dense(inputs: 5, outputs: 6, activation: .tanh), Dropout(shape: [6], rate: 0.3), Dense(inputs: 6, outputs: 1)]),
            ("spectral norm", [Dense(inputs: 5, outputs: 4, activation: .tanh, spectralNorm: true),
                               Dense(inputs: 4, outputs: 1, spectralNorm: true)]),
        ]
        return list
    }

    /// A critic with its state and random streams saved, so every evaluation starts the same
    /// (training passes move spectral normalisation's u and v and dropout's stream).
    final class Fixture {
        let network: Network
        let penalty: GradientPenalty
        let points: [Float]
        let batch: Int
        private let state: [Float]
        private let streams: [String: RandomStream]

        init(_ layers: [Layer], kind: GradientPenalty.Kind, batch: Int = 3, seed: UInt64 = 5) {
            network = Network(name: "critic", layers: layers, maxBatch: batch)
            network.initialize(rng: RandomStream(seed: seed, purpose: "init"))
            var rng = RandomStream(seed: seed, purpose: "data")
            for i in network.parameters.indices { network.parameters[i] += 0.2 * rng.nextNormal() }
            penalty = GradientPenalty(kind, discriminator: network)
            points = (0..<(batch * network.inputSize)).map { _ in rng.nextNormal() }
            self.batch = batch
            // Training passes iterate spectral normalisation's u and v; near convergence the
            // differences through the iteration equal the gradient with u, v held (as the paper's).
            for _ in 0..<30 { network.forward(points, batch: batch, mode: .training) }
            state = Array(network.state)
            streams = network.randomStreams
        }

        func restore() {
            _ = network.state.update(fromContentsOf: state)
            network.randomStreams = streams
        }

        func value(scale: Float) -> Double {
            restore()
            return points.withUnsafeBufferPointer { penalty.penalize($0.baseAddress!, batch: batch, scale: scale, accumulate: false) }.penalty
                * Double(scale)
        }

        func analyticGradient(scale: Float) -> [Float] {
            restore()
            network.zeroGradients()
            _ = points.withUnsafeBufferPointer { penalty.penalize($0.baseAddress!, batch: batch, scale: scale, accumulate: true) }
            return Array(network.gradients)
        }
    }

    @Test(arguments: kinds)
    func penaltyParameterGradientsMatchFiniteDifferences(kind: GradientPenalty.Kind) {
        for (name, layers) in Self.critics() {
            let fixture = Fixture(layers, kind: kind)
            let analytic = fixture.analyticGradient(scale: 0.5)
            #expect(analytic.contains { $0 != 0 }, "\(name): no gradient")
            let report = GradientCheck.compare(values: fixture.network.parameters, analytic: analytic, epsilon: 1e-2) {
                fixture.value(scale: 0.5)
            }
            #expect(report.relativeError < 2e-2, "\(kind) \(name): \(report)")
        }
    }

    /// ReLU and leaky ReLU have f″ = 0: the penalty's gradient flows through f′ alone. Small
    /// weight steps from inputs whose pre-activations are well away from 0 stay on one side.
    @Test(arguments: kinds)
    func piecewiseLinearCriticsMatchFiniteDifferences(kind: GradientPenalty.Kind) {
        for activation: ActivationFunction in [.relu, .leakyReLU(slope: 0.2)] {
            let fixture = Fixture([Dense(inputs: 5, outputs: 6, activation: activation), Dense(inputs: 6, outputs: 1)], kind: kind)
            let analytic = fixture.analyticGradient(scale: 1)
            let report = GradientCheck.compare(values: fixture.network.parameters, analytic: analytic, epsilon: 1e-3) {
                fixture.value(scale: 1)
            }
            #expect(report.relativeError < 3e-2, "\(kind) \(activation): \(report)")
        }
    }

    /// The tangent pass is the directional derivative: ẏ = (D(x + εv) − D(x − εv)) / 2ε.
    @Test func tangentPassIsTheDirectionalDerivative() {
        for (name, layers) in Self.critics() {
            let fixture = Fixture(layers, kind: .r1(gamma: 1))
            let network = fixture.network, n = fixture.points.count
            var rng = RandomStream(seed: 9, purpose: "direction")
            let v = (0..<n).map { _ in rng.nextNormal() }
            fixture.restore()
            network.forward(fixture.points, batch: fixture.batch, mode: .training)
            let tangent = v.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: network.forwardTangent($0.baseAddress!, batch: fixture.batch),
                                                                                count: fixture.batch)) }
            let epsilon: Float = 1e-2
            func logits(_ sign: Float) -> [Float] {
                fixture.restore()
                let x = (0..<n).map { fixture.points[$0] + sign * epsilon * v[$0] }
                return Array(UnsafeBufferPointer(start: network.forward(x, batch: fixture.batch, mode: .training), count: fixture.batch))
            }
            let plus = logits(1), minus = logits(-1)
            for i in 0..<fixture.batch {
                let numerical = (plus[i] - minus[i]) / (2 * epsilon)
                #expect(abs(numerical - tangent[i]) <= 1e-2 * max(1, abs(numerical)), "\(name) input \(i): \(tangent[i]) vs \(numerical)")
            }
        }
    }

    /// Each penalty's v = ∂P/∂g against central differences of P in g.
    @Test(arguments: kinds)
    func penaltyFormulaGradientMatchesFiniteDifferences(kind: GradientPenalty.Kind) {
        let batch = 3, size = 4
        var rng = RandomStream(seed: 2, purpose: "g")
        let g = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * size)
        let v = UnsafeMutablePointer<Float>.allocate(capacity: batch * size)
        defer { g.deallocate(); v.deallocate() }
        for i in g.indices { g[i] = 0.4 * rng.nextNormal() }
        _ = GradientPenalty.evaluate(kind, gradients: g.baseAddress!, batch: batch, size: size, scale: 1, direction: v)
        let analytic = Array(UnsafeBufferPointer(start: v, count: batch * size))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: batch * size)
        defer { scratch.deallocate() }
        let report = GradientCheck.compare(values: g, analytic: analytic, epsilon: 1e-3) {
            GradientPenalty.evaluate(kind, gradients: g.baseAddress!, batch: batch, size: size, scale: 1, direction: scratch).penalty
        }
        #expect(report.relativeError < 1e-2, "\(kind): \(report)")
    }

    /// Known values: a linear critic D(x) = wᵀx + b has g = w for every input.
    @Test func linearCriticPenaltiesHaveTheirClosedForms() {
        let dense = Dense(inputs: 2, outputs: 1)
        let network = Network(name: "linear", layers: [dense], maxBatch: 2)
        network.parameters[0] = 3; network.parameters[1] = 4; network.parameters[2] = 0.5     // ‖w‖ = 5
        let x: [Float] = [1, 2, -1, 0.5]
        for (kind, expected) in [(GradientPenalty.Kind.wganGP(lambda: 10), 2 * 10.0 * 16), (.r1(gamma: 2), 2 * 1.0 * 25)] {
            let penalty = GradientPenalty(kind, discriminator: network)
            network.zeroGradients()
            let (value, norm) = x.withUnsafeBufferPointer { penalty.penalize($0.baseAddress!, batch: 2, scale: 1, accumulate: true) }
            #expect(abs(value - expected) < 1e-4, "\(kind): \(value)")
            #expect(abs(norm - 10) < 1e-5)
            // ∂/∂w of Σ λ(‖w‖ − 1)² = 2·2λ(‖w‖ − 1)·w/‖w‖; of Σ γ/2‖w‖² = 2γw; nothing for b.
            let factor: Float = if case .r1 = kind { 2 * 2 } else { 2 * 2 * 10 * 4 / 5 }
            #expect(abs(network.gradients[0] - factor * 3) < 1e-3 && abs(network.gradients[1] - factor * 4) < 1e-3)
            #expect(network.gradients[2] == 0)
        }
    }

    /// WGAN-GP's points lie on the segments between real and generated inputs (one ε per input),
    /// DRAGAN's in the box [x, x + c·std(x)], R1's are the real inputs; the same stream gives the
    /// same points.
    @Test func pointsFollowEachRule() {
        let network = Network(name: "linear", layers: [Dense(inputs: 3, outputs: 1)], maxBatch: 4)
        network.initialize(rng: RandomStream(seed: 1, purpose: "init"))
        let real: [Float] = (0..<12).map { Float($0) / 4 }, fake = [Float](repeating: -1, count: 12)
        let sd = GradientPenalty.standardDeviation(real, count: 12)
        #expect(abs(Double(sd) - 0.8630) < 1e-3)
        for kind in Self.kinds {
            let penalty = GradientPenalty(kind, discriminator: network)
            var a = RandomStream(seed: 3, purpose: "penalty"), b = a
            let first = penalty.apply(real: real, fake: fake, batch: 4, scale: 1, rng: &a)
            let x = Array(UnsafeBufferPointer(start: penalty.points.pointer, count: 12))
            let second = penalty.apply(real: real, fake: fake, batch: 4, scale: 1, rng: &b)
            #expect(first.penalty == second.penalty && a.nextUniform() == b.nextUniform(), "\(kind)")
            for i in 0..<4 {
                let row = (3 * i)..<(3 * i + 3)
                switch kind {
                case .wganGP:
                    let e = row.map { (x[$0] + 1) / (real[$0] + 1) }       // x̂ + 1 = ε(x + 1)
                    #expect(e.allSatisfy { $0 >= 0 && $0 <= 1 && abs($0 - e[0]) < 1e-5 }, "\(e)")
                case .dragan(_, let c):
                    #expect(row.allSatisfy { x[$0] >= real[$0] && x[$0] - real[$0] <= c * sd + 1e-6 })
                    #expect(row.contains { x[$0] > real[$0] })
                case .r1:
                    #expect(row.allSatisfy { x[$0] == real[$0] })
                }
            }
        }
    }

    /// Batch norm couples a batch's examples: a network holding one has no tangent pass.
    @Test func batchNormHasNoTangentPass() {
        let network = Network(name: "bn", layers: [Dense(inputs: 3, outputs: 4), BatchNorm(shape: [4]), Dense(inputs: 4, outputs: 1)],
                              maxBatch: 2)
        #expect(network.firstLayerWithoutTangent == 1)
        let plain = Network(name: "plain", layers: [Dense(inputs: 3, outputs: 1)], maxBatch: 2)
        #expect(plain.firstLayerWithoutTangent == nil)
    }
}
