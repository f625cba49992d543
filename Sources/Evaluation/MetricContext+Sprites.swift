import Data
import Models
import NN

// Dimension letters: N points, K = 5 factors, D data size, Z latent.

extension MetricContext {
    /// `sprites`' ground truth for the disentanglement metrics: factor vectors (N, K) of integer
    /// levels (shape, scale, orientation, posX, posY) are rendered at the data's size, scaled as
    /// `ByteImageDataset` reads them (b / 255) and then into the model's input range, and encoded
    /// to posterior means (N, Z), 256 at a time (memory stays at one chunk of images). A VAE
    /// conditioned on the sprites' labels, their shapes, is given each image's shape (factor 0),
    /// as its encoder q(z | x, y) needs; the scores then say how z holds the other factors.
    func spriteGroundTruth() -> GroundTruth {
        guard let encoder = model as? any EncodingModel, data.exampleShape.count == 3 else {
            preconditionFailure("disentanglement metrics are validated to need an encoder and sprites")
        }
        let size = data.exampleShape[2], pixels = size * size, z = encoder.latent, chunk = 256
        let model = self.model, conditional = model.conditionedClasses > 0
        let factorCount = SpriteFactors.levelCounts.count
        return GroundTruth(levelCounts: SpriteFactors.levelCounts, dimension: z) { factors, count in
            var codes = [Float](repeating: 0, count: count * z)                 // (N, Z)
            var bytes = [UInt8](repeating: 0, count: min(chunk, count) * pixels)
            var images = [Float](repeating: 0, count: min(chunk, count) * pixels) // (chunk, D)
            var start = 0
            while start < count {
                let n = min(chunk, count - start)
                bytes.withUnsafeMutableBufferPointer { bytes in
                    for i in 0..<n {
                        SpritesRenderer.render(factorIndex: GroundTruth.combinationIndex(factors, row: start + i, levelCounts: SpriteFactors.levelCounts), size: size,
                                               into: UnsafeMutableBufferPointer(rebasing: bytes[(i * pixels)..<((i + 1) * pixels)]))
                    }
                }
                for j in 0..<(n * pixels) { images[j] = Float(bytes[j]) / 255 }
                RunFigures.fromUnitRange(&images, to: model)
                let shapes = conditional ? (0..<n).map { Int32(factors[(start + $0) * factorCount]) } : nil
                codes.withUnsafeMutableBufferPointer {
                    encoder.encodeMean(images, classLabels: shapes, count: n, into: $0.baseAddress! + start * z)
                }
                start += n
            }
            return codes
        }
    }
}
