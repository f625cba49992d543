@testable import Evaluation
import Formats
import Foundation
import Report
@testable import RunStore
@testable import Runner
import Spec
import Testing

/// Tiny runs (sprites 16×16, one short epoch) and the figures they leave in their folders.
private func experiment(name: String, model: String, report: String = "", data: String? = nil) -> String {
    """
    {
      "name": "\(name)",
      "data": \(data ?? #"{ "dataset": "sprites", "size": 16, "train_size": 128, "test_size": 40 }"#),
      "model": \(model),
      "training": { "epochs": 1, "batch": 32 }\(report.isEmpty ? "" : ",\n  \"report\": " + report),
      "seeds": [0]
    }
    """
}

private func vae(latent: Int) -> String {
    #"{ "type": "vae", "latent": \#(latent), "encoder": [ { "dense": 16, "activation": "relu" } ], "decoder": [ { "dense": 16, "activation": "relu" } ] }"#
}

private func gan(latent: Int) -> String {
    #"""
    { "type": "gan", "latent": \#(latent), "schedule": { "ema": 0.9 },
      "generator": [ { "dense": 16, "activation": "relu" }, { "dense": 256, "activation": "tanh" }, { "reshape": [1, 16, 16] } ],
      "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] }
    """#
}

/// Trains `text` into a new folder under `root`; returns each run with its folder.
private func train(_ text: String, into root: String) throws -> [(run: RunSpec, folder: RunFolder)] {
    let experiment = try ExperimentLoader.parse(text: text, file: "x.json")
    let outcomes = try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet)).run(experiment)
    #expect(outcomes.allSatisfy { $0.outcome == .completed })
    return outcomes.map { ($0.run, RunFolder(experimentFolder: root + "/" + experiment.name, runID: $0.run.id)) }
}

private func figures(in folder: RunFolder) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".png") {
        files[name] = [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name)))
    }
    return files
}

private func image(_ folder: RunFolder, _ name: String) throws -> PixelImage {
    try PNGCodec.decode([UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: folder.figure(name)))))
}

@Suite(.serialized) struct FigureTests {
    /// Grid geometry for 16-pixel images drawn at scale 2 (cells of 32, 1-pixel separators).
    static func span(_ cells: Int, cell: Int = 32) -> Int { cells * cell + cells - 1 }

    @Test func aLatent2VAEDrawsEveryFigureAtItsSize() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try train(experiment(name: "v2", model: vae(latent: 2)), into: root)[0].folder
        #expect(Set(try figures(in: folder).keys) == ["samples.png", "reconstructions.png", "interpolations.png",
                                                      "traversals.png", "manifold.png", "latent.png"])
        let samples = try image(folder, "samples")
        #expect((samples.width, samples.height, samples.channels) == (Self.span(8), Self.span(8), 1))
        let reconstructions = try image(folder, "reconstructions")  // 32 test images: 4 rows of originals + 4 below
        #expect((reconstructions.width, reconstructions.height) == (Self.span(8), Self.span(8)))
        let interpolations = try image(folder, "interpolations")  // 10 steps between 2 test images, 8 rows
        #expect((interpolations.width, interpolations.height, interpolations.channels) == (Self.span(12), Self.span(8), 1))
        let manifold = try image(folder, "manifold")  // 20×20 at scale 1
        #expect((manifold.width, manifold.height, manifold.channels) == (Self.span(20, cell: 16), Self.span(20, cell: 16), 1))
        // Traversals: "zI  KL x.xx" labels (8-pixel glyphs, 4-pixel margins), a 13 + 8 header, 11 columns, 2 rows.
        let traversals = try image(folder, "traversals")
        #expect(traversals.channels == 3 && traversals.height == 21 + Self.span(2) + 4)
        #expect([11, 12].map { 8 * $0 + 8 + Self.span(11) + 4 }.contains(traversals.width), "width \(traversals.width)")
        // Latent: a 480-pixel plot with ticks and axis titles around it, under two title lines.
        let latent = try image(folder, "latent")
        #expect(latent.channels == 3 && latent.height == 6 + 2 * 13 + 6 + 481 + 6 + 13 + 6 + 13 + 6 && latent.width > 481 + 77)
    }

    @Test func theManifoldNeedsTwoLatentDimensionsAndAGANSkipsEncoderFigures() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let v3 = try train(experiment(name: "v3", model: vae(latent: 3)), into: root)[0].folder
        #expect(Set(try figures(in: v3).keys) == ["samples.png", "reconstructions.png", "interpolations.png",
                                                  "traversals.png", "latent.png"])
        #expect(try image(v3, "traversals").height == 21 + Self.span(3) + 4)
        let g2 = try train(experiment(name: "g2", model: gan(latent: 2)), into: root)[0].folder
        #expect(Set(try figures(in: g2).keys) == ["samples.png", "interpolations.png", "traversals.png", "manifold.png"])
        let g4 = try train(experiment(name: "g4", model: gan(latent: 4)), into: root)[0].folder
        #expect(Set(try figures(in: g4).keys) == ["samples.png", "interpolations.png", "traversals.png"])
        // A GAN's interpolations have no test images at the ends; its traversal labels are "zI" only.
        #expect(try image(g4, "interpolations").width == Self.span(10))
        let traversals = try image(g4, "traversals")
        #expect((traversals.width, traversals.height) == (2 * 8 + 8 + Self.span(11) + 4, 21 + Self.span(4) + 4))
    }

    @Test func pointDataGetOnlyTheSamplesScatterAndTheGridsListChoosesFigures() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ring = try train(experiment(name: "ring", model: vae(latent: 2),
                                        data: #"{ "dataset": "ring", "train_size": 128, "test_size": 64 }"#), into: root)[0].folder
        #expect(Set(try figures(in: ring).keys) == ["samples.png"])
        let chosen = try train(experiment(name: "chosen", model: vae(latent: 2), report: #"{ "grids": ["manifold", "latent"] }"#),
                               into: root)[0].folder
        #expect(Set(try figures(in: chosen).keys) == ["manifold.png", "latent.png"])
    }

    /// `report.interpolation` changes interpolations.png and nothing else, not even the run id.
    @Test func sphericalInterpolationChangesOnlyItsFigure() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let linear = try train(experiment(name: "i", model: vae(latent: 3)), into: a)[0]
        let spherical = try train(experiment(name: "i", model: vae(latent: 3), report: #"{ "interpolation": "spherical" }"#), into: b)[0]
        #expect(linear.run.id == spherical.run.id)
        let (x, y) = (try figures(in: linear.folder), try figures(in: spherical.folder))
        #expect(Set(x.keys) == Set(y.keys))
        for name in x.keys { #expect((x[name] == y[name]) == (name != "interpolations.png"), "\(name)") }
    }

    /// Read back by the independent decoder: separators where the layout puts them, the row
    /// labels and the legend really drawn.
    @Test(.enabled(if: PythonPNG.available, "python3 not found: independent PNG decoder skipped"))
    func pixelsHoldTheLayoutTheTextAndTheLegend() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try train(experiment(name: "px", model: vae(latent: 2)), into: root)[0].folder
        let manifold = try PythonPNG.decode(folder.figure("manifold"))
        #expect((manifold.width, manifold.height, manifold.channels) == (339, 339, 1))
        for k in 1..<20 {
            #expect((0..<339).allSatisfy { manifold[k * 17 - 1, $0] == [128] }, "separator column \(k)")
        }
        // Traversals: each row's label (left of the grid, within the row's band) has black text pixels.
        let traversals = try PythonPNG.decode(folder.figure("traversals"))
        let labelWidth = traversals.width - Self.span(11) - 4
        for row in 0..<2 {
            let band = (21 + row * 33)..<(21 + row * 33 + 32)
            let black = band.reduce(0) { sum, y in sum + (0..<labelWidth).filter { traversals[$0, y] == [0, 0, 0] }.count }
            #expect(black > 20, "row \(row): \(black) black pixels in its label")
        }
        // The header holds the swept values.
        #expect((0..<21).contains { y in (labelWidth..<traversals.width).contains { traversals[$0, y] == [0, 0, 0] } })
        // Latent: the legend shows a swatch of each sprite shape's colour, and the points use them.
        let latent = try PythonPNG.decode(folder.figure("latent"))
        for color in LabelPalette.colors.prefix(3) {
            let rgb = [color.red, color.green, color.blue]
            let count = (0..<latent.height).reduce(0) { sum, y in sum + (0..<latent.width).filter { latent[$0, y] == rgb }.count }
            #expect(count >= 81, "colour \(rgb): \(count) pixels")
        }
        #expect(!(0..<latent.height).contains { y in (0..<latent.width).contains { latent[$0, y] == [153, 153, 153] } })
    }
}
