import Data
import Models
import NN
import Report
import Spec

/// The image grids of a finished run: `samples.png` (8×8 decoded from fixed prior noise, the run's
/// `samples` stream) and `reconstructions.png` (test images in rows above their reconstructions).
enum RunFigures {
    static let sampleCount = 64
    static let reconstructionCount = 32

    static func write(model: any GenerativeModel, run: RunSpec, test: any Dataset, folder: RunFolder) throws {
        let shape = test.exampleShape
        guard shape.count == 3, let generating = model as? any GeneratingModel else { return }
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let size = channels * height * width
        let grid = ImageGrid(columns: 8, spacing: 1, separatorColor: channels == 1 ? .gray(128) : .white, scale: height <= 32 ? 2 : 1)

        if run.report.grids.contains(.samples) {
            var noise = RandomStream(seed: run.seed, purpose: "samples")
            var codes = [Float](repeating: 0, count: sampleCount * generating.latent)
            generating.sampleLatent(into: &codes, count: sampleCount, rng: &noise)
            var images = [Float](repeating: 0, count: sampleCount * size)
            generating.decodeMean(codes, count: sampleCount, into: &images)
            toUnitRange(&images, from: generating)
            let image = try grid.compose(images, count: sampleCount, channels: channels, height: height, width: width)
            try AtomicFile.write(PNGCodec.encode(image), to: folder.figure("samples"))
        }

        if run.report.grids.contains(.reconstructions), let encoding = generating as? any EncodingModel {
            let n = min(reconstructionCount, test.count)
            let indices = Array(0..<n)
            var originals = [Float](repeating: 0, count: n * size)
            indices.withUnsafeBufferPointer { test.gather($0, into: &originals) }
            var inputs = originals
            fromUnitRange(&inputs, to: encoding)
            var codes = [Float](repeating: 0, count: n * encoding.latent)
            encoding.encodeMean(inputs, count: n, into: &codes)
            var reconstructions = [Float](repeating: 0, count: n * size)
            encoding.decodeMean(codes, count: n, into: &reconstructions)
            toUnitRange(&reconstructions, from: encoding)
            let image = try grid.composePairs(originals: originals, reconstructions: reconstructions, count: n,
                                              channels: channels, height: height, width: width)
            try AtomicFile.write(PNGCodec.encode(image), to: folder.figure("reconstructions"))
        }
    }

    /// Maps a model's image range back to [0, 1] for pictures.
    static func toUnitRange(_ images: inout [Float], from model: any GenerativeModel) {
        guard model.usesSymmetricImages else { return }
        for i in images.indices { images[i] = (images[i] + 1) * 0.5 }
    }

    /// Maps [0, 1] images into the range the model trains on.
    static func fromUnitRange(_ images: inout [Float], to model: any GenerativeModel) {
        guard model.usesSymmetricImages else { return }
        for i in images.indices { images[i] = images[i] * 2 - 1 }
    }
}
