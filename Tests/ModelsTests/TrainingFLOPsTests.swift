import Testing
import NN
import Spec
@testable import Models

/// FLOPs from the shape plan (`LayerPlan.forwardFLOPs`, `ModelPlan.trainingFLOPs`), checked
/// against counts worked out by hand from the models' `trainStep`.
@Suite struct TrainingFLOPsTests {
    static func run(_ text: String) throws -> RunSpec { try ExperimentLoader.parse(text: text, file: "f.json").runs[0] }

    /// A dense layer's forward is one product of N·I·O multiply-adds: 2·N·I·O FLOPs; its backward
    /// the same again for the weight gradient and for the input gradient.
    @Test func denseLayerFLOPsAreTwoTimesBatchInputsOutputs() {
        let dense = LayerPlan(kind: .dense(outputs: 300, activation: .relu, initializer: .he), inputShape: [784], outputShape: [300])
        #expect(dense.multiplyAdds == 784 * 300)
        #expect(dense.forwardFLOPs(batch: 64) == 2 * 64 * 784 * 300)
        #expect(dense.backwardFLOPs(batch: 64, parameterGradients: true, inputGradient: true) == 2 * 2 * 64 * 784 * 300)
        #expect(dense.backwardFLOPs(batch: 64, parameterGradients: true, inputGradient: false) == 2 * 64 * 784 * 300)
        let norm = LayerPlan(kind: .batchNorm(momentum: 0.1, epsilon: 1e-5), inputShape: [300], outputShape: [300])
        #expect(norm.forwardFLOPs(batch: 64) == 0)
    }

    /// Convolutions: F·C·K·K per output position; a transposed one C·F·K·K per input position.
    @Test func convolutionFLOPsCountEveryKernelPosition() {
        let conv = LayerPlan(kind: .conv(filters: 32, kernel: 4, stride: 2, padding: 1, activation: .relu, initializer: .he),
                             inputShape: [1, 28, 28], outputShape: [32, 14, 14])
        #expect(conv.forwardFLOPs(batch: 2) == 2 * 2 * (32 * 14 * 14) * (1 * 4 * 4))
        let deconv = LayerPlan(kind: .deconv(filters: 1, kernel: 4, stride: 2, padding: 1, activation: .tanh, initializer: .he),
                               inputShape: [64, 14, 14], outputShape: [1, 28, 28])
        #expect(deconv.forwardFLOPs(batch: 2) == 2 * 2 * (64 * 14 * 14) * (1 * 4 * 4))
    }

    /// VAE on 16×16 sprites, encoder flatten → 256→32 → head 32→4, decoder 2→32 → head 32→256,
    /// batch 32: with the flatten first every matrix layer computes both gradients, so a step is
    /// exactly 3× the forward of both networks.
    @Test func vaeStepIsThreeForwards() throws {
        let run = try Self.run("""
            {"name": "v", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
             "model": {"type": "vae", "latent": 2, "encoder": [{"dense": 32, "activation": "relu"}],
                       "decoder": [{"dense": 32, "activation": "relu"}]},
             "training": {"epochs": 1, "batch": 32}}
            """)
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: [1, 16, 16], file: "f.json")
        let forward = 2 * 32 * ((256 * 32 + 32 * 4) + (2 * 32 + 32 * 256))
        #expect(plan.trainingFLOPs(for: run.model) == Double(3 * forward))
    }

    /// The same VAE with the IWAE objective (k = 3): the decoder's three passes run on 3·32 codes.
    /// With FactorVAE (discriminator 2→16→1 on 2·32 codes): a forward, an input-only backward (its
    /// first layer's input gradient too) and a weights-only backward, which still passes the
    /// gradient through the head to the hidden layer: 3× the forward and the head's input product.
    @Test func objectivesAddTheirPasses() throws {
        func run(_ objective: String) throws -> RunSpec {
            try Self.run("""
                {"name": "v", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
                 "model": {"type": "vae", "latent": 2, "encoder": [{"dense": 32, "activation": "relu"}],
                           "decoder": [{"dense": 32, "activation": "relu"}], "objective": \(objective)},
                 "training": {"epochs": 1, "batch": 32}}
                """)
        }
        let encoder = 2 * 32 * (256 * 32 + 32 * 4), decoder = 2 * 32 * (2 * 32 + 32 * 256)
        let iwae = try run(#"{"type": "iwae", "samples": 3}"#)
        let iwaePlan = try ModelPlan.make(iwae.model, training: iwae.training, dataShape: [1, 16, 16], file: "f.json")
        #expect(iwaePlan.trainingFLOPs(for: iwae.model) == Double(3 * encoder + 3 * 3 * decoder))
        let factor = try run(#"{"type": "factor-vae", "gamma": 1, "discriminator": [{"dense": 16, "activation": "leaky_relu"}]}"#)
        let factorPlan = try ModelPlan.make(factor.model, training: factor.training, dataShape: [1, 16, 16], file: "f.json")
        let discriminator = 2 * 64 * (2 * 16 + 16 * 1)
        let headInputGradient = 2 * 64 * 16
        #expect(factorPlan.trainingFLOPs(for: factor.model) == Double(3 * encoder + 3 * decoder + 3 * discriminator + headInputGradient))
    }

    /// GAN on 2-D points, packing M = 2, batch 4 (P = 4 discriminator inputs, N = 8 examples),
    /// k = 2 discriminator steps per generator update. G: 2→8→2 (16 + 16 multiply-adds an
    /// example); D: 4→8→1 (32 + 8 an input).
    @Test func ganStepCountsBothUpdatesAndTheDiscriminatorSteps() throws {
        let run = try Self.run("""
            {"name": "g", "data": {"dataset": "ring", "train_size": 1000, "test_size": 100},
             "model": {"type": "gan", "latent": 2, "generator": [{"dense": 8, "activation": "relu"}, {"dense": 2}],
                       "discriminator": [{"dense": 8, "activation": "relu"}],
                       "schedule": {"packing": 2, "discriminator_steps": 2}},
             "training": {"epochs": 1, "batch": 4}}
            """)
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: [2], file: "f.json")
        let p = 4, n = 8, k = 2
        let dForward = 2 * p * (32 + 8)
        let dWeights = 2 * p * (32 + 2 * 8)           // the first layer computes no input gradient
        let gForward = 2 * n * (16 + 16)
        let gWeights = 2 * n * (16 + 2 * 16)
        let discriminatorUpdate = 2 * (dForward + dWeights) + gForward
        let generatorUpdate = gForward + dForward + dForward + gWeights   // D backward: input gradients only
        #expect(plan.trainingFLOPs(for: run.model) == Double(discriminatorUpdate) + Double(generatorUpdate) / Double(k))
        #expect(plan.trainingPasses(for: run.model).filter { $0.every == k }.count == 4)
    }
}
