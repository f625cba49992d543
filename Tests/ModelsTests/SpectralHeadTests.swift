import Testing
import NN
import Spec
@testable import Models

/// SN-GAN normalises every layer of its discriminator, the last linear one included: the appended
/// one-logit head follows the list (normalised when all of its weighted layers are).
@Suite struct SpectralHeadTests {
    static let adam = OptimizerSpec.adam(lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

    static func layer(_ units: Int, spectralNorm: Bool) -> LayerSpec {
        .dense(units: units, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .glorot, spectralNorm: spectralNorm)
    }

    static func gan(_ discriminator: [LayerSpec]) throws -> (ModelPlan, GAN) {
        let spec = GANSpec(latent: 2, prior: .normal,
                           generator: [.dense(units: 6, activation: .tanh, batchNorm: false, initializer: .glorot)],
                           discriminator: discriminator, loss: .hinge,
                           schedule: AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam))
        let training = TrainingSpec(epochs: 1, batch: 4, optimizer: adam)
        return (try ModelPlan.gan(spec, training: training, dataShape: [6], file: "x.json"),
                try GAN(spec: spec, training: training, dataShape: [6], seed: 1, file: "x.json"))
    }

    @Test(arguments: [([true, true], true), ([true, false], false), ([false, false], false)])
    func theHeadIsNormalisedWhenEveryLayerIs(_ flags: [Bool], head: Bool) throws {
        let (plan, gan) = try Self.gan(flags.map { Self.layer(8, spectralNorm: $0) })
        let planned = plan.network("discriminator").plan
        #expect(planned.layers.last?.spectralNorm == head)
        // u and v of each normalised layer (8 + 6, then 8 + 8) and of the head (1 + 8), as built.
        let hidden = (flags[0] ? 8 + 6 : 0) + (flags[1] ? 8 + 8 : 0)
        #expect(planned.state == hidden + (head ? 1 + 8 : 0))
        #expect(gan.discriminator.state.count == planned.state)
    }

    @Test func aMaxoutLayerLeavesTheHeadPlain() throws {
        let (plan, _) = try Self.gan([Self.layer(8, spectralNorm: true), .maxout(units: 4, pieces: 2)])
        #expect(plan.network("discriminator").plan.layers.last?.spectralNorm == false)
    }
}
