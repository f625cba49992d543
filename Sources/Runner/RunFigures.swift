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
        guard shape.count == 3, let latentModel = model as? any LatentVariableModel else { return }
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let size = channels * height * width
        let grid = ImageGrid(columns: 8, spacing: 1, separatorColor: channels == 1 ? .gray(128) : .white, scale: height <= 32 ? 2 : 1)

        if run.report.grids.contains(.samples) {
            var noise = RandomStream(seed: run.seed, purpose: "samples")
            var codes = [Float](repeating: 0, count: sampleCount * latentModel.latent)
            for i in codes.indices { codes[i] = noise.nextNormal() }
            var images = [Float](repeating: 0, count: sampleCount * size)
            latentModel.decodeMean(codes, count: sampleCount, into: &images)
            let image = try grid.compose(images, count: sampleCount, channels: channels, height: height, width: width)
            try AtomicFile.write(PNGCodec.encode(image), to: folder.figure("samples"))
        }

        if run.report.grids.contains(.reconstructions) {
            let n = min(reconstructionCount, test.count)
            let indices = Array(0..<n)
            var originals = [Float](repeating: 0, count: n * size)
            indices.withUnsafeBufferPointer { test.gather($0, into: &originals) }
            var codes = [Float](repeating: 0, count: n * latentModel.latent)
            latentModel.encodeMean(originals, count: n, into: &codes)
            var reconstructions = [Float](repeating: 0, count: n * size)
            latentModel.decodeMean(codes, count: n, into: &reconstructions)
            let image = try grid.composePairs(originals: originals, reconstructions: reconstructions, count: n,
                                              channels: channels, height: height, width: width)
            try AtomicFile.write(PNGCodec.encode(image), to: folder.figure("reconstructions"))
        }
    }
}
