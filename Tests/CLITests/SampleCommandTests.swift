import Formats
import Foundation
import Report
import Testing

/// `genlab sample` through the binary: prior samples of every model type (VAE, GAN, VAE-GAN on
/// 16×16 sprites, a GAN on the 2-D ring) as PNG, safetensors and `.npy`, reconstructions and
/// interpolations of the encoders, determinism, and every bad input refused with nothing written.
@Suite(.serialized) struct SampleCommandTests {
    /// The tiny experiments of `EvaluateCommandTests`, trained for one epoch.
    struct Trained {
        let scratch: SweepScratch
        /// Run folder by model type (`vae`, `gan`, `vae-gan`).
        let runs: [String: String]
        /// Where the tests write their samples.
        let out: String

        init(_ experiment: String, name: String) throws {
            scratch = try SweepScratch(experiment)
            let results = scratch.results("r")
            let trained = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "2", "--quiet"])
            #expect(trained.status == 0, "\(trained.stderr)")
            var runs: [String: String] = [:]
            let folder = results + "/" + name + "/runs"
            for id in try FileManager.default.contentsOfDirectory(atPath: folder) {
                let spec = try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(id)/spec.json")))
                let type = ((spec as? [String: Any])?["model"] as? [String: Any])?["type"] as? String
                runs[type ?? "?"] = folder + "/" + id
            }
            self.runs = runs
            out = scratch.results("out")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        }

        func file(_ name: String) -> String { out + "/" + name }
    }

    /// `genlab sample` with `arguments`, expected to succeed; the written file's bytes.
    static func sample(_ arguments: [String], out: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let result = try Genlab.run(["sample"] + arguments + ["--out", out])
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.hasPrefix(out + ": "), "\(result.stdout)", sourceLocation: sourceLocation)
        return try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// A `.npy` file parsed as the format describes it: shape and `<f4` values; checks the header.
    static func npy(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> (shape: [Int], values: [Float]) {
        try #require(bytes.count >= 10 && Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0],
                     "no NumPy 1.0 magic", sourceLocation: sourceLocation)
        let start = 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
        #expect(start % 64 == 0 && bytes[start - 1] == 0x0A, "data not aligned to 64", sourceLocation: sourceLocation)
        let header = String(decoding: bytes[10..<start], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': ("), "\(header)", sourceLocation: sourceLocation)
        let tuple = header.components(separatedBy: "'shape': (")[1].prefix { $0 != ")" }
        let shape = tuple.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let data = Array(bytes[start...])
        #expect(data.count == 4 * shape.reduce(1, *), "data size", sourceLocation: sourceLocation)
        return (shape, data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
    }

    /// The `samples` tensor of a safetensors file, with the metadata.
    static func safetensors(_ bytes: [UInt8]) throws -> (shape: [Int], values: [Float], metadata: [String: String]) {
        let file = try SafeTensors.decode(bytes)
        #expect(file.names == ["samples"])
        let tensor = try #require(file.tensors["samples"])
        #expect(tensor.dtype == .f32)
        return (tensor.shape, try tensor.values(as: Float.self), file.metadata)
    }

    /// Whether the image cell at grid position (row, column) of a gray 2×-scaled grid of 16×16
    /// images with 1-pixel separators shows `image` (16×16 values in [0, 1]).
    static func cell(_ png: PixelImage, row: Int, column: Int, shows image: ArraySlice<Float>) -> Bool {
        let values = Array(image)
        for y in 0..<16 {
            for x in 0..<16 where png[column * 33 + 2 * x, row * 33 + 2 * y] != [ImageGrid.quantize(values[y * 16 + x])] {
                return false
            }
        }
        return true
    }

    @Test func priorSamplesOfEveryModelTypeInEveryFormat() throws {
        let trained = try Trained(EvaluateCommandTests.images, name: "models")
        defer { trained.scratch.clean() }
        #expect(Set(trained.runs.keys) == ["vae", "gan", "vae-gan"])
        for (type, run) in trained.runs.sorted(by: { $0.key < $1.key }) {
            let id = PathText.lastComponent(run)
            let before = try resultFiles(run)
            let png = try Self.sample([run], out: trained.file("\(type).png"))
            let tensors = try Self.sample([run], out: trained.file("\(type).safetensors"))
            let array = try Self.sample([run], out: trained.file("\(type).npy"))

            // The same command, the same bytes; the run's seed (0) is the default; another seed differs.
            #expect(try Self.sample([run], out: trained.file("\(type).png")) == png, "\(type): png not deterministic")
            #expect(try Self.sample([run], out: trained.file("\(type).safetensors")) == tensors, "\(type): safetensors")
            #expect(try Self.sample([run], out: trained.file("\(type).npy")) == array, "\(type): npy not deterministic")
            #expect(try Self.sample([run, "--seed", "0"], out: trained.file("\(type).npy")) == array, "\(type): default seed")
            let other = try Self.sample([run, "--seed", "1"], out: trained.file("\(type)-1.npy"))
            #expect(other != array, "\(type): --seed 1 gave the bytes of seed 0")
            #expect(try Self.sample([run, "--seed", "1"], out: trained.file("\(type)-1.png")) != png)

            // Shapes and values: 64 images (1, 16, 16) in [0, 1], the same numbers in both raw formats.
            let (shape, values, metadata) = try Self.safetensors(tensors)
            #expect(shape == [64, 1, 16, 16], "\(type)")
            #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(type): values outside [0, 1]")
            #expect(Set(values).count > 1, "\(type): constant samples")
            #expect(metadata["run_id"] == id && metadata["seed"] == "0" && metadata["count"] == "64", "\(metadata)")
            let parsed = try Self.npy(array)
            #expect(parsed.shape == shape && parsed.values == values, "\(type): npy and safetensors differ")
            #expect(try Self.npy(other).values != values)

            // The PNG: an 8×8 grid of 16×16 images drawn twice as large with 1-pixel separators,
            // whose cells are the raw values quantized.
            let image = try PNGCodec.decode(png)
            #expect(image.width == 263 && image.height == 263 && image.channels == 1, "\(type): \(image.width)×\(image.height)")
            #expect(Self.cell(image, row: 0, column: 0, shows: values[0..<256]), "\(type): first cell")
            #expect(Self.cell(image, row: 7, column: 7, shows: values[(63 * 256)..<(64 * 256)]), "\(type): last cell")

            // ⌈√N⌉ columns: 10 samples are 4 to a row, in 3 rows.
            let ten = try PNGCodec.decode(try Self.sample([run, "--count", "10"], out: trained.file("\(type)-10.png")))
            #expect(ten.width == 4 * 32 + 3 && ten.height == 3 * 32 + 2, "\(type): \(ten.width)×\(ten.height)")
            let one = try Self.npy(try Self.sample([run, "--count", "1"], out: trained.file("\(type)-one.npy")))
            #expect(one.shape == [1, 1, 16, 16])

            #expect(try resultFiles(run) == before, "\(type): sampling changed the run folder")
        }
        // Nothing but the files asked for, no temporary file left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: trained.out).allSatisfy { !$0.hasPrefix(".") })
    }

    /// A conditional VAE reconstructs each test image with its own label, so an image's
    /// reconstruction does not depend on where it stands in the request (with labels i mod K,
    /// test image 5 alone was decoded as class 0 and second in a list as class 1), and an
    /// interpolation starts at its first image's reconstruction.
    @Test func aConditionalVAEReconstructsWithEachImagesOwnLabel() throws {
        let trained = try Trained("""
            { "name": "cvae", "data": { "dataset": "sprites", "size": 16, "train_size": 128, "test_size": 64 },
              "model": { "type": "vae", "latent": 3, "conditioning": true,
                         "encoder": [ { "dense": 32, "activation": "relu" } ], "decoder": [ { "dense": 32, "activation": "relu" } ] },
              "training": { "epochs": 2, "batch": 32 }, "report": { "grids": [] } }
            """, name: "cvae")
        defer { trained.scratch.clean() }
        let run = try #require(trained.runs["vae"])
        let list = try Self.npy(try Self.sample([run, "--reconstruct", "0,5,63"], out: trained.file("list.npy"))).values
        let alone = try Self.npy(try Self.sample([run, "--reconstruct", "5"], out: trained.file("alone.npy"))).values
        let last = try Self.npy(try Self.sample([run, "--reconstruct", "63,0"], out: trained.file("last.npy"))).values
        // [2, K, 1, 16, 16]: originals, then reconstructions.
        let fiveKept = list[(4 * 256)..<(5 * 256)].elementsEqual(alone[256..<512])
        let lastKept = list[(5 * 256)..<(6 * 256)].elementsEqual(last[(2 * 256)..<(3 * 256)])
        #expect(fiveKept, "test image 5's reconstruction moved with its place")
        #expect(lastKept, "test image 63's reconstruction moved with its place")
        let path = try Self.npy(try Self.sample([run, "--interpolate", "5:63", "--steps", "3"], out: trained.file("path.npy"))).values
        #expect(zip(path[0..<256], alone[256..<512]).allSatisfy { abs($0 - $1) < 1e-5 }, "the path does not start at image 5's reconstruction")
    }

    @Test func reconstructionsAndInterpolationsOfTheEncoders() throws {
        let trained = try Trained(EvaluateCommandTests.images, name: "models")
        defer { trained.scratch.clean() }
        for type in ["vae", "vae-gan"] {
            let run = try #require(trained.runs[type])
            // Reconstructions: [2, K, C, H, W], originals then reconstructions; the PNG has the
            // originals' row above the reconstructions' row.
            let raw = try Self.sample([run, "--reconstruct", "0,5,63"], out: trained.file("\(type)-rec.npy"))
            let (shape, values) = try Self.npy(raw)
            #expect(shape == [2, 3, 1, 16, 16], "\(type)")
            #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
            let (tensorShape, tensorValues, metadata) = try Self.safetensors(
                try Self.sample([run, "--reconstruct", "0,5,63"], out: trained.file("\(type)-rec.safetensors")))
            #expect(tensorShape == shape && tensorValues == values)
            #expect(metadata["indices"] == "0,5,63" && metadata["kind"] == "reconstructions", "\(metadata)")
            let png = try PNGCodec.decode(try Self.sample([run, "--reconstruct", "0,5,63"], out: trained.file("\(type)-rec.png")))
            #expect(png.width == 3 * 32 + 2 && png.height == 2 * 32 + 1, "\(type): \(png.width)×\(png.height)")
            for k in 0..<3 {
                #expect(Self.cell(png, row: 0, column: k, shows: values[(k * 256)..<((k + 1) * 256)]), "\(type): original \(k)")
                #expect(Self.cell(png, row: 1, column: k, shows: values[((3 + k) * 256)..<((4 + k) * 256)]), "\(type): reconstruction \(k)")
            }
            #expect(values[0..<256] != values[256..<512], "test images 0 and 5 are different images")

            // Interpolations: [T, C, H, W]; the PNG row shows test image I, the T steps, test image J.
            let linear = try Self.sample([run, "--interpolate", "0:5", "--steps", "5"], out: trained.file("\(type)-int.npy"))
            let path = try Self.npy(linear)
            #expect(path.shape == [5, 1, 16, 16])
            #expect(try Self.sample([run, "--interpolate", "0:5", "--steps", "5"], out: trained.file("\(type)-int.npy")) == linear)
            // Its ends decode the posterior means of the two images: their reconstructions.
            for (step, k) in [(0, 0), (4, 1)] {
                let end = path.values[(step * 256)..<((step + 1) * 256)], reconstruction = values[((3 + k) * 256)..<((4 + k) * 256)]
                #expect(zip(end, reconstruction).allSatisfy { abs($0 - $1) < 1e-4 }, "\(type): step \(step) is not reconstruction \(k)")
            }
            let spherical = try Self.sample([run, "--interpolate", "0:5", "--steps", "5", "--spherical"], out: trained.file("\(type)-slerp.npy"))
            #expect(spherical != linear, "\(type): slerp gave the linear path")
            let row = try PNGCodec.decode(try Self.sample([run, "--interpolate", "0:5", "--steps", "5"], out: trained.file("\(type)-int.png")))
            #expect(row.width == 7 * 32 + 6 && row.height == 32, "\(type): \(row.width)×\(row.height)")
            #expect(Self.cell(row, row: 0, column: 0, shows: values[0..<256]), "\(type): test image 0 first")
            #expect(Self.cell(row, row: 0, column: 6, shows: values[256..<512]), "\(type): test image 5 last")
            for step in 0..<5 {
                #expect(Self.cell(row, row: 0, column: 1 + step, shows: path.values[(step * 256)..<((step + 1) * 256)]))
            }
            let defaults = try Self.safetensors(try Self.sample([run, "--interpolate", "3:3"], out: trained.file("\(type)-int.safetensors")))
            #expect(defaults.shape == [10, 1, 16, 16] && defaults.metadata["interpolation"] == "linear")
        }
    }

    @Test func pointSamplesOfAGANOnTheRing() throws {
        let trained = try Trained(EvaluateCommandTests.ring, name: "ring")
        defer { trained.scratch.clean() }
        let run = try #require(trained.runs["gan"])
        let png = try Self.sample([run, "--count", "1000"], out: trained.file("ring.png"))
        #expect(try Self.sample([run, "--count", "1000"], out: trained.file("ring.png")) == png)
        let image = try PNGCodec.decode(png)
        #expect(image.width == 512 && image.height == 512 && image.channels == 3)
        #expect(try Self.sample([run, "--count", "1000", "--seed", "7"], out: trained.file("ring-7.png")) != png)

        let raw = try Self.sample([run, "--count", "300"], out: trained.file("ring.npy"))
        let (shape, values) = try Self.npy(raw)
        #expect(shape == [300, 2] && values.allSatisfy(\.isFinite))
        let tensors = try Self.safetensors(try Self.sample([run, "--count", "300"], out: trained.file("ring.safetensors")))
        #expect(tensors.shape == [300, 2] && tensors.values == values)
        #expect(tensors.metadata["count"] == "300" && tensors.metadata["seed"] == "0")
        #expect(try Self.sample([run, "--count", "300"], out: trained.file("ring.npy")) == raw)
        #expect(try Self.npy(try Self.sample([run, "--count", "300", "--seed", "1"], out: trained.file("ring-1.npy"))).values != values)
    }

    /// A one-run experiment that diverges in its first steps (lr 1e30).
    static let diverging = """
        {
          "name": "diverging",
          "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
          "model": { "type": "vae", "latent": 2, "encoder": [ { "dense": 16, "activation": "relu" } ],
                     "decoder": [ { "dense": 16, "activation": "relu" } ] },
          "training": { "epochs": 2, "batch": 32, "optimizer": { "type": "adam", "lr": 1e30 } }
        }
        """

    /// A one-run experiment long enough to be stopped in the middle, saved after every step.
    static let long = """
        {
          "name": "long",
          "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
          "model": { "type": "vae", "latent": 2, "encoder": [ { "dense": 16, "activation": "relu" } ],
                     "decoder": [ { "dense": 16, "activation": "relu" } ] },
          "training": { "epochs": 500, "batch": 32, "checkpoint_steps": 1 }
        }
        """

    /// The run folder of a one-run experiment trained (or stopped) into `results`.
    static func onlyRun(_ results: String, _ name: String) throws -> String {
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: "\(results)/\(name)/runs")) ?? []
        try #require(runs.count == 1, "\(name): \(runs)")
        return "\(results)/\(name)/runs/\(runs[0])"
    }

    @Test func badInputIsRefusedAndWritesNothing() throws {
        let trained = try Trained(EvaluateCommandTests.images, name: "models")
        defer { trained.scratch.clean() }
        let (vae, gan, vaeGAN) = (try #require(trained.runs["vae"]), try #require(trained.runs["gan"]), try #require(trained.runs["vae-gan"]))
        let vaeID = PathText.lastComponent(vae)
        let bad = trained.scratch.results("bad")

        // Copies of the VAE's folder: under another name, without a checkpoint, with another run's checkpoint.
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: bad + "/empty", withIntermediateDirectories: true)
        try fileManager.copyItem(atPath: vae, toPath: bad + "/000000000000")
        for name in ["nocheckpoint", "foreign"] {
            try fileManager.createDirectory(atPath: "\(bad)/\(name)/runs", withIntermediateDirectories: true)
            try fileManager.copyItem(atPath: vae, toPath: "\(bad)/\(name)/runs/\(vaeID)")
        }
        try fileManager.removeItem(atPath: "\(bad)/nocheckpoint/runs/\(vaeID)/checkpoint.safetensors")
        try fileManager.removeItem(atPath: "\(bad)/foreign/runs/\(vaeID)/checkpoint.safetensors")
        try fileManager.copyItem(atPath: vaeGAN + "/checkpoint.safetensors", toPath: "\(bad)/foreign/runs/\(vaeID)/checkpoint.safetensors")

        // A diverged run, and a run stopped in the middle of training (its checkpoint from before the end).
        let other = try SweepScratch(Self.diverging)
        defer { other.clean() }
        #expect(try Genlab.run(["run", other.file, "--results", bad, "--jobs", "1", "--quiet"]).status == 1)
        let diverged = try Self.onlyRun(bad, "diverging")
        try Self.long.write(toFile: other.file, atomically: true, encoding: .utf8)
        let stopping = try BackgroundGenlab(["run", other.file, "--results", bad, "--jobs", "1", "--quiet"])
        for _ in 0..<3000 where stopping.process.isRunning {
            let runs = (try? fileManager.contentsOfDirectory(atPath: bad + "/long/runs")) ?? []
            if let run = runs.first, fileManager.fileExists(atPath: "\(bad)/long/runs/\(run)/checkpoint.safetensors") { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stopping.process.terminate()
        let stopped = stopping.wait()
        #expect(stopped.status == 128 + SIGTERM, "\(stopped.stdout)\(stopped.stderr)")
        let partial = try Self.onlyRun(bad, "long")

        // An existing output file is kept as it is when sampling fails.
        let kept = trained.file("kept.png")
        try "not replaced".write(toFile: kept, atomically: true, encoding: .utf8)
        let runsBefore = try resultFiles(trained.scratch.results("r")), badBefore = try resultFiles(bad)
        let png = trained.file("x.png")
        let cases: [(arguments: [String], says: String)] = [
            ([bad + "/missing", "--out", png], "missing: expected a run folder results/<name>/runs/<run-id>"),
            ([bad + "/empty", "--out", png], "empty/spec.json: expected the run's spec.json"),
            ([bad + "/000000000000", "--out", png], "expected the spec of run 000000000000 (the folder's name), found the spec of run \(vaeID)"),
            (["\(bad)/nocheckpoint/runs/\(vaeID)", "--out", png], "checkpoint.safetensors: no checkpoint"),
            (["\(bad)/foreign/runs/\(vaeID)", "--out", png], "checkpoint.safetensors: checkpoint not usable"),
            ([diverged, "--out", png], #"final.json: status: expected "completed" (a run that finished training), found "diverged""#),
            ([partial, "--out", png], "of 500, not the end of training"),
            ([vae, "--out", trained.file("x.jpg")], "--out: expected a file ending in .png, .safetensors or .npy, found"),
            ([vae, "--out", trained.file("x")], "which has no extension"),
            ([vae, "--out", trained.file("no/such/folder.png")], "--out: expected a file in an existing folder"),
            ([vae, "--reconstruct", "99", "--out", kept], "found 99"),  // an existing file stays as it is
            ([vae, "--count", "0", "--out", png], "--count: expected an integer from 1 to 100000, found 0"),
            ([vae, "--count", "100001", "--out", png], "--count: expected an integer from 1 to 100000, found 100001"),
            ([gan, "--reconstruct", "0", "--out", png], "--reconstruct: expected a run of a model with an encoder (vae, vae-gan), found a gan"),
            ([gan, "--interpolate", "0:1", "--out", png], "--interpolate: expected a run of a model with an encoder (vae, vae-gan), found a gan"),
            ([vae, "--reconstruct", "0,64", "--out", png], "--reconstruct: expected test image indices from 0 to 63 (the run's test split has 64), found 64"),
            ([vaeGAN, "--interpolate", "64:0", "--out", png], "--interpolate: expected test image indices from 0 to 63"),
            ([vae, "--reconstruct", "0,,1", "--out", png], "--reconstruct: expected test image indices I,J,…"),
            ([vae, "--interpolate", "0-1", "--out", png], "--interpolate: expected two test image indices I:J"),
            ([vae, "--interpolate", "0:1", "--steps", "1", "--out", png], "--steps: expected an integer from 2 to 32, found 1"),
            ([vae, "--interpolate", "0:1", "--steps", "33", "--out", png], "--steps: expected an integer from 2 to 32, found 33"),
            ([vae, "--steps", "5", "--out", png], "--steps: expected --steps only with --interpolate"),
            ([vae, "--reconstruct", "0", "--interpolate", "0:1", "--out", png], "expected either --reconstruct or --interpolate"),
            ([vae, "--reconstruct", "0", "--seed", "3", "--out", png], "--seed: expected no --seed with --reconstruct"),
        ]
        for (arguments, says) in cases {
            let result = try Genlab.run(["sample"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(says), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): more than one line: \(result.stderr)")
            #expect(!result.stderr.contains("Backtrace"), "\(arguments) crashed")
            #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
        }
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "not replaced")
        #expect(try fileManager.contentsOfDirectory(atPath: trained.out) == ["kept.png"], "a refused sample wrote a file")
        #expect(try resultFiles(trained.scratch.results("r")) == runsBefore, "a refused sample changed a run")
        #expect(try resultFiles(bad) == badBefore, "a refused sample changed a run")
    }
}
