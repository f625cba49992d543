import Foundation
import Testing
import NN
import Spec
@testable import Models

/// Every VAE objective against central differences of its whole loss (the reparameterisation path,
/// the minibatch estimators and FactorVAE's discriminator included), and the properties that
/// define each one.
@Suite struct VAEObjectiveTests {
    static let frozen = TrainingSpec(epochs: 1, batch: 6, optimizer: .sgd(lr: 0, momentum: 0, nesterov: false, weightDecay: 0))
    static let still = OptimizerSpec.sgd(lr: 0, momentum: 0, nesterov: false, weightDecay: 0)

    static func spec(_ objective: VAEObjective, beta: Float = 1, latent: Int = 3) -> VAESpec {
        VAESpec(latent: latent, beta: beta, betaWarmupSteps: 0, likelihood: .bernoulli,
                encoder: [.dense(units: 5, activation: .tanh, batchNorm: false, initializer: .glorot)],
                decoder: [.dense(units: 5, activation: .softplus, batchNorm: false, initializer: .glorot)],
                objective: objective)
    }

    /// 6 examples of 6 values in (0.1, 0.9).
    static let data: [Float] = (0..<36).map { i in 0.1 + 0.8 * Float((i * 7 + i / 6) % 11) / 10 }

    static let objectives: [(String, VAEObjective, Float)] = [
        ("elbo β=2", .elbo, 2),
        ("beta-tcvae", .betaTCVAE(alpha: 1.5, beta: 4, gamma: 0.5), 1),
        ("factor-vae", .factorVAE(gamma: 3, discriminator: [.dense(units: 4, activation: .tanh, batchNorm: false, initializer: .glorot)],
                                  optimizer: still), 1.5),
        ("dip-vae i", .dipVAE(variant: .i, lambdaOffDiagonal: 2, lambdaDiagonal: 5), 1),
        ("dip-vae ii", .dipVAE(variant: .ii, lambdaOffDiagonal: 3, lambdaDiagonal: 1), 1),
        ("capacity below C", .capacity(gamma: 7, maxCapacity: 30, steps: 0), 1),
        ("capacity above C", .capacity(gamma: 7, maxCapacity: 0.05, steps: 0), 1),
        ("iwae k=1", .iwae(samples: 1), 1),
        ("iwae k=5", .iwae(samples: 5), 1),
    ]

    /// With learning rates of 0 a step leaves every weight alone and its gradients in the buffers;
    /// restoring the random streams before each step fixes ε and the permutations.
    @Test(arguments: objectives.indices)
    func wholeObjectiveGradientMatchesFiniteDifferences(_ index: Int) throws {
        let (name, objective, beta) = Self.objectives[index]
        let vae = try VAE(spec: Self.spec(objective, beta: beta), training: Self.frozen, dataShape: [6],
                          trainingExamples: 50, seed: 4, file: "t.json")
        let streams = vae.randomStreams
        func totals() -> [Double] {
            vae.randomStreams = streams
            var totals = [Double](repeating: 0, count: vae.trainTerms.count)
            vae.trainStep(Self.data, batch: 6, totals: &totals)
            return totals
        }
        _ = totals()
        for network in [vae.encoder, vae.decoder] {
            let analytic = Array(network.gradients)
            let report = GradientCheck.compare(values: network.parameters, analytic: analytic, epsilon: 1e-2) { totals()[0] / 6 }
            #expect(report.relativeError < 2e-2, "\(name), \(network.name): \(report)")
        }
        if case .factorVAE = objective {
            // The discriminator's own loss, ½ BCE(codes → 1) + ½ BCE(permuted → 0), is the term d_loss.
            let discriminator = try #require(vae.networks.first { $0.name == "discriminator" })
            let dLoss = try #require(vae.trainTerms.firstIndex(of: "d_loss"))
            let analytic = Array(discriminator.gradients)
            let report = GradientCheck.compare(values: discriminator.parameters, analytic: analytic, epsilon: 1e-2) { totals()[dLoss] / 6 }
            #expect(report.relativeError < 2e-2, "\(name), discriminator: \(report)")
        }
    }

