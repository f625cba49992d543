import Data
import Formats
import Foundation
import Models
import NN
import Report
import RunStore
import Spec

// Dimension letters: N samples, K requested images, T steps, Z latent, D example size (C·H·W or 2).

/// `genlab sample`: draws from a finished run's model, restored from its final checkpoint
/// (`FinishedModel`), into one file — prior samples, or for a model with an encoder the
/// reconstructions or an interpolation of test images (`SampleRequest`) — as a PNG, a safetensors
/// or a `.npy` file (`SampleFormat`).
///
/// Values are what the figures show: decoded means, images mapped to [0, 1] as the figures map
/// them (`RunFigures.toUnitRange`) and clipped to it (a Gaussian decoder's means may leave it),
/// 2-D points as decoded. Deterministic: prior noise comes from `RandomStream(seed:, purpose:
/// "sample")` and the model is only evaluated, so one command gives the same bytes every time
/// (in a process with the workers' OpenBLAS kernel, as for the figures).
///
/// Refused as bad input (`SpecError`, `FinishedModelError`; nothing written): a folder that is not
/// a run folder, a `spec.json` of another run than the folder's name, a diverged run, a missing,
/// unusable or unfinished checkpoint, a request the model or data cannot answer, test indices
/// out of range.
public struct RunSampler {
    public let folder: RunFolder
    /// The run, read back from the folder's `spec.json`.
    public let run: RunSpec
    let catalog: DataCatalog

    /// Examples decoded at a time, so a large request holds one chunk of scratch besides its output.
    static let chunk = 1024
    /// Images per row of a reconstructions PNG, as in `reconstructions.png`.
    static let reconstructionColumns = 8
    /// What a run folder is, for messages.
    static let expectedFolder = "a run folder results/<name>/runs/<run-id> with its spec.json and checkpoint"

    /// What `write` did, for the command's one line.
    public struct Written: Sendable {
        /// The tensor's shape ([N, C, H, W], [N, 2], [2, K, C, H, W] or [T, C, H, W]).
        public var shape: [Int]
        /// E.g. `64 prior samples of run 3f1c0b2a9d4e (seed 0)`.
        public var contents: String
        /// Width and height of a PNG; nil for the other formats.
        public var pixels: (width: Int, height: Int)?
    }

    /// Reads and checks the run folder at `path`; loads nothing yet.
    /// - Throws: `SpecError` when `path` is not a run folder, its `spec.json` is missing, invalid or
    ///   another run's, or the run diverged or is damaged; file errors from reading.
    public init(runFolder path: String, catalog: DataCatalog? = nil) throws {
        let folder = RunFolder(path: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            throw SpecError(file: folder.path, path: "", expected: Self.expectedFolder, found: "no such folder")
        }
        guard isDirectory.boolValue else {
            throw SpecError(file: folder.path, path: "", expected: Self.expectedFolder, found: "a file")
        }
        guard FileManager.default.fileExists(atPath: folder.spec) else {
            throw SpecError(file: folder.spec, path: "", expected: "the run's spec.json (written when the run starts)",
                            found: "no such file; is \(folder.path) a run folder?")
        }
        let text = String(decoding: try FileSystem.read(folder.spec), as: UTF8.self)
        let run = try ExperimentLoader.parseRun(text: text, file: folder.spec,
                                                experiment: PathText.lastComponent(folder.experimentFolder))
        guard run.id == folder.runID else {
            throw SpecError(file: folder.spec, path: "", expected: "the spec of run \(folder.runID) (the folder's name)",
                            found: "the spec of run \(run.id)")
        }
        switch folder.training {
        case nil:
            break  // An unfinished run is judged by its checkpoint (`FinishedModel`).
        case .success(let record)? where record.ending == .completed:
            break
        case .success?:
            throw SpecError(file: folder.final, path: "status", expected: "\"completed\" (a run that finished training)",
                            found: "\"diverged\": the run stopped when its loss diverged, so it has no trained model")
        case .failure(let problem)?:
            throw SpecError(file: folder.final, path: "", expected: "the run's training record",
                            found: "a final.json that \(problem.phrase) (genlab run restores a damaged run)")
        }
        self.folder = folder
        self.run = run
        self.catalog = catalog ?? DataCatalog(resultsRoot: PathText.parent(folder.experimentFolder))
    }

