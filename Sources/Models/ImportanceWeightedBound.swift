#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NN

/// The importance-weighted bound on log p(x) (Burda et al. 2016) of a VAE:
/// log p̂(x) = log (1/k) Σᵢ p(x | zᵢ) p(zᵢ) / q(zᵢ | x), zᵢ ~ q(z | x). With k = 1 it is the ELBO
/// in expectation; it rises towards log p(x) as k grows. Each log-weight is summed in double
/// precision and the log-mean-exp is taken in double, as the definition needs at k = 1000.
extension VAE {
    /// −log p̂(x) (nats) of each of the `count` examples at `x` with `k` samples each, drawn from
    /// `rng`; a conditional VAE's bound is on log p(x | y), with the examples' `labels` (count)
    /// given to its encoder and decoder. Evaluation mode; changes nothing in the model. Allocates
    /// its scratch buffers.
    public func negativeImportanceWeightedBound(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>? = nil, count: Int, k: Int,
                                                rng: inout RandomStream) -> [Double] {
        precondition(k >= 1, "IWAE needs k ≥ 1")
        let labels = required(labels)
        let chunk = maxBatch
        var sampleLabels = [Int32](repeating: 0, count: labels == nil ? 0 : chunk)   // y of the example, per sample
        var stats = [Float](repeating: 0, count: 2 * latent)
        var epsilon = [Float](repeating: 0, count: chunk * latent)
        var codes = [Float](repeating: 0, count: chunk * latent)
        var targets = [Float](repeating: 0, count: chunk * dataSize)
        var logWeights = [Double](repeating: 0, count: k)
        var logPrior = [Double](repeating: 0, count: chunk), logPosterior = [Double](repeating: 0, count: chunk)
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        var result: [Double] = []
        for example in 0..<count {
            let row = x + example * dataSize
            if let labels { for j in 0..<chunk { sampleLabels[j] = labels[example] } }
            let encoded = encoder.forward(encoderInput(row, labels: labels.map { $0 + example }, count: 1), batch: 1, mode: .evaluation)
            for j in 0..<(2 * latent) { stats[j] = encoded[j] }
            for j in 0..<chunk { for d in 0..<dataSize { targets[j * dataSize + d] = row[d] } }
            var done = 0
            while done < k {
                let n = min(chunk, k - done)
                epsilon.withUnsafeMutableBufferPointer { rng.fillNormal(UnsafeMutableBufferPointer(rebasing: $0[0..<(n * latent)])) }
                for i in 0..<n {
                    logPrior[i] = 0
                    logPosterior[i] = 0
                    for j in 0..<latent {
                        let mean = stats[j], logVariance = stats[latent + j]
                        let e = epsilon[i * latent + j]
                        let z = mean + _expHalf(logVariance) * e
                        codes[i * latent + j] = z
                        logPrior[i] -= 0.5 * Double(z) * Double(z) + halfLog2Pi
                        logPosterior[i] -= 0.5 * Double(e) * Double(e) + halfLog2Pi + 0.5 * Double(logVariance)
                    }
                }
                let output = codes.withUnsafeBufferPointer { z in
                    sampleLabels.withUnsafeBufferPointer { y in
                        decoder.forward(decoderInput(z.baseAddress!, labels: labels == nil ? nil : y.baseAddress, count: n),
                                        batch: n, mode: .evaluation)
                    }
                }
                for i in 0..<n {
                    let nll = reconstructionNLL(output + i * dataSize, targets, count: dataSize)
                    logWeights[done + i] = -nll + logPrior[i] - logPosterior[i]
                }
                done += n
            }
            var largest = -Double.infinity
            for w in logWeights { largest = max(largest, w) }
            var sum = 0.0
            for w in logWeights { sum += exp(w - largest) }
            result.append(-(largest + log(sum / Double(k))))
        }
        return result
    }

    /// −log p(x | z) of one example under the model's likelihood.
    func reconstructionNLL(_ output: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int) -> Double {
        switch spec.likelihood {
        case .bernoulli: return BernoulliLoss.evaluate(logits: output, targets: x, count: count, gradient: nil)
        case .gaussian(let sigma): return GaussianLoss.evaluate(mean: output, targets: x, count: count, sigma: sigma, gradient: nil)
        }
    }
}
