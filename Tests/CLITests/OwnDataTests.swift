import Formats
import Foundation
import Testing

/// Users' own data through the binary: every model type trains on a colour PNG folder and on an
/// array, deterministically, and every kind of bad data is exit status 2 naming the file.
@Suite struct OwnDataTests {
    /// A folder of 16×16 RGB PNGs in `train/` and `test/`, two classes (a bright and a dark square
    /// on noise), written by libpng, some 20×24 so that the centre crop and resize run too.
    private func imageFolder(_ root: URL) throws -> String {
        let folder = root.appendingPathComponent("shapes").path
        var state: UInt64 = 1
        for (split, count) in [("train", 24), ("test", 8)] {
            for (label, name) in ["dark", "light"].enumerated() {
                try FileManager.default.createDirectory(atPath: "\(folder)/\(split)/\(name)", withIntermediateDirectories: true)
                for i in 0..<count / 2 {
                    let (width, height) = i % 3 == 0 ? (20, 24) : (16, 16)
                    var pixels = [UInt8](repeating: 0, count: width * height * 3)
                    for p in pixels.indices {
                        state = state &* 6364136223846793005 &+ 1442695040888963407
                        let x = (p / 3) % width, y = (p / 3) / width
                        let inside = abs(x - width / 2) < 5 && abs(y - height / 2) < 5
                        let square: Int = (label == 0 ? 60 : 230) - p % 3 * 20
                        pixels[p] = inside ? UInt8(square) : UInt8(truncatingIfNeeded: state >> 59)
                    }
                    let png = try PNGCodec.encode(PixelImage(width: width, height: height, channels: 3, pixels: pixels))
                    try Foundation.Data(png).write(to: URL(fileURLWithPath: "\(folder)/\(split)/\(name)/\(i).png"))
                }
            }
        }
        return folder
    }

    /// 40 RGB 8×8 float images in [0, 1] ([N, C, H, W]) and their labels (as float32 whole
    /// numbers, which the reader accepts), written with GenLab's own `.npy` writer.
    private func arrayFiles(_ root: URL) throws -> (images: String, labels: String) {
        let images = root.appendingPathComponent("x.npy").path, labels = root.appendingPathComponent("y.npy").path
        let values: [Float] = (0 ..< 40 * 3 * 64).map { (i: Int) -> Float in Float((i * 37) % 101) / 100 }
        try Foundation.Data(NPYFile.encode(values, shape: [40, 3, 8, 8])).write(to: URL(fileURLWithPath: images))
        try Foundation.Data(NPYFile.encode((0..<40).map { Float($0 % 2) }, shape: [40])).write(to: URL(fileURLWithPath: labels))
        return (images, labels)
    }

    private func experiment(_ name: String, data: String, model: String) -> String {
        """
        {"name": "\(name)", "data": \(data), "model": \(model),
         "training": {"epochs": 1, "batch": 8, "optimizer": {"type": "adam", "lr": 0.001}}, "seeds": [0],
         "report": {"grids": ["samples", "reconstructions", "interpolations", "traversals", "latent"]}}
        """
    }