    @Test func eachObjectiveLogsItsTerms() throws {
        let expected: [VAEObjective.Kind: [String]] = [
            .elbo: ["loss", "recon", "kl"], .betaTCVAE: ["loss", "recon", "kl", "mi", "tc", "dim_kl"],
            .factorVAE: ["loss", "recon", "kl", "tc", "d_loss"], .dipVAE: ["loss", "recon", "kl", "dip"],
            .capacity: ["loss", "recon", "kl", "capacity"], .iwae: ["loss", "recon", "kl"],
        ]
        for (_, objective, beta) in Self.objectives {
            let vae = try VAE(spec: Self.spec(objective, beta: beta), training: Self.frozen, dataShape: [6],
                              trainingExamples: 50, seed: 0, file: "t.json")
            #expect(vae.trainTerms == expected[objective.kind], "\(objective.kind)")
            #expect(vae.termNetworks.count == vae.trainTerms.count)
        }
    }

    /// With α = β = γ = 1 the three terms telescope to log q(z|x) − log p(z) at the sampled codes,
    /// whatever the estimate of q(z): checked against that sum computed here from the posterior and
    /// the codes the step drew; and the loss is recon plus that sum.
    @Test func tcvaeTermsTelescopeToTheSampledKL() throws {
        let training = TrainingSpec(epochs: 1, batch: 64, optimizer: Self.still)
        let vae = try VAE(spec: Self.spec(.betaTCVAE(alpha: 1, beta: 1, gamma: 1), latent: 2), training: training,
                          dataShape: [6], trainingExamples: 10_000, seed: 1, file: "t.json")
        let data = (0..<(64 * 6)).map { Float(($0 * 37) % 101) / 100 }
        var totals = [Double](repeating: 0, count: 6)
        vae.trainStep(data, batch: 64, totals: &totals)
        var stats = [Float](repeating: 0, count: 64 * 4)
        vae.encodePosterior(data, count: 64, into: &stats)
        var expected = 0.0
        for i in 0..<64 {
            for d in 0..<2 {
                let mean = Double(stats[i * 4 + d]), logVariance = Double(stats[i * 4 + 2 + d]), z = Double(vae.z.pointer[i * 2 + d])
                expected += -0.5 * logVariance - 0.5 * (z - mean) * (z - mean) / exp(logVariance) + 0.5 * z * z
            }
        }
        let parts = totals[3] + totals[4] + totals[5]
        #expect(abs(parts - expected) < 1e-3 * max(1, abs(expected)), "mi + tc + dim_kl \(parts), log q − log p \(expected)")
        #expect(abs(totals[0] - (totals[1] + parts)) < 1e-6 * abs(totals[0]))
    }

    /// The IWAE bound tightens with k (Burda et al., theorem 1): on the same untrained weights the
    /// mean bound over 20 batches is lower (better) with k = 50 than with k = 1.
    @Test func iwaeBoundIsTighterWithMoreSamples() throws {
        func meanLoss(_ k: Int) throws -> Double {
            let vae = try VAE(spec: Self.spec(.iwae(samples: k)), training: Self.frozen, dataShape: [6],
                              trainingExamples: 50, seed: 2, file: "t.json")
            var totals = [Double](repeating: 0, count: 3)
            for _ in 0..<20 { vae.trainStep(Self.data, batch: 6, totals: &totals) }
            return totals[0] / 120
        }
        let one = try meanLoss(1), fifty = try meanLoss(50)
        #expect(fifty < one - 0.05, "−IWAE: k=1 \(one), k=50 \(fifty)")
    }

    /// DIP-VAE's penalty on hand-made posteriors: means (±1, ±1) have covariance I (penalty 0 for
    /// DIP-VAE-I); DIP-VAE-II adds E[σ²] = 0.25 to the diagonal: λ_d · 2 · 0.25².
    @Test(arguments: [(DIPVariant.i, 0.0), (.ii, 3 * 2 * 0.0625)])
    func dipPenaltyOnAKnownCovariance(_ variant: DIPVariant, _ expected: Double) {
        let regularizer = DIPRegularizer(beta: BetaSchedule(beta: 0, warmupSteps: 0), variant: variant,
                                         lambdaOffDiagonal: 10, lambdaDiagonal: 3, latent: 2)
        let logQuarter = Float(-1.3862944)
        let stats: [Float] = [1, 1, logQuarter, logQuarter, 1, -1, logQuarter, logQuarter,
                              -1, 1, logQuarter, logQuarter, -1, -1, logQuarter, logQuarter]
        var dStats = [Float](repeating: 0, count: 16), dz = [Float](repeating: 0, count: 8)
        var totals = [Double](repeating: 0, count: 2)
        var noise = RandomStream(seed: 0, purpose: "noise")
        let loss = regularizer.apply(stats: stats, z: stats, batch: 4, step: 1, dStats: &dStats, dz: &dz, noise: &noise, totals: &totals)
        #expect(abs(totals[1] / 4 - expected) < 1e-6)
        #expect(abs(loss / 4 - expected) < 1e-6, "β = 0 leaves the penalty alone")
        #expect(dz.allSatisfy { $0 == 0 })
    }

