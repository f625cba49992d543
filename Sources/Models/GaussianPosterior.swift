// Dimensions: N batch, Z latent, D data.
import NN

/// The diagonal-Gaussian posterior q(z|x) = N(μ, σ²) shared by the VAE and the VAE-GAN: encoder
/// rows are `[μ (Z) | log σ² (Z)]`, codes are drawn by reparameterisation (Kingma & Welling 2014,
/// §2.4) so gradients flow through μ and σ.
enum GaussianPosterior {
    /// z = μ + exp(½ log σ²) · ε for `batch` rows. stats (N, 2Z), epsilon (N, Z), z (N, Z).
    static func sample(_ stats: UnsafePointer<Float>, epsilon: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>,
                       batch: Int, latent: Int) {
        for n in 0..<batch {
            let row = n * 2 * latent
            for j in 0..<latent {
                z[n * latent + j] = stats[row + j] + _expHalf(stats[row + latent + j]) * epsilon[n * latent + j]
            }
        }
    }

    /// Adds the reparameterisation path of ∂L/∂z to ∂L/∂[μ | log σ²]:
    /// ∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε. dz (N, Z), dStats (N, 2Z).
    static func addGradient(_ dz: UnsafePointer<Float>, stats: UnsafePointer<Float>, epsilon: UnsafePointer<Float>,
                            into dStats: UnsafeMutablePointer<Float>, batch: Int, latent: Int) {
        for n in 0..<batch {
            let row = n * 2 * latent, zr = n * latent
            for j in 0..<latent {
                let sigma = _expHalf(stats[row + latent + j])
                dStats[row + j] += dz[zr + j]
                dStats[row + latent + j] += dz[zr + j] * epsilon[zr + j] * 0.5 * sigma
            }
        }
    }

    /// Posterior parameters `[μ | log σ²]` (count, 2Z) of data x (count, D), in evaluation mode.
    static func encodeStats(_ encoder: Network, _ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        encoder.evaluate(x, count: count, into: out)
    }

    /// Posterior means μ (count, Z) of data x (count, D), in evaluation mode, `encoder.maxBatch` at a time.
    static func encodeMeans(_ encoder: Network, _ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let latent = encoder.outputSize / 2, dataSize = encoder.inputSize
        var start = 0
        while start < count {
            let n = min(encoder.maxBatch, count - start)
            let stats = encoder.forward(x + start * dataSize, batch: n, mode: .evaluation)
            for i in 0..<n { (out + (start + i) * latent).update(from: stats + i * 2 * latent, count: latent) }
            start += n
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func _expHalf(_ logVariance: Float) -> Float { expf(0.5 * logVariance) }
