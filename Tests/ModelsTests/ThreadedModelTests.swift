import Testing
import NN
import Spec
@testable import Models

/// Whole training steps with a thread team against one thread, from the same weights and data:
/// after a few SGD steps (Adam would turn a rounding-level change of a near-zero gradient into a
/// whole step) every network's parameters agree within Float rounding (the sums run in
/// another order), for the models and schedules whose passes the team splits — a gradient
/// penalty's tangent passes included — and a second team of the same size gives the same bytes.
@Suite struct ThreadedModelTests {
    static func gan(penalty: String, threads: Int) throws -> GAN {
        let text = """
            {"name": "t", "data": {"dataset": "sprites", "size": 8, "train_size": 64, "test_size": 16},
             "model": {"type": "gan", "latent": 4, "loss": "wasserstein",
                       "generator": [{"dense": 64, "activation": "relu", "batch_norm": true}, {"reshape": [4, 4, 4]},
                                     {"deconv": 1, "kernel": 4, "stride": 2, "padding": 1, "activation": "tanh"}],
                       "discriminator": [{"conv": 6, "kernel": 4, "stride": 2, "padding": 1, "activation": "softplus"},
                                         {"dense": 8, "activation": "tanh"}],
                       "schedule": {"gradient_penalty": "\(penalty)"}},
             "training": {"epochs": 1, "batch": 7, "threads": \(threads), "optimizer": {"type": "sgd", "lr": 0.01}}}
            """
        guard case .gan(let spec) = try ExperimentLoader.parse(text: text, file: "t.json").runs[0].model,
              let training = try? ExperimentLoader.parse(text: text, file: "t.json").runs[0].training else {
            preconditionFailure("a GAN spec")
        }
        return try GAN(spec: spec, training: training, dataShape: [1, 8, 8], seed: 3, file: "t.json")
    }

    /// Generator and discriminator parameters after `steps` training steps on fixed data.
    static func train(_ model: GAN, steps: Int) -> [Float] {
        var rng = RandomStream(seed: 4, purpose: "data")
        let x = (0..<(7 * 64)).map { _ in rng.nextUniform() * 2 - 1 }
        var totals = [Double](repeating: 0, count: 8)
        for _ in 0..<steps {
            x.withUnsafeBufferPointer { xp in totals.withUnsafeMutableBufferPointer { model.trainStep(xp.baseAddress!, batch: 7, totals: $0.baseAddress!) } }
        }
        return Array(model.generator.parameters) + Array(model.discriminator.parameters)
    }

    @Test(arguments: ["wgan-gp", "r1", "dragan"])
    func penalisedGANStepsWithATeamMatchOneThread(_ penalty: String) throws {
        let alone = Self.train(try Self.gan(penalty: penalty, threads: 1), steps: 3)
        let shared = Self.train(try Self.gan(penalty: penalty, threads: 3), steps: 3)
        let worst = zip(alone, shared).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5, "\(penalty): parameters differ by up to \(worst) after 3 steps")
        #expect(Self.train(try Self.gan(penalty: penalty, threads: 3), steps: 3) == shared, "\(penalty): not the same bytes twice")
    }
}
