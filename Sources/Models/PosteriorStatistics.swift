#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NN

/// Per-dimension statistics of a Gaussian encoder over a data set: the activity of each latent
/// dimension, Cov_x(E_q[z_i]) (Burda et al. 2016 count a unit active when it exceeds 0.01), and
/// its mean KL(q(z_i | x) ‖ N(0, 1)) — the numbers behind "active units" and the order of the
/// latent traversals. Sums are in double precision, in example order.
public struct PosteriorStatistics: Sendable, Equatable {
    /// Variance over examples of each dimension's posterior mean (population variance).
    public var activity: [Double]
    /// Mean over examples of each dimension's KL to the prior (nats).
    public var kl: [Double]

    /// Dimensions whose activity exceeds `threshold`.
    public func activeUnits(threshold: Double = 0.01) -> Int { activity.filter { $0 > threshold }.count }

    /// Encodes `count` examples at `x` (each `dataSize` floats) with `encoder` (rows
    /// `[μ | log σ²]` of `latent` each) in evaluation mode, in batches of the network's maxBatch.
    public static func measure(encoder: Network, latent: Int, x: UnsafePointer<Float>, count: Int,
                               dataSize: Int) -> PosteriorStatistics {
        var stats = [Float](repeating: 0, count: count * 2 * latent)   // (N, 2Z)
        var start = 0
        while start < count {
            let n = min(encoder.maxBatch, count - start)
            let rows = encoder.forward(x + start * dataSize, batch: n, mode: .evaluation)
            for i in 0..<(n * 2 * latent) { stats[start * 2 * latent + i] = rows[i] }
            start += n
        }
        return stats.withUnsafeBufferPointer { PosteriorStatistics(posteriors: $0.baseAddress!, count: count, latent: latent) }
    }

    /// The statistics of `count` posterior rows `[μ | log σ²]` (count, 2Z), as a model's
    /// `encodePosterior` gives them (a conditional VAE's with each example's label).
    public init(posteriors stats: UnsafePointer<Float>, count: Int, latent: Int) {
        var sum = [Double](repeating: 0, count: latent)
        var squares = [Double](repeating: 0, count: latent)
        var kl = [Double](repeating: 0, count: latent)
        for i in 0..<count {
            for j in 0..<latent {
                let mean = Double(stats[i * 2 * latent + j]), logVariance = Double(stats[i * 2 * latent + latent + j])
                sum[j] += mean
                squares[j] += mean * mean
                kl[j] += 0.5 * (mean * mean + exp(logVariance) - logVariance - 1)
            }
        }
        let n = Double(max(count, 1))
        activity = (0..<latent).map { max(0, squares[$0] / n - (sum[$0] / n) * (sum[$0] / n)) }
        self.kl = kl.map { $0 / n }
    }
}