    /// C_t rises linearly to C_max over the steps; the loss is γ |KL − C_t|.
    @Test func capacityAnneals() {
        let regularizer = CapacityRegularizer(gamma: 2, maxCapacity: 10, steps: 100, latent: 1)
        #expect(regularizer.capacity(atStep: 25) == 2.5)
        #expect(regularizer.capacity(atStep: 100) == 10)
        #expect(regularizer.capacity(atStep: 1000) == 10)
        // One example, μ = 3, σ² = 1: KL = 4.5 nats; at step 50 C = 5, loss 2 · 0.5.
        var dStats: [Float] = [0, 0], dz: [Float] = [0]
        var totals = [Double](repeating: 0, count: 2)
        var noise = RandomStream(seed: 0, purpose: "noise")
        let loss = regularizer.apply(stats: [3, 0], z: [0], batch: 1, step: 50, dStats: &dStats, dz: &dz, noise: &noise, totals: &totals)
        #expect(abs(loss - 1) < 1e-6 && totals == [4.5, 5])
        #expect(dStats == [-6, 0], "below C the KL is pushed up: −γ · ∂KL/∂μ")
    }

    /// The FactorVAE discriminator learns to tell codes from their permutations when the codes'
    /// dimensions are dependent: its loss falls below log 2.
    @Test func factorDiscriminatorSeesDependentCodes() throws {
        var plan = try NetworkBuilder.plan([.dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he)],
                                           input: [2], path: "d", file: "t")
        try NetworkBuilder.appendHead(&plan, units: 1, path: "d", file: "t")
        let regularizer = FactorDiscriminatorRegularizer(
            beta: BetaSchedule(beta: 1, warmupSteps: 0), gamma: 1,
            plan: .init(name: "discriminator", plan: plan, maxBatch: 128, optimizerBuffers: 2),
            optimizer: .adam(lr: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-8, weightDecay: 0), batch: 64, latent: 2, seed: 0)
        var noise = RandomStream(seed: 1, purpose: "noise")
        var dStats = [Float](repeating: 0, count: 256), dz = [Float](repeating: 0, count: 128)
        var last = 0.0
        for _ in 0..<300 {
            // z₂ = z₁: all mass on the diagonal, which permutation spreads over the square.
            var z = [Float](repeating: 0, count: 128), stats = [Float](repeating: 0, count: 256)
            for i in 0..<64 { let v = noise.nextNormal(); z[2 * i] = v; z[2 * i + 1] = v; stats[4 * i] = v; stats[4 * i + 1] = v }
            var totals = [Double](repeating: 0, count: 3)
            _ = regularizer.apply(stats: stats, z: z, batch: 64, step: 1, dStats: &dStats, dz: &dz, noise: &noise, totals: &totals)
            last = totals[2] / 64
        }
        #expect(last < 0.5, "discriminator loss \(last) (chance: log 2 ≈ 0.69)")
    }

    /// The factor discriminator takes codes: a conv layer there is refused at its path when the
    /// model is planned (`genlab validate`).
    @Test func factorDiscriminatorTakesFlatCodes() {
        let spec = Self.spec(.factorVAE(gamma: 1, discriminator: [.conv(filters: 4, kernel: 3, stride: 1, padding: 0, activation: .relu,
                                                                        batchNorm: false, initializer: .he)], optimizer: Self.still))
        #expect(throws: SpecError.self) { try ModelPlan.vae(spec, training: Self.frozen, dataShape: [6], file: "x.json") }
        do {
            _ = try ModelPlan.vae(spec, training: Self.frozen, dataShape: [6], file: "x.json")
        } catch {
            #expect(error.path.hasPrefix("model.objective.discriminator"), "\(error)")
        }
    }

    /// The memory estimate covers each objective's own buffers and networks (within 10 %).
    @Test(arguments: objectives.indices)
    func estimateMatchesWhatEachObjectiveHolds(_ index: Int) throws {
        let (name, objective, beta) = Self.objectives[index]
        let spec = Self.spec(objective, beta: beta)
        let plan = try ModelPlan.vae(spec, training: Self.frozen, dataShape: [6], file: "x.json")
        let held = try VAE(spec: spec, training: Self.frozen, dataShape: [6], trainingExamples: 50, seed: 0, file: "x.json").heldFloats
        #expect(plan.floats >= held && plan.floats <= held + held / 10, "\(name): estimate \(plan.floats), held \(held)")
    }
}