    /// Draws `request` and writes it to `path` as `format`, atomically: an existing file is only
    /// replaced on success, and nothing else is written.
    /// - Throws: `SpecError` for a request the run cannot answer or an output path in no folder,
    ///   `FinishedModelError` for a missing, unusable or unfinished checkpoint (both before
    ///   anything is drawn); file errors from writing.
    @discardableResult
    public func write(_ request: SampleRequest, format: SampleFormat, to path: String) throws -> Written {
        try Self.checkOutput(path)
        try check(request)
        let data = try catalog.splits(for: run.data, file: folder.spec)
        try check(request, testCount: data.test.count)
        let finished = try FinishedModel(run: run, folder: folder, catalog: catalog)
        guard let model = finished.model as? any GeneratingModel else {
            preconditionFailure("every model generates")
        }
        let drawing = Drawing(model: model, run: run, data: data)
        let shape = drawing.shape(of: request)
        var written = Written(shape: shape, contents: describe(request), pixels: nil)
        switch format {
        case .png:
            let image = try drawing.picture(of: request)
            written.pixels = (image.width, image.height)
            try AtomicFile.write(try PNGCodec.encode(image), to: path)
        case .safetensors:
            let header = try SafeTensors.header(tensors: [("samples", .f32, shape)], metadata: metadata(of: request))
            try AtomicFile.write(try drawing.file(of: request, header: header), to: path)
        case .npy:
            try AtomicFile.write(try drawing.file(of: request, header: NPYFile.header(shape: shape)), to: path)
        }
        return written
    }

    // MARK: - Checks

    /// `path` must name a file (not a folder) in an existing folder.
    static func checkOutput(_ path: String) throws(SpecError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SpecError(file: "command line", path: "--out", expected: "a file to write", found: "\(JSONWriter.quoted(path)), a folder")
        }
        let parent = PathText.parent(path).isEmpty ? "." : PathText.parent(path)
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SpecError(file: "command line", path: "--out", expected: "a file in an existing folder",
                            found: "\(JSONWriter.quoted(path)), whose folder \(parent) does not exist")
        }
    }

    /// Whether the run's model and data can answer `request`, from its spec alone.
    func check(_ request: SampleRequest) throws(SpecError) {
        if case .prior = request { return }
        if case .gan = run.model {
            throw SpecError(file: "command line", path: request.option,
                            expected: "a run of a model with an encoder (vae, vae-gan)",
                            found: "a gan, which has no encoder to map test images to codes")
        }
        if run.data.dataset == .ring || run.data.dataset == .grid {
            throw SpecError(file: "command line", path: request.option, expected: "a run on image data",
                            found: "2-D points (\(run.data.dataset.rawValue))")
        }
    }

    /// Test indices must lie in the test split.
    func check(_ request: SampleRequest, testCount: Int) throws(SpecError) {
        let indices: [Int]
        switch request {
        case .prior: return
        case .reconstructions(let list): indices = list
        case let .interpolation(from, to, _, _): indices = [from, to]
        }
        guard let bad = indices.first(where: { $0 >= testCount }) else { return }
        throw SpecError(file: "command line", path: request.option,
                        expected: testCount == 0 ? "a test image, but the run's test split is empty"
                            : "test image indices from 0 to \(testCount - 1) (the run's test split has \(testCount))",
                        found: "\(bad)")
    }

    // MARK: - Descriptions

    /// The safetensors metadata: the run, and what the tensor holds.
    func metadata(of request: SampleRequest) -> [String: String] {
        var metadata = ["run_id": run.id]
        switch request {
        case let .prior(count, seed):
            metadata["kind"] = "samples"
            metadata["count"] = String(count)
            metadata["seed"] = String(seed ?? run.seed)
            metadata["stream"] = "sample"
        case .reconstructions(let indices):
            metadata["kind"] = "reconstructions"
            metadata["count"] = String(indices.count)
            metadata["indices"] = indices.map(String.init).joined(separator: ",")
            metadata["layout"] = "[originals, reconstructions]"
        case let .interpolation(from, to, steps, kind):
            metadata["kind"] = "interpolation"
            metadata["count"] = String(steps)
            metadata["from"] = String(from)
            metadata["to"] = String(to)
            metadata["interpolation"] = kind.rawValue
        }
        return metadata
    }

    func describe(_ request: SampleRequest) -> String {
        switch request {
        case let .prior(count, seed):
            return "\(count) prior sample\(count == 1 ? "" : "s") of run \(run.id) (seed \(seed ?? run.seed))"
        case .reconstructions(let indices):
            return "\(indices.count) test image\(indices.count == 1 ? "" : "s") of run \(run.id) and their reconstructions"
        case let .interpolation(from, to, steps, kind):
            return "\(steps) steps of run \(run.id) from test image \(from) to \(to) (\(kind.rawValue))"
        }
    }
}

