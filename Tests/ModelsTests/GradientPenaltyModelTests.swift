import Foundation
import Testing
import NN
import Spec
@testable import Models

/// Gradient penalties in the adversarial models: what they refuse, what they hold, what they
/// count, and what they do to a critic in training.
@Suite struct GradientPenaltyModelTests {
    static let adam = OptimizerSpec.adam(lr: 1e-3, beta1: 0.5, beta2: 0.9, epsilon: 1e-8, weightDecay: 0)

    static func run(_ text: String) throws -> RunSpec { try ExperimentLoader.parse(text: text, file: "p.json").runs[0] }

    static func gan(discriminator: String, data: String = #"{"dataset": "ring", "train_size": 1000, "test_size": 100}"#,
                    generator: String = #"[{"dense": 8, "activation": "relu"}, {"dense": 2}]"#,
                    penalty: String = #""wgan-gp""#, packing: Int = 1) -> String {
        """
        {"name": "p", "data": \(data),
         "model": {"type": "gan", "latent": 2, "generator": \(generator), "discriminator": \(discriminator),
                   "loss": "wasserstein", "schedule": {"gradient_penalty": \(penalty), "packing": \(packing)}},
         "training": {"epochs": 1, "batch": 4}}
        """
    }

    /// Batch norm in a penalised critic is refused at the entry that brings it, standalone or fused.
    @Test(arguments: [
        (#"[{"dense": 8}, {"batch_norm": true}, {"activation": "relu"}]"#, "model.discriminator[1]"),
        (#"[{"dense": 8, "activation": "relu", "batch_norm": true}]"#, "model.discriminator[0]"),
        (#"[{"dense": 8, "activation": "relu"}, {"dropout": 0.2}, {"dense": 8, "batch_norm": true}]"#, "model.discriminator[2]"),
    ] as [(String, String)])
    func batchNormInAPenalisedCriticIsRefused(_ layers: String, _ path: String) throws {
        let run = try Self.run(Self.gan(discriminator: layers))
        #expect(throws: SpecError.self) { try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "p.json") }
        do {
            _ = try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "p.json")
        } catch {
            #expect(error.path == path, "\(error)")
            #expect(error.description.contains("batch norm") && error.description.contains("gradient_penalty"), "\(error)")
        }
        // Without the penalty the same critic is fine.
        let plain = try Self.run(Self.gan(discriminator: layers, penalty: "null"))
        _ = try ModelPlan.make(plain.model, training: plain.training, dataShape: [2], file: "p.json")
    }

    /// A conditional GAN's label inputs have no tangent pass: the penalty is refused there.
    @Test func aPenalisedConditionalGANIsRefused() throws {
        let text = Self.gan(discriminator: #"[{"dense": 8, "activation": "relu"}]"#)
            .replacingOccurrences(of: #""loss": "wasserstein","#, with: #""loss": "wasserstein", "conditioning": true,"#)
        let run = try Self.run(text)
        do {
            _ = try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "p.json")
            Issue.record("a conditional GAN with a gradient penalty was accepted")
        } catch { #expect(error.path == "model.schedule.gradient_penalty", "\(error)") }
    }

    @Test func batchNormInAPenalisedVAEGANCriticIsRefused() throws {
        let run = try Self.run("""
            {"name": "v", "data": {"dataset": "ring"},
             "model": {"type": "vae-gan", "latent": 2, "feature_layer": 0, "encoder": [{"dense": 8}], "decoder": [{"dense": 2}],
                       "discriminator": [{"dense": 8, "activation": "relu"}, {"dense": 4, "batch_norm": true}],
                       "schedule": {"gradient_penalty": "r1"}},
             "training": {"epochs": 1}}
            """)
        do {
            _ = try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "v.json")
            Issue.record("a batch-norm critic with R1 was accepted")
        } catch { #expect(error.path == "model.discriminator[1]", "\(error)") }
    }

    /// The estimate counts the tangent buffers and the penalty's own: within 10 % of what the
    /// built model holds, for a conv critic with packing and curved activations.
    @Test func memoryEstimateCountsTheTangentBuffers() throws {
        let conv = #"[{"conv": 4, "kernel": 3, "stride": 2, "padding": 1, "activation": "tanh"}, {"maxout": 6, "pieces": 2}, {"dropout": 0.1}]"#
        let generator = #"[{"dense": 64, "activation": "relu"}, {"reshape": [1, 8, 8]}]"#
        let sprites = #"{"dataset": "sprites", "size": 8, "train_size": 64, "test_size": 8}"#
        for penalty in [#""wgan-gp""#, #""r1""#] {
            let run = try Self.run(Self.gan(discriminator: conv, data: sprites, generator: generator, penalty: penalty, packing: 2))
            guard case .gan(let spec) = run.model else { Issue.record("not a GAN"); return }
            let plan = try ModelPlan.make(run.model, training: run.training, dataShape: [1, 8, 8], file: "p.json")
            let held = try GAN(spec: spec, training: run.training, dataShape: [1, 8, 8], seed: 0, file: "p.json").heldFloats
            #expect(plan.floats >= held && plan.floats <= held + held / 10, "estimate \(plan.floats), held \(held)")
            let unpenalised = try Self.run(Self.gan(discriminator: conv, data: sprites, generator: generator, penalty: "null", packing: 2))
            let smaller = try ModelPlan.make(unpenalised.model, training: unpenalised.training, dataShape: [1, 8, 8], file: "p.json")
            #expect(plan.floats > smaller.floats)
        }
    }

    /// The penalty adds five discriminator passes per discriminator step (forward, ∇ₓD, tangent,
    /// two weight-gradient backwards) to the FLOP count.
    @Test func trainingPassesCountThePenalty() throws {
        let run = try Self.run(Self.gan(discriminator: #"[{"dense": 8, "activation": "relu"}]"#))
        let plain = try Self.run(Self.gan(discriminator: #"[{"dense": 8, "activation": "relu"}]"#, penalty: "null"))
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "p.json")
        let plainPlan = try ModelPlan.make(plain.model, training: plain.training, dataShape: [2], file: "p.json")
        #expect(plan.trainingPasses(for: run.model).count == plainPlan.trainingPasses(for: plain.model).count + 5)
        // D: 2 → 8 → 1 on P = 4 inputs; the first layer computes an input gradient only in ∇ₓD.
        let p = 4, forward = 2 * p * (2 * 8 + 8), weights = 2 * p * (2 * 8 + 2 * 8), inputOnly = 2 * p * (2 * 8 + 8)
        #expect(plan.trainingFLOPs(for: run.model) - plainPlan.trainingFLOPs(for: plain.model)
                == Double(2 * forward + inputOnly + 2 * weights))
    }

    /// Trained on the penalty's own terms, a Wasserstein critic's input gradients settle near
    /// norm 1 with WGAN-GP, while the unpenalised, unclipped critic's grow without bound; R1 keeps
    /// them small on the data.
    @Test func penaltiesBoundTheCriticsGradient() throws {
        func criticNorm(_ penalty: GradientPenaltySpec?) throws -> Double {
            let schedule = AdversarialSchedule(warmupSteps: 1_000_000, gradientPenalty: penalty, generatorOptimizer: Self.adam,
                                               discriminatorOptimizer: Self.adam, encoderOptimizer: Self.adam)
            let spec = GANSpec(latent: 2, prior: .normal,
                               generator: [.dense(units: 2, activation: .linear, batchNorm: false, initializer: .glorot)],
                               discriminator: [.dense(units: 32, activation: .tanh, batchNorm: false, initializer: .glorot)],
                               loss: .wasserstein, schedule: schedule)
            let model = try GAN(spec: spec, training: TrainingSpec(epochs: 1, batch: 32, optimizer: Self.adam), dataShape: [2],
                                seed: 1, file: "p.json")
            var rng = RandomStream(seed: 4, purpose: "data")
            var totals = [Double](repeating: 0, count: model.trainTerms.count)
            var x = [Float](repeating: 0, count: 64)
            for _ in 0..<1200 {
                for i in 0..<32 { x[2 * i] = 3 + 0.2 * rng.nextNormal(); x[2 * i + 1] = 0.2 * rng.nextNormal() }
                model.trainStep(x, batch: 32, totals: &totals)
            }
            // The mean ‖∇ₓD‖ on real points, measured with a penalty object over the trained critic.
            let probe = GradientPenalty(.r1(gamma: 1), discriminator: model.discriminator)
            return x.withUnsafeBufferPointer { probe.penalize($0.baseAddress!, batch: 32, scale: 1, accumulate: false).norm } / 32
        }
        let wgan = try criticNorm(.wganGP(lambda: 10)), free = try criticNorm(nil), r1 = try criticNorm(.r1(gamma: 10))
        #expect(abs(wgan - 1) < 0.25, "WGAN-GP: mean ‖∇D‖ \(wgan)")
        #expect(free > 3, "unpenalised: mean ‖∇D‖ \(free)")
        #expect(r1 < 0.5 * wgan, "R1: mean ‖∇D‖ \(r1)")
    }
}
