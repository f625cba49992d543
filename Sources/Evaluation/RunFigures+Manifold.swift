import Formats
import Report

extension FigureContext {
    /// Rows and columns of `manifold.png`.
    static let manifoldSize = 20

    /// `manifold.png` (latent of two dimensions): images decoded from a 20×20 grid of codes
    /// (z₁, z₂) = (F⁻¹(p_c), F⁻¹(1 − p_r)) with p_k = (k + ½)/20, F the prior's distribution
    /// function (Φ for N(0, 1): codes from −1.96 to 1.96) — evenly spaced in probability, as in
    /// Kingma & Welling (2014), figure 4. z₁ grows to the right, z₂ upwards. Drawn at scale 1.
    func manifold() throws -> PixelImage {
        precondition(model.latent == 2, "a manifold needs a two-dimensional latent, not \(model.latent)")
        let n = Self.manifoldSize
        let quantiles = (0..<n).map { priorQuantile((Double($0) + 0.5) / Double(n)) }
        var codes = [Float]()                                                 // (n·n, 2)
        for r in 0..<n {
            for c in 0..<n { codes += [quantiles[c], quantiles[n - 1 - r]] }
        }
        let (channels, height, width) = imageShape
        return try grid(columns: n, scale: 1).compose(decode(codes, count: n * n), count: n * n,
                                                      channels: channels, height: height, width: width)
    }
}