    @Test func everyModelTypeTrainsOnColourImagesAndArraysByteForByteAgain() throws {
        let root = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try imageFolder(root), arrays = try arrayFiles(root)
        let images = #"{"dataset": "images", "path": "\#(folder)", "size": 16}"#
        let array = #"{"dataset": "array", "path": "\#(arrays.images)", "labels": "\#(arrays.labels)", "test_size": 8}"#
        let conv = #"{"conv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "slope": 0.2}"#
        let files = [
            ("vae", experiment("own-vae", data: images, model: #"""
                {"type": "vae", "latent": 4, "encoder": [\#(conv), {"dense": 32, "activation": "relu"}],
                 "decoder": [{"dense": 32, "activation": "relu"}]}
                """#)),
            ("gan", experiment("own-gan", data: images, model: #"""
                {"type": "gan", "latent": 8, "generator": [{"dense": 512, "activation": "relu"}, {"reshape": [8, 8, 8]},
                  {"deconv": 3, "kernel": 4, "stride": 2, "padding": 1, "activation": "tanh"}], "discriminator": [\#(conv)]}
                """#)),
            ("vae-gan", experiment("own-vaegan", data: array, model: #"""
                {"type": "vae-gan", "latent": 4, "feature_layer": 1, "encoder": [\#(conv)],
                 "decoder": [{"dense": 128, "activation": "relu"}, {"reshape": [8, 4, 4]},
                   {"deconv": 3, "kernel": 4, "stride": 2, "padding": 1, "activation": "tanh"}],
                 "discriminator": [\#(conv), {"conv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "slope": 0.2}]}
                """#)),
        ]
        for (type, text) in files {
            let file = root.appendingPathComponent("\(type).json").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            for results in ["a", "b"] {
                let run = try Genlab.run(["run", file, "--results", root.appendingPathComponent(results).path, "--jobs", "1", "--quiet"])
                #expect(run.status == 0 && run.stdout.contains("1 completed"), "\(type): \(run.stdout)\(run.stderr)")
            }
            let name = type == "vae-gan" ? "own-vaegan" : "own-\(type)"
            let a = root.appendingPathComponent("a/\(name)").path
            try expectSameResults(a, root.appendingPathComponent("b/\(name)").path)
            let runs = try FileManager.default.contentsOfDirectory(atPath: a + "/runs")
            // Every image grid of a colour data set is RGB (the latent scatter is RGB anyway).
            for grid in ["samples", "reconstructions", "interpolations", "traversals"] {
                let path = "\(a)/runs/\(runs[0])/\(grid).png"
                guard FileManager.default.fileExists(atPath: path) else {
                    #expect(type == "gan" && ["reconstructions", "traversals"].contains(grid), "\(type): no \(grid).png")
                    continue
                }
                #expect(try PNGCodec.decode(Array(try Foundation.Data(contentsOf: URL(fileURLWithPath: path)))).channels == 3,
                        "\(type): \(grid).png should be RGB")
            }
        }
    }

    /// Each bad input: what to write, the data section, and what stderr must name.
    @Test func badDataIsExitStatus2NamingTheFileAndWritesNothing() throws {
        let root = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try imageFolder(root), arrays = try arrayFiles(root)
        func png(_ path: String, _ width: Int, _ height: Int) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let image = PixelImage(width: width, height: height, channels: 1, pixels: [UInt8](repeating: 7, count: width * height))
            try Foundation.Data(try PNGCodec.encode(image)).write(to: URL(fileURLWithPath: path))
        }
        func folder(_ name: String) -> String { root.appendingPathComponent(name).path }
        func write(_ bytes: [UInt8], _ path: String) throws { try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path)) }

        // Undecodable and truncated PNGs.
        try png(folder("garbage") + "/a.png", 8, 8); try write(Array("GIF89a".utf8), folder("garbage") + "/b.png")
        try png(folder("truncated") + "/a.png", 8, 8); try png(folder("truncated") + "/b.png", 8, 8)
        let whole = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: folder("truncated") + "/b.png")))
        try write(Array(whole.prefix(whole.count - 20)), folder("truncated") + "/b.png")
        // Mixed sizes without a resize rule; an empty folder; a label folder with no images.
        try png(folder("mixed") + "/a.png", 8, 8); try png(folder("mixed") + "/b.png", 8, 10)
        try FileManager.default.createDirectory(atPath: folder("empty"), withIntermediateDirectories: true)
        try png(folder("labels") + "/cat/a.png", 8, 8); try FileManager.default.createDirectory(atPath: folder("labels") + "/dog", withIntermediateDirectories: true)
        // Arrays: the wrong shape, float images out of range, the wrong dtype, labels that do not match.
        try write(NPYFile.encode([Float](repeating: 0, count: 20), shape: [4, 5]), folder("shape.npy"))
        try write(NPYFile.encode([Float](repeating: 2, count: 4 * 64), shape: [4, 1, 8, 8]), folder("range.npy"))
        try write(NPYFile.encode([0, 1, 0], shape: [3]), folder("labels3.npy"))
        // A bool array (the wrong dtype for images): NPYFile's header with the descr changed.
        let header = NPYFile.header(shape: [4, 8, 8]).map { $0 }
        let text = String(decoding: header, as: UTF8.self).replacingOccurrences(of: "<f4", with: "|b1")
        try write(Array(text.utf8) + [UInt8](repeating: 1, count: 256), folder("bool.npy"))

        let cases: [(data: String, names: String, path: String)] = [
            (#"{"dataset": "images", "path": "\#(folder("garbage"))", "size": 8, "test_size": 1}"#, folder("garbage") + "/b.png", "data.path"),
            (#"{"dataset": "images", "path": "\#(folder("truncated"))", "size": 8, "test_size": 1}"#, folder("truncated") + "/b.png", "data.path"),
            (#"{"dataset": "images", "path": "\#(folder("mixed"))", "size": 8, "resize": "none", "test_size": 1}"#, folder("mixed") + "/b.png", "data.path"),
            (#"{"dataset": "images", "path": "\#(folder("empty"))", "size": 8}"#, folder("empty"), "data.path"),
            (#"{"dataset": "images", "path": "\#(folder("labels"))", "size": 8}"#, folder("labels") + "/dog", "data.path"),
            (#"{"dataset": "images", "path": "\#(good)", "size": 8, "train_size": 25}"#, good, "data.train_size"),
            (#"{"dataset": "array", "path": "\#(folder("shape.npy"))"}"#, folder("shape.npy"), "data.path"),
            (#"{"dataset": "array", "path": "\#(folder("range.npy"))"}"#, folder("range.npy"), "data.path"),
            (#"{"dataset": "array", "path": "\#(folder("bool.npy"))"}"#, folder("bool.npy"), "data.path"),
            (#"{"dataset": "array", "path": "\#(arrays.images)", "labels": "\#(folder("labels3.npy"))"}"#, folder("labels3.npy"), "data.path"),
            (#"{"dataset": "array", "path": "\#(arrays.images)", "test_size": 40}"#, arrays.images, "data.test_size"),
            (#"{"dataset": "array", "path": "\#(folder("none.npy"))"}"#, folder("none.npy"), "data.path"),
        ]
        for (index, item) in cases.enumerated() {
            let file = root.appendingPathComponent("bad\(index).json").path
            let model = #"{"type": "vae", "latent": 2, "encoder": [{"dense": 8}], "decoder": [{"dense": 8}]}"#
            try experiment("bad\(index)", data: item.data, model: model).write(toFile: file, atomically: true, encoding: .utf8)
            let results = root.appendingPathComponent("results").path
            for command in [["validate", file], ["run", file, "--results", results, "--jobs", "1"]] {
                let result = try Genlab.run(command)
                #expect(result.status == 2, "\(command[0]) \(item.data): \(result.stdout)\(result.stderr)")
                #expect(result.stderr.contains(item.names) && result.stderr.contains(item.path), "\(item.data): \(result.stderr)")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrace"))
            }
            #expect(!FileManager.default.fileExists(atPath: results + "/bad\(index)/runs"), "\(item.data): a run was written")
        }
    }

    /// Fashion-MNIST holds 60,000 training images; asking for 70,000 is refused, not trained on 60,000.
    @Test func aTrainSizeAboveFashionMNISTIsRefused() throws {
        let root = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("big.json").path
        let model = #"{"type": "vae", "latent": 2, "encoder": [{"dense": 8}], "decoder": [{"dense": 8}]}"#
        try experiment("big", data: #"{"dataset": "fashion-mnist", "train_size": 70000}"#, model: model)
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["validate", file])
        #expect(result.status == 2 && result.stderr.contains("data.train_size") && result.stderr.contains("60000"), "\(result.stderr)")
    }
}
