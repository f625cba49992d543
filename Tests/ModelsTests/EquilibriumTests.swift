import Foundation
import Testing
import NN
import Spec
@testable import Models

/// Larsen et al.'s equilibrium rule: the decision from the two cross-entropies, the costs
/// themselves, and what a gated VAE-GAN step then updates.
@Suite struct EquilibriumTests {
    static let adam = OptimizerSpec.adam(lr: 0.005, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

    @Test func theRuleSkipsTheWinnerAndNeverBoth() {
        let gate = EquilibriumGate(.paper)   // costs in [0.33, 1.03] leave both updating
        func decide(_ real: Double, _ fake: Double) -> [Bool] {
            let d = gate.decide(realCost: real, fakeCost: fake)
            return [d.discriminator, d.decoder]
        }
        #expect(decide(0.7, 0.7) == [true, true])
        #expect(decide(gate.target - gate.margin, gate.target + gate.margin) == [true, true])   // the bounds do not gate
        #expect(decide(0.2, 0.7) == [false, true])      // the discriminator wins on real data
        #expect(decide(0.7, 0.1) == [false, true])      // ... or on generated data
        #expect(decide(1.2, 0.7) == [true, false])      // it loses: the decoder waits
        #expect(decide(0.5, 1.1) == [true, false])
        #expect(decide(0.2, 1.2) == [true, true])       // both gated: both update
    }

    @Test func costsAreTheMeanBinaryCrossEntropies() {
        let logits: [Float] = [-40, -3, -0.5, 0, 0.25, 2, 35]
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        // −log σ(d) = log(1 + e^(−d)); written out where e^(∓d) neither overflows nor vanishes.
        let real = logits.map { d -> Double in let x = Double(d); return x < -30 ? -x : -log(sigmoid(x)) }
        let fake = logits.map { d -> Double in let x = Double(d); return x > 30 ? x : -log(1 - sigmoid(x)) }
        let n = Double(logits.count)
        #expect(abs(EquilibriumGate.realCost(logits, count: logits.count) - real.reduce(0, +) / n) < 1e-9)
        #expect(abs(EquilibriumGate.fakeCost(logits, count: logits.count) - fake.reduce(0, +) / n) < 1e-9)
    }

    static func model(_ equilibrium: EquilibriumSpec?) throws -> VAEGAN {
        let spec = VAEGANSpec(
            latent: 2, beta: 1, gamma: 0.5, featureLayer: 0,
            encoder: [.dense(units: 16, activation: .relu, batchNorm: false, initializer: .he)],
            decoder: [.dense(units: 16, activation: .relu, batchNorm: true, initializer: .he),
                      .dense(units: 12, activation: .tanh, batchNorm: false, initializer: .glorot)],
            discriminator: [.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he)],
            loss: .nonSaturating,
            schedule: AdversarialSchedule(equilibrium: equilibrium, generatorOptimizer: adam, discriminatorOptimizer: adam,
                                          encoderOptimizer: adam))
        return try VAEGAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 8, optimizer: adam), dataShape: [12], seed: 4,
                          file: "v.json")
    }

    static let data: [Float] = (0..<96).map { Float(($0 * 5) % 13) / 13 * 1.8 - 0.9 }

    /// Trains `steps` steps and returns the totals of every term divided by the examples seen.
    static func train(_ model: VAEGAN, steps: Int) -> [String: Double] {
        var totals = [Double](repeating: 0, count: model.trainTerms.count)
        for _ in 0..<steps { model.trainStep(data, batch: 8, totals: &totals) }
        return Dictionary(uniqueKeysWithValues: zip(model.trainTerms, totals.map { $0 / Double(8 * steps) }))
    }

    static func weights(_ model: VAEGAN) -> [[Float]] {
        [model.encoder, model.decoder, model.discriminator].map { Array($0.parameters) }
    }

    /// Target 100: every cross-entropy is far below target − margin, so the discriminator never
    /// updates and the decoder always does.
    @Test func aDiscriminatorThatWinsIsNotUpdated() throws {
        let model = try Self.model(EquilibriumSpec(target: 100, margin: 1))
        let before = Self.weights(model)
        let terms = Self.train(model, steps: 3)
        let after = Self.weights(model)
        #expect(terms["d_updated"] == 0 && terms["decoder_updated"] == 1)
        #expect(after[2] == before[2])
        #expect(after[0] != before[0] && after[1] != before[1])
        #expect(model.counters["optimizer.discriminator.steps"] == 0 && model.counters["optimizer.decoder.steps"] == 3)
    }

    /// Target 0.001, margin 0: every cross-entropy is above it, so the decoder waits while the
    /// discriminator and the encoder (never gated) update.
    @Test func aDecoderWaitsWhileTheDiscriminatorLoses() throws {
        let model = try Self.model(EquilibriumSpec(target: 0.001, margin: 0))
        let before = Self.weights(model)
        let terms = Self.train(model, steps: 3)
        let after = Self.weights(model)
        #expect(terms["d_updated"] == 1 && terms["decoder_updated"] == 0)
        #expect(after[1] == before[1])
        #expect(after[0] != before[0] && after[2] != before[2])
    }

    /// A margin wider than any cross-entropy gates nothing: the same bytes as without the rule.
    @Test func aWideMarginGivesTheUngatedBytes() throws {
        let gated = try Self.model(EquilibriumSpec(target: 0.68, margin: 1000)), plain = try Self.model(nil)
        let terms = Self.train(gated, steps: 5)
        _ = Self.train(plain, steps: 5)
        #expect(terms["d_updated"] == 1 && terms["decoder_updated"] == 1)
        #expect(Self.weights(gated) == Self.weights(plain))
        #expect(plain.trainTerms == ["d_loss", "g_loss", "recon", "kl"])
    }
}
