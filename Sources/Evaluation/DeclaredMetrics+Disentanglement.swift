import Data
import Models
import NN
import Spec

// Dimension letters: N points, D data size, Z latent.

extension MetricContext {
    /// `mig` on `sprites`: as disentanglement_lib's `compute_mig`, `points` factor combinations are
    /// drawn uniformly (with replacement) from all 737,280 — not only the test split — by the
    /// metric's stream, rendered at the data's size, encoded to posterior means and discretised
    /// into `bins` bins per dimension; the factors are the integer levels of shape, scale,
    /// orientation, posX and posY. Rendered `maxBatch`-sized chunks at a time (memory stays small).
    func mutualInformationGap(points: Int, bins: Int, rng: inout RandomStream) -> JSONObject {
        guard let encoder = model as? any EncodingModel, data.exampleShape.count == 3 else {
            preconditionFailure("mig is validated to need an encoder and sprites")
        }
        let size = data.exampleShape[2], pixels = size * size, z = encoder.latent, chunk = 256
        var indices = [Int](repeating: 0, count: points)
        for i in 0..<points { indices[i] = rng.nextInt(below: SpriteFactors.combinationCount) }
        var factors = [Int](repeating: 0, count: points * SpriteFactors.levelCounts.count)   // (N, 5)
        var codes = [Float](repeating: 0, count: points * z)                                 // (N, Z)
        var bytes = [UInt8](repeating: 0, count: chunk * pixels)
        var images = [Float](repeating: 0, count: chunk * pixels)                            // (chunk, D)
        var start = 0
        while start < points {
            let n = min(chunk, points - start)
            for i in 0..<n {
                let index = indices[start + i]
                for (f, level) in SpriteFactors(factorIndex: index).levels.enumerated() { factors[(start + i) * 5 + f] = level }
                bytes.withUnsafeMutableBufferPointer {
                    SpritesRenderer.render(factorIndex: index, size: size, into: UnsafeMutableBufferPointer(rebasing: $0[(i * pixels)..<((i + 1) * pixels)]))
                }
            }
            // As `ByteImageDataset` reads them: b / 255.
            for j in 0..<(n * pixels) { images[j] = Float(bytes[j]) / 255 }
            RunFigures.fromUnitRange(&images, to: model)
            codes.withUnsafeMutableBufferPointer { encoder.encodeMean(images, count: n, into: $0.baseAddress! + start * z) }
            start += n
        }
        let result = MutualInformationGap.estimate(codes: codes, count: points, dimension: z, factors: factors,
                                                   factorCount: SpriteFactors.levelCounts.count, bins: bins)
        let perFactor = zip(SpriteFactors.names, result.perFactor).map { ($0, JSONValue.finite($1)) }
        return ["value": JSONValue.finite(result.mig), "per_factor": .object(JSONObject(pairs: perFactor)),
                "points": .int(Int64(points))]
    }
}
