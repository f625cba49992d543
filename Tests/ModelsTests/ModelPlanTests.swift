import Foundation
import Testing
import NN
import Spec
@testable import Models

/// `ModelPlan` estimates from shapes alone what a built model holds; these build the models and
/// compare with what their buffers really hold (`heldFloats`, summed from the allocated tensors).
@Suite struct ModelPlanTests {
    static var experiments: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("experiments")
    }

    /// The first run of a committed experiment, with `batch` and the data shape its data set has.
    static func run(_ file: String, batch: Int? = nil) throws -> (RunSpec, [Int]) {
        let text = try String(contentsOf: experiments.appendingPathComponent(file), encoding: .utf8)
        var run = try ExperimentLoader.parse(text: text, file: file).runs.last!
        if let batch { run.training.batch = batch }
        switch run.data.dataset {
        case .sprites: return (run, [1, run.data.size, run.data.size])
        case .ring, .grid: return (run, [2])
        case .fashionMNIST, .idx: return (run, [1, 28, 28])
        case .images: return (run, [run.data.channels, run.data.size, run.data.size])
        case .array: throw ArrayShapeUnknown()
        }
    }

    /// An array's shape is in its file; no committed experiment uses one.
    struct ArrayShapeUnknown: Error {}

    static func build(_ run: RunSpec, dataShape: [Int]) throws -> any GenerativeModel {
        switch run.model {
        case .vae(let spec): return try VAE(spec: spec, training: run.training, dataShape: dataShape, trainingExamples: 100, seed: 0, file: "x.json")
        case .gan(let spec): return try GAN(spec: spec, training: run.training, dataShape: dataShape, seed: 0, file: "x.json")
        case .vaeGAN(let spec): return try VAEGAN(spec: spec, training: run.training, dataShape: dataShape, seed: 0, file: "x.json")
        }
    }

    /// MLP VAE, conv VAE-GAN, DCGAN (deconv, batch norm), PacGAN with packing 4 and EMA (maxout),
    /// at their own batch and at another; the last runs of gan-losses (spectral normalisation, its
    /// head too) and vaegan-larsen (a gated VAE-GAN that skips the pass over x̃).
    @Test(arguments: [("quickstart.json", nil), ("quickstart.json", 7), ("vaegan-fmnist.json", nil),
                      ("dcgan-fmnist.json", nil), ("dcgan-fmnist.json", 3), ("pacgan-grid.json", nil),
                      ("gan-mlp-fmnist.json", nil), ("paper/beta-vae-sprites.json", nil),
                      ("dsprites-conv.json", nil), ("paper/disentanglement-sprites.json", nil), ("cgan-fmnist.json", nil),
                      ("paper/gan-losses.json", nil), ("vaegan-larsen.json", nil)] as [(String, Int?)])
    func estimateMatchesWhatTheBuiltModelHolds(_ file: String, _ batch: Int?) throws {
        let (run, shape) = try Self.run(file, batch: batch)
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: shape, file: file)
        let model = try Self.build(run, dataShape: shape)
        let held = model.heldFloats
        print("\(file) batch \(run.training.batch): estimate \(plan.floats) floats, built model holds \(held)")
        #expect(plan.floats >= held, "the estimate must not be below what the model holds")
        #expect(plan.floats <= held + held / 10, "the estimate should be within 10 % of what the model holds")
        #expect(plan.examplesPerStep == model.examplesPerStep)
    }

    /// A team of threads adds one scratch plane per thread to each convolution; the plan counts them.
    @Test(arguments: ["vaegan-fmnist.json", "dcgan-fmnist.json"])
    func estimateCountsTheThreadsScratchPlanes(_ file: String) throws {
        var (run, shape) = try Self.run(file, batch: 5)
        let one = try ModelPlan.make(run.model, training: run.training, dataShape: shape, file: file).floats
        let oneHeld = try Self.build(run, dataShape: shape).heldFloats
        run.training.threads = 3
        let three = try ModelPlan.make(run.model, training: run.training, dataShape: shape, file: file).floats
        let threeHeld = try Self.build(run, dataShape: shape).heldFloats
        #expect(three > one && three - one == threeHeld - oneHeld, "plan +\(three - one), built +\(threeHeld - oneHeld)")
    }

    /// experiments/dsprites-conv.json is disentanglement_lib's `conv_encoder` and `deconv_decoder`
    /// on 64×64 images: the parameter counts of its TensorFlow layers, layer by layer (the encoder's
    /// two 10-unit heads are GenLab's one 20-unit head), and a decoder that ends at the image.
    @Test func disentanglementLibConvArchitecture() throws {
        let (run, shape) = try Self.run("dsprites-conv.json")
        #expect(shape == [1, 64, 64])
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: shape, file: "dsprites-conv.json")
        #expect(plan.network("encoder").plan.layers.map(\.parameters).filter { $0 > 0 }
                == [544, 16_416, 8_256, 16_448, 262_400, 5_140])
        #expect(plan.network("decoder").plan.layers.map(\.parameters).filter { $0 > 0 }
                == [2_816, 263_168, 65_600, 32_800, 16_416, 513])
        #expect(plan.network("decoder").plan.output == [1, 64, 64])
        #expect(plan.network("encoder").plan.layers.map(\.outputShape).prefix(4) == [[32, 32, 32], [32, 16, 16], [64, 8, 8], [64, 4, 4]])
    }

    /// The plan's layers are the built network's, with the same parameter and state counts.
    @Test func plannedNetworksAreTheBuiltNetworks() throws {
        let (run, shape) = try Self.run("dcgan-fmnist.json")
        guard case .gan(let spec) = run.model else { Issue.record("dcgan is a GAN"); return }
        let plan = try ModelPlan.gan(spec, training: run.training, dataShape: shape, file: "x.json")
        let gan = try GAN(spec: spec, training: run.training, dataShape: shape, seed: 0, file: "x.json")
        for (planned, built) in [(plan.network("generator"), gan.generator), (plan.network("discriminator"), gan.discriminator)] {
            #expect(planned.plan.layers.map(\.outputShape) == built.layers.map(\.outputShape))
            #expect(planned.plan.parameters == built.parameterCount)
            #expect(planned.plan.state == built.state.count)
            #expect(planned.plan.bufferFloats(maxBatch: planned.maxBatch) == built.layers.reduce(0) { $0 + $1.bufferFloats })
        }
    }

    static func convolution(_ filters: Int = 4, kernel: Int, stride: Int = 1, padding: Int = 0, transposed: Bool = false) -> LayerSpec {
        transposed
            ? .deconv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: .relu, batchNorm: false, initializer: .he)
            : .conv(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: .relu, batchNorm: false, initializer: .he)
    }

    /// Issue 13: a padding of 2⁶³ − 1 overflowed in the output-side arithmetic; values that no
    /// decoder would pass (NetworkBuilder is public) must still be errors, never traps. (A huge
    /// stride is fine for a convolution, which then has one output position, but grows a
    /// transposed one past any size.)
    @Test(arguments: [Int.max, Int.max / 2, Int.max / 4 + 1, 1 << 32])
    func hugeConvolutionSizesAreErrors(_ huge: Int) {
        for transposed in [false, true] {
            for layer in [Self.convolution(kernel: 3, padding: huge, transposed: transposed),
                          Self.convolution(kernel: huge, transposed: transposed),
                          Self.convolution(kernel: 3, stride: transposed ? huge : 1, padding: transposed ? 0 : huge,
                                           transposed: transposed),
                          Self.convolution(huge, kernel: 3, transposed: transposed)] {
                #expect(throws: SpecError.self) {
                    try NetworkBuilder.plan([layer], input: [1, 28, 28], path: "model.encoder", file: "x.json")
                }
            }
        }
        #expect(throws: SpecError.self) {
            try NetworkBuilder.plan([.reshape([huge, huge, 4])], input: [1, 28, 28], path: "model.encoder", file: "x.json")
        }
        #expect(throws: SpecError.self) {
            try NetworkBuilder.plan([.dense(units: huge, activation: .relu, batchNorm: false, initializer: .he)],
                                    input: [784], path: "model.encoder", file: "x.json")
        }
        #expect(throws: SpecError.self) {
            try NetworkBuilder.plan([.maxout(units: huge, pieces: 5, initializer: .he)], input: [784], path: "model.encoder", file: "x.json")
        }
    }

    /// A kernel that fits the height but not the width used to pass the shape check and trap in
    /// `ConvolutionGeometry`.
    @Test func aKernelWiderThanThePaddedInputIsAnError() throws {
        let error = try #require(throws: SpecError.self) {
            _ = try NetworkBuilder.layers([Self.convolution(kernel: 3)], input: [1, 28, 1], path: "model.encoder", file: "x.json")
        }
        #expect(error.path == "model.encoder[0].kernel")
        #expect(error.expected == "a kernel that fits the 28×1 input with padding 0")
    }
}
