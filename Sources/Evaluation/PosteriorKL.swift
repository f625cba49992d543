import Foundation

// Dimension letters: N codes, Z latent.

/// Per-dimension KL(q(z|x) ‖ N(0, 1)) of a diagonal-Gaussian posterior, averaged over examples:
/// which latent dimensions carry information (`traversals.png` orders its rows by it, and
/// `latent.png` plots the two largest).
package enum PosteriorKL {
    /// KL_i = mean over n of ½(μ² + σ² − log σ² − 1) for each dimension i (Kingma & Welling
    /// 2014, appendix B), from `stats` (N, 2Z) rows `[μ | log σ²]`. In Double.
    static func perDimension(_ stats: [Float], count: Int, latent: Int) -> [Double] {
        precondition(stats.count == count * 2 * latent, "\(stats.count) floats for \(count) posteriors of \(latent) dimensions")
        var sums = [Double](repeating: 0, count: latent)
        for n in 0..<count {
            let row = n * 2 * latent
            for i in 0..<latent {
                let mu = Double(stats[row + i]), logVariance = Double(stats[row + latent + i])
                sums[i] += 0.5 * (mu * mu + exp(logVariance) - logVariance - 1)
            }
        }
        return sums.map { $0 / Double(max(count, 1)) }
    }

    /// Dimension indices by KL, largest first; equal KLs (and NaN, last) by index.
    static func order(_ kl: [Double]) -> [Int] {
        kl.indices.sorted { i, j in
            let (a, b) = (kl[i].isNaN ? -Double.infinity : kl[i], kl[j].isNaN ? -Double.infinity : kl[j])
            return a != b ? a > b : i < j
        }
    }
}

