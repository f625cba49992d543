import Models
import NN
import Spec
import Testing

/// A VAE decoder that ends in an image is the output — no dense head after it — and must be the
/// data's shape; one that ends flat gets the linear head to the data's size. Complete lists (a
/// GAN's generator, a VAE-GAN's decoder) must end at the data's shape, not just its size.
@Suite struct DecoderHeadTests {
    static let training = TrainingSpec(epochs: 1, batch: 8, optimizer: .adam(lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0))
    static let schedule = AdversarialSchedule(generatorOptimizer: training.optimizer, discriminatorOptimizer: training.optimizer,
                                              encoderOptimizer: training.optimizer)
    static func dense(_ units: Int, _ activation: Activation = .relu) -> LayerSpec {
        .dense(units: units, activation: activation, batchNorm: false, initializer: .he)
    }
    static func deconv(_ filters: Int, _ activation: Activation = .relu) -> LayerSpec {
        .deconv(filters: filters, kernel: 4, stride: 2, padding: 1, activation: activation, batchNorm: false, initializer: .he)
    }
    static func vae(decoder: [LayerSpec]) -> VAESpec {
        VAESpec(latent: 4, beta: 1, betaWarmupSteps: 0, likelihood: .bernoulli, encoder: [dense(32)], decoder: decoder)
    }
    static let convDecoder: [LayerSpec] = [dense(16 * 7 * 7), .reshape([16, 7, 7]), deconv(8), deconv(1, .linear)]

    @Test func aDecoderEndingAtTheImageGetsNoHead() throws {
        let plan = try ModelPlan.vae(Self.vae(decoder: Self.convDecoder), training: Self.training, dataShape: [1, 28, 28], file: "x.json")
        let decoder = plan.network("decoder").plan
        #expect(decoder.output == [1, 28, 28])
        // dense 4→784, deconv 16→8 (4×4), deconv 8→1 (4×4): no 784×784 head (615,440 more).
        let expected: Int = (4 * 784 + 784) + (16 * 8 * 16 + 8) + (8 * 1 * 16 + 1)
        #expect(decoder.parameters == expected)
        // The model trains on it: one step's loss is finite.
        let model = try VAE(spec: Self.vae(decoder: Self.convDecoder), training: Self.training, dataShape: [1, 28, 28], trainingExamples: 100, seed: 0, file: "x.json")
        let x = [Float](repeating: 0.5, count: 8 * 784)
        var totals = [Double](repeating: 0, count: 3)
        x.withUnsafeBufferPointer { xs in totals.withUnsafeMutableBufferPointer { model.trainStep(xs.baseAddress!, batch: 8, totals: $0.baseAddress!) } }
        #expect(totals.allSatisfy(\.isFinite) && totals[0] > 0)
    }

    @Test func aFlatDecoderGetsTheHead() throws {
        let plan = try ModelPlan.vae(Self.vae(decoder: [Self.dense(64)]), training: Self.training, dataShape: [1, 28, 28], file: "x.json")
        let expected: Int = (4 * 64 + 64) + (64 * 784 + 784)
        #expect(plan.network("decoder").plan.parameters == expected)
    }

    @Test(arguments: [[1, 14, 14], [1, 30, 30], [4, 14, 14]])
    func aDecoderEndingAtAnotherImageIsRefusedWithBothShapes(_ wrong: [Int]) throws {
        // A reshape to the wrong image; [4, 14, 14] has the data's 784 values but is not a 28×28 image.
        let decoder: [LayerSpec] = [Self.dense(wrong.reduce(1, *)), .reshape(wrong)]
        let error = try #require(throws: SpecError.self) {
            _ = try ModelPlan.vae(Self.vae(decoder: decoder), training: Self.training, dataShape: [1, 28, 28], file: "x.json")
        }
        #expect(error.path == "model.decoder" && error.expected.contains("[1, 28, 28]")
                && error.found.contains("[\(wrong.map(String.init).joined(separator: ", "))]"), "\(error)")
        let gan = GANSpec(latent: 4, prior: .normal, generator: decoder, discriminator: [Self.dense(8)], loss: .nonSaturating,
                          schedule: Self.schedule)
        let ganError = try #require(throws: SpecError.self) {
            _ = try ModelPlan.gan(gan, training: Self.training, dataShape: [1, 28, 28], file: "x.json")
        }
        #expect(ganError.path == "model.generator" && ganError.found.contains("[\(wrong.map(String.init).joined(separator: ", "))]"))
    }

    /// A flat generator with the data's size still works (an MLP GAN's last dense layer).
    @Test func aFlatGeneratorOfTheDataSizeIsAccepted() throws {
        let gan = GANSpec(latent: 4, prior: .normal, generator: [Self.dense(784, .tanh)], discriminator: [Self.dense(8)],
                          loss: .nonSaturating, schedule: Self.schedule)
        #expect(try ModelPlan.gan(gan, training: Self.training, dataShape: [1, 28, 28], file: "x.json").network("generator").plan.output == [784])
    }
}
