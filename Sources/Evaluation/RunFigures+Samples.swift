import Formats
import NN
import Report

extension FigureContext {
    static let sampleCount = 64

    /// `samples.png`: 8×8 images decoded from 64 codes of the run's `samples` stream; for 2-D
    /// mixture data the 2,500 samples of `MixtureOutputs` as a scatter over the true modes (a
    /// conditional model's balanced over classes), titled and scored (`MixtureScatter`). A
    /// conditional model's image samples have a row per class (`conditionalSamples`).
    func samples() throws -> PixelImage {
        if let mixture = data.mixture {
            return MixtureScatter.figure(points: MixtureOutputs.samplePoints(model, run: run), mixture: mixture, run: run)
        }
        if classes > 0 { return try conditionalSamples() }
        let n = Self.sampleCount
        var noise = RandomStream(seed: run.seed, purpose: "samples")
        var codes = [Float](repeating: 0, count: n * model.latent)
        model.sampleLatent(into: &codes, count: n, rng: &noise)
        let (channels, height, width) = imageShape
        return try grid(columns: 8).compose(decode(codes, count: n), count: n, channels: channels, height: height, width: width)
    }
}
