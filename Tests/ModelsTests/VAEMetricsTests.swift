import Foundation
import NN
import Spec
import Testing
@testable import Models

/// The IWAE bound and posterior statistics on a linear-Gaussian VAE, whose log p(x) and exact
/// posterior are known in closed form.
@Suite struct VAEMetricsTests {
    /// Data D = 2, latent Z = 2, decoder x = W z + b with W = diag(2, 0.5), σ = 0.5: p(x) is
    /// N(b, WWᵀ + σ²I) = N(b, diag(4.25, 0.5)); the exact posterior is diagonal with variance
    /// 1 / (1 + w²/σ²) and mean var · w (x − b) / σ² per dimension.
    private let w: [Float] = [2, 0.5], b: [Float] = [0.3, -0.2], sigma: Float = 0.5

    private func model(exactPosterior: Bool) throws -> VAE {
        let spec = VAESpec(latent: 2, beta: 1, betaWarmupSteps: 0, likelihood: .gaussian(sigma: sigma), encoder: [], decoder: [])
        let training = TrainingSpec(epochs: 1, batch: 64, optimizer: .sgd(lr: 0, momentum: 0, nesterov: false, weightDecay: 0))
        let vae = try VAE(spec: spec, training: training, dataShape: [2], trainingExamples: 100, seed: 0, file: "t")
        // Decoder head: weight (2 × 2, [out][in]) and bias.
        let decoder = vae.decoder.parameters
        decoder.update(repeating: 0)
        decoder[0] = w[0]; decoder[3] = w[1]; decoder[4] = b[0]; decoder[5] = b[1]
        // Encoder head: outputs [μ₁, μ₂, log σ₁², log σ₂²] from x (weight 4 × 2, bias 4).
        let encoder = vae.encoder.parameters
        encoder.update(repeating: 0)
        for j in 0..<2 {
            let s2 = sigma * sigma
            let variance = 1 / (1 + w[j] * w[j] / s2) * (exactPosterior ? 1 : 1.6)
            let gain = (1 / (1 + w[j] * w[j] / s2)) * w[j] / s2 * (exactPosterior ? 1 : 0.7)
            encoder[j * 2 + j] = gain                 // μ_j = gain · x_j − gain · b_j
            encoder[8 + j] = -gain * b[j]
            encoder[8 + 2 + j] = log(variance)
        }
        return vae
    }

    private func logDensity(_ x: [Float]) -> Double {
        var total = 0.0
        for j in 0..<2 {
            let variance = Double(w[j] * w[j] + sigma * sigma), d = Double(x[j] - b[j])
            total -= 0.5 * (d * d / variance + log(2 * Double.pi * variance))
        }
        return total
    }

    @Test func exactPosteriorGivesTheExactLogLikelihoodAtEveryK() throws {
        let vae = try model(exactPosterior: true)
        let x: [Float] = [1.1, -0.7, -2.0, 0.4]
        for k in [1, 5, 100] {
            var rng = RandomStream(seed: 3, purpose: "iwae")
            let bound = vae.negativeImportanceWeightedBound(x, count: 2, k: k, rng: &rng)
            #expect(abs(bound[0] + logDensity([1.1, -0.7])) < 1e-4, "k = \(k): \(bound[0]) vs \(-logDensity([1.1, -0.7]))")
            #expect(abs(bound[1] + logDensity([-2.0, 0.4])) < 1e-4)
        }
    }

    @Test func approximatePosteriorBoundsFromAboveAndTightensWithK() throws {
        let vae = try model(exactPosterior: false)
        let x: [Float] = [1.1, -0.7]
        let exact = -logDensity(x)
        var bounds: [Double] = []
        for k in [1, 10, 1_000] {
            // Average over repeats so the comparison is not one draw's luck (the posterior is
            // 1.6 times too wide and its mean 30 % short, so the weights have light tails).
            var rng = RandomStream(seed: 4, purpose: "iwae")
            let repeats = (0..<200).map { _ in vae.negativeImportanceWeightedBound(x, count: 1, k: k, rng: &rng)[0] }
            bounds.append(repeats.reduce(0, +) / 200)
        }
        #expect(bounds[0] > bounds[1] && bounds[1] > bounds[2], "\(bounds) exact \(exact)")
        #expect(bounds[2] >= exact - 1e-3 && bounds[2] - exact < 0.01, "k = 1000: \(bounds[2]) vs exact \(exact)")
        #expect(bounds[0] - exact > 0.05, "\(bounds) exact \(exact)")
    }

    @Test func posteriorStatisticsCountActiveUnitsAndKL() throws {
        let vae = try model(exactPosterior: true)
        // Dimension 1 varies with x, dimension 2 does not (x₂ constant): one active unit.
        let x: [Float] = (0..<100).flatMap { i in [Float(i) / 25 - 2, 0.1] }
        let stats = PosteriorStatistics.measure(encoder: vae.encoder, latent: 2, x: x, count: 100, dataSize: 2)
        #expect(stats.activeUnits() == 1)
        #expect(stats.activity[1] < 1e-12)
        // KL of dimension 2: constant μ = v·w(0.1 − b)/σ², variance v = 1/(1 + w²/σ²).
        let v = 1 / (1 + 0.25 / 0.25), mean = v * 0.5 * (0.1 + 0.2) / 0.25
        let expected = 0.5 * (mean * mean + v - log(v) - 1)
        #expect(abs(stats.kl[1] - expected) < 1e-5, "\(stats.kl[1]) vs \(expected)")
    }
}
