import Testing
import Spec

@Suite struct DefaultsTests {
    @Test func minimalExperimentGetsEveryDefault() throws {
        let experiment = try experiment(minimal)
        #expect(experiment.name == "t")
        #expect(experiment.runs.count == 1)
        let run = try #require(experiment.runs.first)
        #expect(run.seed == 0)
        #expect(run.swept == [])
        #expect(run.data == DataSpec(dataset: .ring, trainSize: 50000, testSize: 5000, seed: 0))
        #expect(run.model == .vae(VAESpec(latent: 2, beta: 1, betaWarmupSteps: 0, likelihood: .bernoulli, encoder: [], decoder: [])))
        #expect(run.training == TrainingSpec(epochs: 1, batch: 128,
                                             optimizer: .adam(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                                             clipNorm: nil, threads: 1))
        #expect(run.report == ReportSpec(grids: [.samples, .reconstructions, .interpolations, .traversals, .manifold, .latent],
                                         interpolation: .linear, interpolationSteps: 10))
    }

    @Test func dataDefaultsDependOnTheDataset() throws {
        let sprites = try experiment(setting(minimal, ["data"], ["dataset": "sprites"])).runs[0].data
        #expect(sprites == DataSpec(dataset: .sprites, size: 64, trainSize: 20000, testSize: 2000))
        let idx = try experiment(setting(minimal, ["data"], ["dataset": "idx", "path": "/d", "seed": 3])).runs[0].data
        #expect(idx == DataSpec(dataset: .idx, path: "/d", trainSize: nil, testSize: nil, seed: 3))
        let fashion = try experiment(setting(minimal, ["data"], ["dataset": "fashion-mnist", "test_size": 100])).runs[0].data
        #expect(fashion == DataSpec(dataset: .fashionMNIST, path: nil, trainSize: nil, testSize: 100))
    }

    @Test func optimizerDefaultsPerType() throws {
        func optimizer(_ type: JSONValue) throws -> OptimizerSpec {
            try experiment(setting(minimal, ["training", "optimizer"], ["type": type])).runs[0].training.optimizer
        }
        #expect(try optimizer("sgd") == .sgd(lr: 0.01, momentum: 0, nesterov: false, weightDecay: 0))
        #expect(try optimizer("rmsprop") == .rmsprop(lr: 0.001, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0))
        #expect(try optimizer("adam") == .adam(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0))
        #expect(try optimizer("adamw") == .adamw(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01))
    }

    @Test func layerDefaults() throws {
        let layers: JSONValue = [
            ["dense": 16], ["dense": 16, "activation": "relu"], ["dense": 16, "activation": "leaky_relu"],
            ["dense": 16, "activation": "tanh", "init": "he", "batch_norm": true],
            ["activation": "leaky_relu", "slope": 0.1], ["batch_norm": true], ["flatten": true], ["reshape": [1, 4, 4]],
        ]
        let run = try experiment(setting(minimal, ["model", "encoder"], layers)).runs[0]
        guard case .vae(let vae) = run.model else { Issue.record("not a VAE"); return }
        #expect(vae.encoder == [
            .dense(units: 16, activation: .linear, batchNorm: false, initializer: .glorot),
            .dense(units: 16, activation: .relu, batchNorm: false, initializer: .he),
            .dense(units: 16, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he),
            .dense(units: 16, activation: .tanh, batchNorm: true, initializer: .he),
            .activation(.leakyReLU(slope: 0.1)),
            .batchNorm(momentum: 0.1, epsilon: 1e-5),
            .flatten,
            .reshape([1, 4, 4]),
        ])
    }

    @Test func gaussianLikelihoodHasSigma() throws {
        let run = try experiment(setting(minimal, ["model", "likelihood"], "gaussian")).runs[0]
        guard case .vae(let vae) = run.model else { Issue.record("not a VAE"); return }
        #expect(vae.likelihood == .gaussian(sigma: 1))
    }

    @Test func resolvedJSONSpellsEverythingOut() throws {
        let run = try experiment(minimal).runs[0]
        #expect(run.canonicalJSON == """
            {"data":{"dataset":"ring","seed":0,"test_size":5000,"train_size":50000},\
            "model":{"beta":1.0,"beta_warmup_steps":0,"decoder":[],"encoder":[],"latent":2,"likelihood":"bernoulli","type":"vae"},\
            "seed":0,\
            "training":{"batch":128,"clip_norm":null,"epochs":1,"log_every_steps":null,\
            "optimizer":{"beta1":0.9,"beta2":0.999,"epsilon":1e-08,"lr":0.001,"type":"adam","weight_decay":0.0},"threads":1}}
            """)
        // The training spec (spec.json) also spells out checkpoint_steps, which the identity
        // leaves out; the resolved spec adds the whole report.
        #expect(run.canonicalJSON == run.identityJSON.canonical)
        #expect(run.trainingJSON.canonical == run.canonicalJSON.replacingOccurrences(
            of: #""training":{"batch":128,"#, with: #""training":{"batch":128,"checkpoint_steps":0,"#))
        #expect(run.resolvedJSON.canonical == run.trainingJSON.canonical.replacingOccurrences(
            of: #""seed":0,"training""#,
            with: #""report":{"grids":["samples","reconstructions","interpolations","traversals","manifold","latent"],"#
                + #""interpolation":"linear","interpolation_steps":10},"seed":0,"training""#))
    }
}
