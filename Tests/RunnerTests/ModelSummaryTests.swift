@testable import Evaluation
import Foundation
import Models
import NN
@testable import RunStore
@testable import Runner
import Spec
import Testing

/// `genlab validate --summary` reads shapes and sizes from the plan; these build the models and
/// check that every row and total of the printed summary is what the built networks hold.
@Suite struct ModelSummaryTests {
    static var experiments: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("experiments")
    }

    /// A VAE with every layer kind: conv with batch norm, leaky conv, dropout, maxout in the
    /// encoder; dense, reshape, deconv with batch norm and flatten in the decoder (which ends flat,
    /// so a head is appended to both).
    static let convVAE = """
        {"name": "conv-vae", "data": {"dataset": "sprites", "size": 32, "train_size": 1000, "test_size": 100},
         "model": {"type": "vae", "latent": 8,
                   "encoder": [{"conv": 16, "kernel": 4, "stride": 2, "padding": 1, "activation": "relu", "batch_norm": true},
                               {"conv": 32, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "slope": 0.2},
                               {"dropout": 0.1}, {"maxout": 64, "pieces": 3}],
                   "decoder": [{"dense": 512, "activation": "relu"}, {"reshape": [32, 4, 4]},
                               {"deconv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "relu", "batch_norm": true},
                               {"flatten": true}]},
         "training": {"epochs": 1, "batch": 16}}
        """

    static func run(_ name: String) throws -> RunSpec {
        let text = name == "conv-vae" ? convVAE
            : try String(contentsOf: experiments.appendingPathComponent(name), encoding: .utf8)
        return try ExperimentLoader.parse(text: text, file: name).runs[0]
    }

    /// The built model's networks by name.
    static func networks(_ model: any GenerativeModel) -> [String: Network] {
        if let vae = model as? VAE { return ["encoder": vae.encoder, "decoder": vae.decoder] }
        if let gan = model as? GAN { return ["generator": gan.generator, "discriminator": gan.discriminator] }
        if let vaeGAN = model as? VAEGAN {
            return ["encoder": vaeGAN.encoder, "decoder": vaeGAN.decoder, "discriminator": vaeGAN.discriminator]
        }
        return [:]
    }

    /// A table row's cells (columns are two or more spaces apart).
    static func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A conv VAE, an MLP GAN, a conv VAE-GAN: each layer row's output shape and parameter count,
    /// each network's totals and the model's are the built networks'.
    @Test(arguments: ["conv-vae", "gan-mlp-fmnist.json", "vaegan-fmnist.json"])
    func summaryRowsAreWhatTheBuiltModelHolds(_ name: String) throws {
        let run = try Self.run(name)
        let data = try #require(MemoryEstimate.dataShape(for: run.data))
        let body = try ModelSummary.body(run, dataShape: data.shape, trainCount: data.train, testCount: data.test,
                                         memoryLimit: .standard, file: name)
        let built = Self.networks(try ModelFactory.make(run, dataShape: data.shape, trainingExamples: data.train, file: name))
        var network: Network?
        var seen: [String] = [], rows = 0, parameters = 0, state = 0
        for line in body {
            if let range = line.range(of: " — input ") {
                let networkName = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                network = try #require(built[networkName], "no built network \(networkName)")
                seen.append(networkName)
                rows = 0
                #expect(line.hasSuffix(ModelSummary.shape(network!.inputShape)))
                continue
            }
            guard let network else { continue }
            let cells = Self.cells(line)
            if let first = cells.first, let index = Int(first) {
                #expect(index == rows && cells.count == 4, "row \(line)")
                let layer = network.layers[index]
                #expect(cells[2] == ModelSummary.shape(layer.outputShape), "\(line)")
                #expect(cells[3] == ReadableCount.grouped(layer.parameterCount), "\(line)")
                rows += 1
            } else if cells.first == "total parameters" {
                #expect(rows == network.layers.count)
                #expect(cells.last == ReadableCount.grouped(network.parameterCount))
                parameters += network.parameterCount
            } else if cells.first == "non-trainable state" {
                #expect(cells.last == ReadableCount.grouped(network.state.count))
                state += network.state.count
            }
        }
        #expect(Set(seen) == Set(built.keys) && seen.count == built.count)
        #expect(body.contains("  model: \(ReadableCount.grouped(parameters)) parameters, \(ReadableCount.grouped(state)) non-trainable state"))
        #expect(body.contains { $0.hasPrefix("  memory: about ") && $0.hasSuffix(" per worker (limit 16 GiB)") })
    }

    /// The conv VAE's rows in the file's words, with their shapes.
    @Test func rowsNameTheLayerAndItsOptions() throws {
        let run = try Self.run("conv-vae")
        let body = try ModelSummary.body(run, dataShape: [1, 32, 32], trainCount: 1000, testCount: 100,
                                         memoryLimit: .standard, file: "conv-vae")
        let rows = body.map(Self.cells).filter { $0.count == 4 && Int($0[0]) != nil }.map { Array($0[1...]) }
        #expect(rows.contains(["conv 16 k4 s2 p1", "[16, 16, 16]", "272"]))
        #expect(rows.contains(["batch_norm", "[16, 16, 16]", "32"]))
        #expect(rows.contains(["conv 32 k4 s2 p1 leaky_relu 0.2", "[32, 8, 8]", "8,224"]))
        #expect(rows.contains(["dropout 0.1", "[32, 8, 8]", "0"]))
        #expect(rows.contains(["maxout 64×3", "[64]", "393,408"]))
        #expect(rows.contains(["deconv 8 k4 s2 p1", "[8, 8, 8]", "4,104"]))
        #expect(rows.contains(["reshape", "[512]", "0"]))
    }

    @Test func countsReadAsPeopleReadThem() {
        #expect(ReadableCount.grouped(0) == "0")
        #expect(ReadableCount.grouped(999) == "999")
        #expect(ReadableCount.grouped(1000) == "1,000")
        #expect(ReadableCount.grouped(1_234_567) == "1,234,567")
        #expect(ReadableCount.flops(840) == "840 FLOP")
        #expect(ReadableCount.flops(38_120_000) == "38.1 MFLOP")
        #expect(ReadableCount.flops(2_314_000_000) == "2.31 GFLOP")
        #expect(ReadableCount.flops(999_700) == "1.00 MFLOP")
    }

    /// Runs that differ only in seed or in β share one block, which names them all.
    @Test func runsWithTheSameModelShareABlock() throws {
        let text = try String(contentsOf: Self.experiments.appendingPathComponent("quickstart.json"), encoding: .utf8)
            .replacingOccurrences(of: #""train_size": 16000, "test_size": 2000"#, with: #""train_size": 160, "test_size": 20"#)
        let experiment = try ExperimentLoader.parse(text: text, file: "quickstart.json")
        let summary = try ModelSummary.text(experiment, catalog: DataCatalog(), memoryLimit: .standard)
        #expect(summary.contains("quickstart — model 1 of 1 (vae): 4 runs: seeds 0, 1; model.beta = 1, 4\n"))
        #expect(summary.contains("  runs " + experiment.runs.map(\.id).joined(separator: " ") + "\n"))
        #expect(!summary.contains(" \n"), "no trailing spaces")
    }
}
