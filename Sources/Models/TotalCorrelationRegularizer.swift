// Dimensions: N batch, Z latent.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NN

/// β-TCVAE (Chen et al. 2018, "Isolating sources of disentanglement in VAEs"): the KL term split
/// into index-code mutual information, total correlation and dimension-wise KL,
///
///     α · [log q(z|x) − log q(z)] + β · [log q(z) − Σ_d log q(z_d)] + γ · [Σ_d log q(z_d) − log p(z)],
///
/// each evaluated at the code z_i sampled for example i, with the aggregate posterior by
/// minibatch-weighted sampling (the paper's eq. 5 and its code):
/// log q(z_i) ≈ logsumexp_j log q(z_i | x_j) − log(N_train · N), and the same per dimension for
/// log q(z_id). With α = γ = 1 the three terms sum to a one-sample estimate of the KL. Logs the
/// closed-form KL beside the three terms (their sum differs from it by sampling noise).
final class TotalCorrelationRegularizer: LatentRegularizer {
    let terms = ["kl", "mi", "tc", "dim_kl"]
    let termNetworks = ["encoder", "encoder", "encoder", "encoder"]
    private let alpha: Float, beta: Float, gamma: Float
    private let latent: Int
    private let trainingExamples: Int
    private let joint: UnsafeMutablePointer<Float>      // (N, N)  Σ_d log q(z_id | x_j)
    private let marginal: UnsafeMutablePointer<Float>   // (N, Z)  logsumexp_j log q(z_id | x_j)
    private let precision: UnsafeMutablePointer<Float>  // (N, Z)  1/σ²_jd
    private let jointLSE: UnsafeMutablePointer<Float>   // (N)     logsumexp_j joint_ij
    private let capacity: Int

    init(alpha: Float, beta: Float, gamma: Float, batch: Int, latent: Int, trainingExamples: Int) {
        precondition(trainingExamples >= 1, "β-TCVAE needs the training set's size")
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.latent = latent
        self.trainingExamples = trainingExamples
        capacity = batch
        joint = .allocate(capacity: batch * batch)
        marginal = .allocate(capacity: batch * latent)
        precision = .allocate(capacity: batch * latent)
        jointLSE = .allocate(capacity: batch)
    }

    deinit { joint.deallocate(); marginal.deallocate(); precision.deallocate(); jointLSE.deallocate() }

    static func floats(batch n: Int, latent: Int) -> Int {
        Saturating.sum([Saturating.product([n, n]), Saturating.product([2, n, latent]), n])
    }
    var heldFloats: Int { Self.floats(batch: capacity, latent: latent) }

    private static let halfLog2Pi = Float(0.5 * log(2 * Double.pi))

    /// log q(z_id | x_j) = −½ (log 2π + log σ²_jd + (z_id − μ_jd)² / σ²_jd).
    @inline(__always)
    private func logDensity(_ zi: Float, mean: Float, logVariance: Float, precision p: Float) -> Float {
        let d = zi - mean
        return -Self.halfLog2Pi - 0.5 * logVariance - 0.5 * d * d * p
    }

    func apply(stats: UnsafePointer<Float>, z: UnsafePointer<Float>, batch n: Int, step: Int,
               dStats: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>,
               noise: inout RandomStream, totals: UnsafeMutablePointer<Double>) -> Double {
        let z2 = 2 * latent
        let logNM = Float(log(Double(trainingExamples) * Double(n)))
        for j in 0..<n { for d in 0..<latent { precision[j * latent + d] = expf(-stats[j * z2 + latent + d]) } }

        // (1) joint_ij and the per-dimension logsumexp over j.
        for i in 0..<n {
            let zi = z + i * latent
            for j in 0..<n {
                let s = stats + j * z2, p = precision + j * latent
                var sum: Float = 0
                for d in 0..<latent { sum += logDensity(zi[d], mean: s[d], logVariance: s[latent + d], precision: p[d]) }
                joint[i * n + j] = sum
            }
            jointLSE[i] = Self.logSumExp(joint + i * n, count: n)
            for d in 0..<latent {
                var largest = -Float.infinity
                for j in 0..<n {
                    let s = stats + j * z2
                    largest = max(largest, logDensity(zi[d], mean: s[d], logVariance: s[latent + d], precision: precision[j * latent + d]))
                }
                var sum: Float = 0
                for j in 0..<n {
                    let s = stats + j * z2
                    sum += expf(logDensity(zi[d], mean: s[d], logVariance: s[latent + d], precision: precision[j * latent + d]) - largest)
                }
                marginal[i * latent + d] = largest + logf(sum)
            }
        }

        // (2) The terms at each z_i.
        var mi = 0.0, tc = 0.0, dimKL = 0.0
        for i in 0..<n {
            let logPosterior = Double(joint[i * n + i])
            let logAggregate = Double(jointLSE[i] - logNM)
            var logProduct = 0.0, logPrior = 0.0
            for d in 0..<latent {
                logProduct += Double(marginal[i * latent + d] - logNM)
                let zd = z[i * latent + d]
                logPrior += Double(-Self.halfLog2Pi - 0.5 * zd * zd)
            }
            mi += logPosterior - logAggregate
            tc += logAggregate - logProduct
            dimKL += logProduct - logPrior
        }

        // (3) Gradients of the batch mean. The loss is α·A + (β − α)·B + (γ − β)·C − γ·P with
        // A = log q(z_i|x_i), B = log q(z_i), C = Σ_d log q(z_id), P = log p(z_i); each log-density
        // term log q(z_id | x_j) enters with weight α[i = j] + (β − α) softmax_j(joint_i·) +
        // (γ − β) softmax_j(log q(z_id | x_·)).
        let scale = 1 / Float(n)
        dStats.update(repeating: 0, count: n * z2)
        for i in 0..<n {
            let zi = z + i * latent, dzi = dz + i * latent
            for j in 0..<n {
                let s = stats + j * z2, p = precision + j * latent, g = dStats + j * z2
                let shared = (i == j ? alpha : 0) + (beta - alpha) * expf(joint[i * n + j] - jointLSE[i])
                for d in 0..<latent {
                    let density = logDensity(zi[d], mean: s[d], logVariance: s[latent + d], precision: p[d])
                    let w = scale * (shared + (gamma - beta) * expf(density - marginal[i * latent + d]))
                    let r = (zi[d] - s[d]) * p[d]
                    dzi[d] -= w * r
                    g[d] += w * r
                    g[latent + d] += w * 0.5 * ((zi[d] - s[d]) * r - 1)
                }
            }
            for d in 0..<latent { dzi[d] += scale * gamma * zi[d] }
        }

        let kl = GaussianKL.evaluate(meanLogVariance: stats, batch: n, latent: latent, gradient: nil)
        totals[0] += kl
        totals[1] += mi
        totals[2] += tc
        totals[3] += dimKL
        return Double(alpha) * mi + Double(beta) * tc + Double(gamma) * dimKL
    }

    /// log Σ exp(x_k) over `count` values, stably.
    private static func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var largest = -Float.infinity
        for k in 0..<count { largest = max(largest, x[k]) }
        var sum: Float = 0
        for k in 0..<count { sum += expf(x[k] - largest) }
        return largest + logf(sum)
    }
}
