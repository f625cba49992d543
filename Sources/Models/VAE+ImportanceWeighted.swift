// Dimensions: N batch, k samples per example, Z latent, D data.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NN

/// Training on the importance-weighted bound (Burda et al. 2016, "Importance weighted
/// autoencoders"): per example, k codes z_s = μ + σ ε_s and
///
///     L = −log (1/k) Σ_s w_s,   log w_s = log p(x|z_s) + log p(z_s) − log q(z_s|x),
///
/// whose gradient is −Σ_s w̃_s ∇ log w_s with the normalised weights w̃_s = w_s / Σ w. The
/// decoder runs on all N·k codes at once (rows i·k + s). With k = 1 this is the ELBO with a
/// one-sample KL. Logs the bound (`loss`), the mean −log p(x|z_s) over the k codes (`recon`) and
/// the closed-form KL.
extension VAE {
    func importanceWeightedStep(_ x: UnsafePointer<Float>, batch n: Int, totals: UnsafeMutablePointer<Double>) {
        let k = importanceSamples, rows = n * k, z2 = 2 * latent
        encoder.zeroGradients()
        decoder.zeroGradients()

        // (1) Encode; k codes per example.
        let stats = encoder.forward(x, batch: n, mode: .training)                  // (N, 2Z)
        noise.fillNormal(UnsafeMutableBufferPointer(start: epsilon.pointer, count: rows * latent))
        let e = epsilon.pointer, codes = z.pointer
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        for r in 0..<rows {
            let s = stats + (r / k) * z2
            var logPrior = 0.0, logPosterior = 0.0
            for d in 0..<latent {
                let sigma = expf(0.5 * s[latent + d]), value = s[d] + sigma * e[r * latent + d]
                codes[r * latent + d] = value
                logPrior -= 0.5 * Double(value) * Double(value) + halfLog2Pi
                logPosterior -= 0.5 * Double(e[r * latent + d]) * Double(e[r * latent + d]) + halfLog2Pi + 0.5 * Double(s[latent + d])
            }
            logWeights[r] = logPrior - logPosterior
        }

        // (2) −log p(x|z_s) and its gradient per row (unweighted for now).
        let output = decoder.forward(codes, batch: rows, mode: .training)          // (N·k, D)
        var recon = 0.0, bound = 0.0
        for r in 0..<rows {
            let nll = reconstruction(output + r * dataSize, x + (r / k) * dataSize, count: dataSize,
                                     gradient: dOutput.pointer + r * dataSize, scale: 1)
            recon += nll
            logWeights[r] -= nll
        }

        // (3) Normalised weights w̃ (in place of the log-weights), the bound, and the decoder's
        // rows scaled by w̃ / N.
        for i in 0..<n {
            let w = logWeights.baseAddress! + i * k
            var largest = -Double.infinity
            for s in 0..<k { largest = max(largest, w[s]) }
            var sum = 0.0
            for s in 0..<k { sum += exp(w[s] - largest) }
            let logSum = largest + log(sum)
            bound += logSum - log(Double(k))
            for s in 0..<k { w[s] = exp(w[s] - logSum) }
        }
        for r in 0..<rows {
            let factor = Float(logWeights[r]) / Float(n), g = dOutput.pointer + r * dataSize
            for p in 0..<dataSize { g[p] *= factor }
        }
        let dz = decoder.backward(dOutput.pointer, batch: rows, inputGradient: true)!  // (N·k, Z)

        // (4) ∂/∂z of −log p(z_s) (weighted), then the reparameterisation path into [μ | log σ²];
        // log q(z_s|x) contributes −½ per dimension to ∂/∂log σ² and nothing to ∂/∂μ (its
        // dependence through z_s cancels its direct one), i.e. −½ · Σ_s w̃_s / N.
        let g = dStats.pointer
        g.update(repeating: 0, count: n * z2)
        for r in 0..<rows {
            let i = r / k, s = stats + i * z2, weight = Float(logWeights[r]) / Float(n)
            for d in 0..<latent {
                let grad = dz[r * latent + d] + weight * codes[r * latent + d]
                g[i * z2 + d] += grad
                g[i * z2 + latent + d] += grad * e[r * latent + d] * 0.5 * expf(0.5 * s[latent + d])
            }
        }
        for i in 0..<n { for d in 0..<latent { g[i * z2 + latent + d] -= 0.5 / Float(n) } }
        encoder.backward(g, batch: n)
        update()

        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: n, latent: latent, gradient: nil)
        totals[0] -= bound
        totals[1] += recon / Double(k)
        totals[2] += kl
    }
}