/// Drawing a request from a loaded model.
private struct Drawing {
    let model: any GeneratingModel
    let run: RunSpec
    let data: DataSplits
    var test: any Dataset { data.test }
    var images: Bool { data.exampleShape.count == 3 }

    /// [N] + example shape, [2, K] + example shape, or [T] + example shape.
    func shape(of request: SampleRequest) -> [Int] {
        switch request {
        case .prior(let count, _): return [count] + data.exampleShape
        case .reconstructions(let indices): return [2, indices.count] + data.exampleShape
        case .interpolation(_, _, let steps, _): return [steps] + data.exampleShape
        }
    }

    /// `header` followed by the request's values as little-endian floats, written in place.
    func file(of request: SampleRequest, header: [UInt8]) throws -> [UInt8] {
        let total = shape(of: request).reduce(1, *)
        var bytes = [UInt8](repeating: 0, count: header.count + total * MemoryLayout<Float>.size)
        bytes.replaceSubrange(0..<header.count, with: header)
        var offset = header.count
        bytes.withUnsafeMutableBytes { raw in
            values(of: request) { chunk in
                let size = chunk.count * MemoryLayout<Float>.size
                UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + size)]).copyMemory(from: UnsafeRawBufferPointer(chunk))
                offset += size
            }
        }
        precondition(offset == bytes.count, "sample file: \(offset) of \(bytes.count) bytes filled")
        return bytes
    }

    /// The request's values, all of them.
    func allValues(of request: SampleRequest) -> [Float] {
        var all = [Float]()
        all.reserveCapacity(shape(of: request).reduce(1, *))
        values(of: request) { all += $0 }
        return all
    }

    /// The picture: a grid in the figures' style (`FigureContext.grid`) — prior samples ⌈√N⌉ to a
    /// row, reconstructions 8 to a row under their originals, an interpolation as one row between
    /// its two test images — or for 2-D points the scatter of `samples.png`.
    func picture(of request: SampleRequest) throws -> PixelImage {
        let values = allValues(of: request)
        if !images {
            guard let mixture = data.mixture else { preconditionFailure("2-D points come from a mixture") }
            return ScatterPlot.framing(modes: mixture.modes).render(points: values, modes: mixture.modes,
                                                                     modeRadius: 3 * mixture.sigma)
        }
        guard let context = FigureContext(model: model, run: run, data: data) else { preconditionFailure("every model generates") }
        let (channels, height, width) = context.imageShape
        switch request {
        case .prior(let count, _):
            return try context.grid(columns: Self.ceilingSquareRoot(count))
                .compose(values, count: count, channels: channels, height: height, width: width)
        case .reconstructions(let indices):
            let half = values.count / 2
            return try context.grid(columns: min(indices.count, RunSampler.reconstructionColumns))
                .composePairs(originals: Array(values[..<half]), reconstructions: Array(values[half...]),
                              count: indices.count, channels: channels, height: height, width: width)
        case let .interpolation(from, to, steps, _):
            let cells = gather([from]) + values + gather([to])
            return try context.grid(columns: steps + 2).compose(cells, count: steps + 2, channels: channels,
                                                                height: height, width: width)
        }
    }

    /// ⌈√n⌉ for n ≥ 1, in integers.
    static func ceilingSquareRoot(_ n: Int) -> Int {
        var root = Int(Double(n).squareRoot())
        while root * root < n { root += 1 }
        while root > 1, (root - 1) * (root - 1) >= n { root -= 1 }
        return root
    }

    // MARK: - Values

    /// The request's values in C order, handed to `consume` a chunk at a time.
    func values(of request: SampleRequest, consume: (UnsafeBufferPointer<Float>) -> Void) {
        let z = model.latent
        switch request {
        case let .prior(count, seed):
            var noise = RandomStream(seed: seed ?? run.seed, purpose: "sample")
            var codes = [Float](repeating: 0, count: count * z)                       // (N, Z)
            model.sampleLatent(into: &codes, count: count, rng: &noise)
            decode(codes, count: count, consume: consume)
        case .reconstructions(let indices):
            guard let encoder = model as? any EncodingModel else { preconditionFailure("reconstructions need an encoder") }
            for start in stride(from: 0, to: indices.count, by: RunSampler.chunk) {
                gather(Array(indices[start..<min(start + RunSampler.chunk, indices.count)])).withUnsafeBufferPointer(consume)
            }
            for start in stride(from: 0, to: indices.count, by: RunSampler.chunk) {
                let part = Array(indices[start..<min(start + RunSampler.chunk, indices.count)])
                let labels = conditioningLabels(part)   // a conditional VAE: each image's own class
                decode(encode(encoder, gather(part), labels: labels), count: part.count, labels: labels, consume: consume)
            }
        case let .interpolation(from, to, steps, kind):
            guard let encoder = model as? any EncodingModel else { preconditionFailure("interpolations need an encoder") }
            let labels = conditioningLabels([from, to])
            let ends = encode(encoder, gather([from, to]), labels: labels)              // (2, Z)
            let path = LatentInterpolation.path(from: Array(ends[..<z]), to: Array(ends[z...]), steps: steps, kind: kind)
            // A conditional VAE decodes the path in the class of `from`, as interpolations.png does.
            decode(path, count: steps, labels: labels.map { Array(repeating: $0[0], count: steps) }, consume: consume)
        }
    }

    /// Test images at `indices` as (K, D) floats in [0, 1].
    func gather(_ indices: [Int]) -> [Float] {
        var images = [Float](repeating: 0, count: indices.count * test.exampleSize)
        indices.withUnsafeBufferPointer { test.gather($0, into: &images) }
        return images
    }

    /// The test labels at `indices` for a conditional model (nil otherwise).
    func conditioningLabels(_ indices: [Int]) -> [Int32]? {
        guard model.conditionedClasses > 0, let labels = test.labels else { return nil }
        return indices.map { labels[$0] }
    }

    /// Posterior means (K, Z) of images (K, D) in [0, 1]; a conditional VAE's with `labels` (K).
    func encode(_ encoder: any EncodingModel, _ images: [Float], labels: [Int32]? = nil) -> [Float] {
        var inputs = images
        RunFigures.fromUnitRange(&inputs, to: encoder)
        let count = images.count / test.exampleSize
        var codes = [Float](repeating: 0, count: count * encoder.latent)
        encoder.encodeMean(inputs, classLabels: labels, count: count, into: &codes)
        return codes
    }

    /// Decodes codes (N, Z), `RunSampler.chunk` at a time: images mapped to [0, 1] and clipped,
    /// points as they are.
    /// A conditional model decodes code i with `labels[i]` when given (else class i mod K).
    func decode(_ codes: [Float], count: Int, labels: [Int32]? = nil, consume: (UnsafeBufferPointer<Float>) -> Void) {
        let z = model.latent, d = test.exampleSize
        var out = [Float](repeating: 0, count: min(count, RunSampler.chunk) * d)     // (chunk, D)
        for start in stride(from: 0, to: count, by: RunSampler.chunk) {
            let n = min(RunSampler.chunk, count - start)
            codes.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    if let labels, let conditional = model as? any ConditionalModel {
                        labels.withUnsafeBufferPointer {
                            conditional.decodeMean(c.baseAddress! + start * z, labels: $0.baseAddress! + start, count: n, into: o.baseAddress!)
                        }
                    } else {
                        model.decodeMean(c.baseAddress! + start * z, count: n, into: o.baseAddress!)
                    }
                }
            }
            if images {
                RunFigures.toUnitRange(&out, from: model)
                for i in 0..<(n * d) { out[i] = min(max(out[i], 0), 1) }
            }
            out.withUnsafeBufferPointer { consume(UnsafeBufferPointer(rebasing: $0[0..<(n * d)])) }
        }
    }
}
