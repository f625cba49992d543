import Testing
import Spec

/// The adversarial parts of the file: conv/deconv/maxout/dropout layers, `gan` and `vae-gan`
/// models and their `schedule`.
@Suite struct AdversarialTests {
    /// A minimal valid GAN as a tree (Adam with β₁ = 0.5, the usual GAN choice, as `training.optimizer`).
    static let gan: JSONValue = [
        "name": "g",
        "data": ["dataset": "ring"],
        "model": ["type": "gan", "latent": 2, "generator": [["dense": 2]], "discriminator": []],
        "training": ["epochs": 1, "optimizer": ["type": "adam", "lr": 2e-4, "beta1": 0.5]],
    ]

    /// A minimal valid VAE-GAN as a tree.
    static let vaeGAN: JSONValue = [
        "name": "vg",
        "data": ["dataset": "ring"],
        "model": ["type": "vae-gan", "latent": 2, "feature_layer": 1, "encoder": [["dense": 8, "activation": "relu"]],
                  "decoder": [["dense": 2]], "discriminator": [["dense": 8, "activation": "relu"], ["dense": 4]]],
        "training": ["epochs": 1],
    ]

    static let trainingOptimizer = OptimizerSpec.adam(lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
    static let defaultAdam = OptimizerSpec.adam(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

    func member(_ value: JSONValue, _ key: String) -> JSONValue? {
        guard case .object(let object) = value else { return nil }
        return object[key]
    }

    func ganModel(_ tree: JSONValue) throws -> GANSpec? {
        guard case .gan(let gan) = try experiment(tree).runs[0].model else { return nil }
        return gan
    }

    // MARK: - Layers

    @Test func newLayerKindsWithDefaults() throws {
        let layers: JSONValue = [
            ["conv": 16, "kernel": 3],
            ["conv": 16, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "batch_norm": true],
            ["deconv": 8, "kernel": 4, "activation": "relu"],
            ["deconv": 1, "kernel": 3, "stride": 2, "padding": 0, "activation": "tanh", "init": "he"],
            ["maxout": 32, "pieces": 3], ["maxout": 8, "pieces": 2, "init": "pytorch"],
            ["dense": 4, "init": "pytorch"],
            ["dropout": 0.5], ["dropout": 0],
        ]
        let run = try experiment(setting(minimal, ["model", "encoder"], layers)).runs[0]
        guard case .vae(let vae) = run.model else { Issue.record("not a VAE"); return }
        #expect(vae.encoder == [
            .conv(filters: 16, kernel: 3, stride: 1, padding: 0, activation: .linear, batchNorm: false, initializer: .glorot),
            .conv(filters: 16, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2), batchNorm: true, initializer: .he),
            .deconv(filters: 8, kernel: 4, stride: 1, padding: 0, activation: .relu, batchNorm: false, initializer: .he),
            .deconv(filters: 1, kernel: 3, stride: 2, padding: 0, activation: .tanh, batchNorm: false, initializer: .he),
            .maxout(units: 32, pieces: 3, initializer: .glorot), .maxout(units: 8, pieces: 2, initializer: .pytorch),
            .dense(units: 4, activation: .linear, batchNorm: false, initializer: .pytorch),
            .dropout(rate: 0.5), .dropout(rate: 0),
        ])
    }

    @Test func layerErrors() {
        func layerError(_ layer: JSONValue) -> SpecError? {
            specError(setting(Self.gan, ["model", "discriminator"], [["dense": 4], layer]))
        }
        #expect(layerError(["conv": 8, "stride": 2]) == SpecError(
            file: "x.json", path: "model.discriminator[1].kernel", expected: "an integer from 1 to 256", found: "missing key"))
        #expect(layerError(["deconv": 8, "kernel": 0])?.path == "model.discriminator[1].kernel")
        #expect(layerError(["conv": 8, "kernel": 3, "padding": -1]) == SpecError(
            file: "x.json", path: "model.discriminator[1].padding", expected: "an integer from 0 to 256", found: "number -1"))
        #expect(layerError(["conv": 8, "kernel": 3, "stride": 0])?.expected == "an integer from 1 to 256")
        #expect(layerError(["conv": 8, "kernel": 3, "activation": "relu", "slope": 0.1])?.path == "model.discriminator[1].slope")
        #expect(layerError(["maxout": 8, "pieces": 1]) == SpecError(
            file: "x.json", path: "model.discriminator[1].pieces", expected: "an integer from 2 to 64", found: "number 1"))
        #expect(layerError(["maxout": 8, "pieces": 2, "init": "torch"])?.path == "model.discriminator[1].init")
        #expect(layerError(["maxout": 8]) == SpecError(
            file: "x.json", path: "model.discriminator[1].pieces", expected: "an integer from 2 to 64", found: "missing key"))
        #expect(layerError(["dropout": 1.0]) == SpecError(
            file: "x.json", path: "model.discriminator[1].dropout", expected: "a number ≥ 0 and < 1", found: "number 1.0"))
        #expect(layerError(["dropout": 0.5, "activation": "relu"]) == SpecError(
            file: "x.json", path: "model.discriminator[1].activation",
            expected: #"a key of a "dropout" layer: "dropout""#,
            found: #"key "activation", which does not apply to a "dropout" layer"#))
        #expect(layerError(["conv": 8, "kernel": 3, "dense": 4])?.found
                == #"key "conv", which does not apply to a "dense" layer"#)
        #expect(layerError(["maxout": 8, "pieces": 2, "kernel": 3])?.found
                == #"key "kernel", which does not apply to a "maxout" layer"#)
        #expect(layerError(["conv": 8, "kernal": 3])?.hint == #"did you mean "kernel"?"#)
    }

    // MARK: - GAN

    @Test func ganDefaults() throws {
        let gan = try #require(try ganModel(Self.gan))
        let optimizer = Self.trainingOptimizer
        #expect(gan == GANSpec(
            latent: 2, prior: .normal, generator: [.dense(units: 2, activation: .linear, batchNorm: false, initializer: .glorot)],
            discriminator: [], loss: .nonSaturating,
            schedule: AdversarialSchedule(discriminatorSteps: 1, warmupSteps: 0, labelSmoothing: 0, instanceNoise: 0,
                                          instanceNoiseDecaySteps: 0, packing: 1, weightClip: nil, ema: nil,
                                          generatorOptimizer: optimizer, discriminatorOptimizer: optimizer,
                                          encoderOptimizer: optimizer)))
    }

    @Test func ganScheduleAsWritten() throws {
        let schedule: JSONValue = [
            "discriminator_steps": 5, "warmup_steps": 100, "label_smoothing": 0.1, "instance_noise": 0.2,
            "instance_noise_decay_steps": 1000, "packing": 4, "ema": 0.999,
            "generator_optimizer": ["type": "adam", "lr": 1e-4],
            "discriminator_optimizer": ["type": "sgd", "lr": 0.05],
        ]
        var tree = setting(Self.gan, ["model", "schedule"], schedule)
        tree = setting(tree, ["model", "prior"], "uniform")
        tree = setting(tree, ["model", "loss"], "least-squares")
        let gan = try #require(try ganModel(tree))
        #expect(gan.prior == .uniform)
        #expect(gan.loss == .leastSquares)
        #expect(gan.schedule == AdversarialSchedule(
            discriminatorSteps: 5, warmupSteps: 100, labelSmoothing: 0.1, instanceNoise: 0.2, instanceNoiseDecaySteps: 1000,
            packing: 4, weightClip: nil, ema: 0.999,
            generatorOptimizer: .adam(lr: 1e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
            discriminatorOptimizer: .sgd(lr: 0.05, momentum: 0, nesterov: false, weightDecay: 0),
            encoderOptimizer: Self.trainingOptimizer))
    }

    @Test func weightClipDefaultsFromTheLoss() throws {
        let wasserstein = setting(Self.gan, ["model", "loss"], "wasserstein")
        #expect(try ganModel(wasserstein)?.schedule.weightClip == 0.01)
        #expect(try ganModel(setting(wasserstein, ["model", "schedule"], ["weight_clip": .null]))?.schedule.weightClip == nil)
        #expect(try ganModel(setting(wasserstein, ["model", "schedule"], ["weight_clip": 0.05]))?.schedule.weightClip == 0.05)
        #expect(try ganModel(setting(Self.gan, ["model", "schedule"], ["weight_clip": 0.1]))?.schedule.weightClip == 0.1)
        for loss in GANLoss.allCases where loss != .wasserstein {
            #expect(try ganModel(setting(Self.gan, ["model", "loss"], .string(loss.rawValue)))?.schedule.weightClip == nil)
        }
    }

    @Test func ganErrors() {
        #expect(specError(setting(Self.gan, ["model", "loss"], "hinged")) == SpecError(
            file: "x.json", path: "model.loss",
            expected: #"one of "minimax", "non-saturating", "least-squares", "hinge", "wasserstein""#,
            found: #"string "hinged""#, hint: #"did you mean "hinge"?"#))
        #expect(specError(setting(Self.gan, ["model", "schedule", "packing"], 0)) == SpecError(
            file: "x.json", path: "model.schedule.packing", expected: "an integer from 1 to 16", found: "number 0"))
        #expect(specError(setting(Self.gan, ["model", "schedule", "packing"], 17))?.path == "model.schedule.packing")
        #expect(specError(setting(Self.gan, ["model", "schedule", "encoder_optimizer"], ["type": "adam"])) == SpecError(
            file: "x.json", path: "model.schedule.encoder_optimizer",
            expected: #"a key of the schedule of model type "gan": "discriminator_steps", "warmup_steps", "label_smoothing", "instance_noise", "instance_noise_decay_steps", "packing", "weight_clip", "gradient_penalty", "ema", "generator_optimizer", "discriminator_optimizer""#,
            found: #"key "encoder_optimizer", which does not apply to the schedule of model type "gan""#))
        let unknown = specError(setting(Self.gan, ["model", "schedule", "discriminator_step"], 2))
        #expect(unknown?.path == "model.schedule.discriminator_step")
        #expect(unknown?.found == #"unknown key "discriminator_step""#)
        #expect(unknown?.hint == #"did you mean "discriminator_steps"?"#)
        #expect(specError(setting(Self.gan, ["model", "beta"], 2)) == SpecError(
            file: "x.json", path: "model.beta",
            expected: #"a key of model type "gan": "type", "latent", "prior", "generator", "discriminator", "loss", "schedule", "conditioning""#,
            found: #"key "beta", which does not apply to model type "gan""#))
        #expect(specError(setting(minimal, ["model", "schedule"], [:]))?.found
                == #"key "schedule", which does not apply to model type "vae""#)
        #expect(specError(setting(Self.gan, ["model", "generator"], [])) == SpecError(
            file: "x.json", path: "model.generator", expected: "a non-empty array of layer objects", found: "empty array"))
        #expect(specError(setting(Self.gan, ["model", "discriminator"], nil)) == SpecError(
            file: "x.json", path: "model.discriminator", expected: "an array of layer objects", found: "missing key"))
        #expect(specError(setting(Self.gan, ["model", "schedule", "label_smoothing"], 1))?.expected == "a number ≥ 0 and < 1")
        #expect(specError(setting(Self.gan, ["model", "schedule", "ema"], 1))?.expected == "a number > 0 and < 1 or null")
        #expect(specError(setting(Self.gan, ["model", "schedule", "weight_clip"], 0))?.path == "model.schedule.weight_clip")
        #expect(specError(setting(Self.gan, ["model", "schedule", "discriminator_steps"], 0))?.expected == "an integer from 1 to 1000")
        #expect(specError(setting(Self.gan, ["model", "schedule", "generator_optimizer"], ["type": "sgd", "beta1": 0.5]))?.path
                == "model.schedule.generator_optimizer.beta1")
        #expect(specError(setting(Self.gan, ["model", "schedule"], 3)) == SpecError(
            file: "x.json", path: "model.schedule", expected: "an object", found: "number 3"))
        #expect(specError(setting(Self.gan, ["model", "prior"], "gaussian"))?.path == "model.prior")
    }

    // MARK: - VAE-GAN

    @Test func vaeGANDefaults() throws {
        guard case .vaeGAN(let model) = try experiment(Self.vaeGAN).runs[0].model else { Issue.record("not a VAE-GAN"); return }
        let adam = Self.defaultAdam
        #expect(model == VAEGANSpec(
            latent: 2, beta: 1, gamma: 1, featureLayer: 1,
            encoder: [.dense(units: 8, activation: .relu, batchNorm: false, initializer: .he)],
            decoder: [.dense(units: 2, activation: .linear, batchNorm: false, initializer: .glorot)],
            discriminator: [.dense(units: 8, activation: .relu, batchNorm: false, initializer: .he),
                            .dense(units: 4, activation: .linear, batchNorm: false, initializer: .glorot)],
            loss: .nonSaturating,
            schedule: AdversarialSchedule(generatorOptimizer: adam, discriminatorOptimizer: adam, encoderOptimizer: adam)))
        var tree = setting(Self.vaeGAN, ["model", "schedule", "encoder_optimizer"], ["type": "rmsprop"])
        tree = setting(tree, ["model", "beta"], 0.5)
        tree = setting(tree, ["model", "gamma"], 0)
        guard case .vaeGAN(let changed) = try experiment(tree).runs[0].model else { Issue.record("not a VAE-GAN"); return }
        #expect(changed.schedule.encoderOptimizer == .rmsprop(lr: 0.001, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0))
        #expect(changed.schedule.generatorOptimizer == adam)
        #expect(changed.beta == 0.5 && changed.gamma == 0)
    }

    @Test func vaeGANErrors() {
        #expect(specError(setting(Self.vaeGAN, ["model", "feature_layer"], 2)) == SpecError(
            file: "x.json", path: "model.feature_layer", expected: #"an index of a "discriminator" layer, from 0 to 1"#,
            found: #"number 2, but "discriminator" has 2 layers"#))
        #expect(specError(setting(Self.vaeGAN, ["model", "feature_layer"], nil)) == SpecError(
            file: "x.json", path: "model.feature_layer", expected: "an integer from 0 to 10000", found: "missing key"))
        #expect(specError(setting(Self.vaeGAN, ["model", "feature_layer"], -1))?.expected == "an integer from 0 to 10000")
        #expect(specError(setting(Self.vaeGAN, ["model", "discriminator"], [])) == SpecError(
            file: "x.json", path: "model.discriminator", expected: "a non-empty array of layer objects", found: "empty array"))
        #expect(specError(setting(Self.vaeGAN, ["model", "encoder"], nil))?.path == "model.encoder")
        #expect(specError(setting(Self.vaeGAN, ["model", "gamma"], -1)) == SpecError(
            file: "x.json", path: "model.gamma", expected: "a number ≥ 0", found: "number -1"))
        #expect(specError(setting(Self.vaeGAN, ["model", "prior"], "normal"))?.found
                == #"key "prior", which does not apply to model type "vae-gan""#)
        #expect(specError(setting(Self.vaeGAN, ["model", "likelihood"], "bernoulli"))?.found
                == #"key "likelihood", which does not apply to model type "vae-gan""#)
    }

    // MARK: - Resolved JSON and sweeps

    @Test func ganResolvedJSONSpellsEverythingOut() throws {
        let run = try experiment(setting(Self.gan, ["model", "loss"], "wasserstein")).runs[0]
        let adam = #"{"beta1":0.5,"beta2":0.999,"epsilon":1e-08,"lr":0.0002,"type":"adam","weight_decay":0.0}"#
        #expect(member(run.resolvedJSON, "model")?.canonical == """
            {"discriminator":[],"generator":[{"activation":"linear","batch_norm":false,"dense":2,"init":"glorot"}],\
            "latent":2,"loss":"wasserstein","prior":"normal",\
            "schedule":{"discriminator_optimizer":\(adam),"discriminator_steps":1,"ema":null,\
            "generator_optimizer":\(adam),"instance_noise":0.0,"instance_noise_decay_steps":0,"label_smoothing":0.0,\
            "packing":1,"warmup_steps":0,"weight_clip":0.01},"type":"gan"}
            """)
        let vaeGAN = try experiment(Self.vaeGAN).runs[0]
        let model = member(vaeGAN.resolvedJSON, "model")
        guard case .object(let schedule)? = model.flatMap({ member($0, "schedule") }) else {
            Issue.record("no schedule"); return
        }
        #expect(schedule.keys.sorted() == ["discriminator_optimizer", "discriminator_steps", "ema", "encoder_optimizer",
                                           "generator_optimizer", "instance_noise", "instance_noise_decay_steps",
                                           "label_smoothing", "packing", "warmup_steps", "weight_clip"])
        #expect(model.flatMap { member($0, "feature_layer") } == 1)
        #expect(model.flatMap { member($0, "type") } == "vae-gan")
    }

    @Test func resolvedJSONRoundTrips() throws {
        let layers: JSONValue = [
            ["conv": 8, "kernel": 3, "stride": 2, "padding": 1, "activation": "leaky_relu", "slope": 0.1, "batch_norm": true],
            ["deconv": 4, "kernel": 4, "init": "he"], ["maxout": 16, "pieces": 4], ["dropout": 0.25], ["flatten": true],
        ]
        var gan = setting(Self.gan, ["model", "discriminator"], layers)
        gan = setting(gan, ["model", "loss"], "wasserstein")
        gan = setting(gan, ["model", "schedule"], ["ema": 0.99, "packing": 2, "discriminator_optimizer": ["type": "sgd"]])
        var explicitNull = setting(gan, ["model", "schedule", "weight_clip"], .null)
        explicitNull = setting(explicitNull, ["model", "prior"], "uniform")
        var vaeGAN = setting(Self.vaeGAN, ["model", "decoder"], layers)
        vaeGAN = setting(vaeGAN, ["model", "schedule"], ["encoder_optimizer": ["type": "adamw"], "weight_clip": 0.5])
        var runs: [RunSpec] = []
        for tree in [Self.gan, gan, explicitNull, Self.vaeGAN, vaeGAN] { runs += try experiment(tree).runs }
        #expect(Set(runs.map(\.id)).count == runs.count)
        for run in runs {
            let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json",
                                                     experiment: run.experiment, swept: run.swept)
            #expect(back == run)
            #expect(back.canonicalJSON == run.canonicalJSON)
        }
    }

    @Test func sweepOverPackingAndLossWithoutASchedule() throws {
        let tree = setting(Self.gan, ["sweep"], ["model.schedule.packing": [1, 4], "model.loss": ["hinge", "wasserstein"]])
        let runs = try experiment(tree).runs
        let models = runs.map { run -> GANSpec? in
            guard case .gan(let gan) = run.model else { return nil }
            return gan
        }
        #expect(models.map { $0?.schedule.packing } == [1, 1, 4, 4])
        #expect(models.map { $0?.loss } == [.hinge, .wasserstein, .hinge, .wasserstein])
        // The schedule is not frozen at the base loss's defaults: weight_clip follows the swept loss.
        #expect(models.map { $0?.schedule.weightClip } == [nil, 0.01, nil, 0.01])
        #expect(models.allSatisfy { $0?.schedule.generatorOptimizer == Self.trainingOptimizer })
        #expect(runs[3].swept == [SweptValue(path: "model.schedule.packing", value: "4"),
                                  SweptValue(path: "model.loss", value: #""wasserstein""#)])
    }

    @Test func sweepOverScheduleOptimizers() throws {
        var tree = setting(Self.gan, ["sweep"], ["model.schedule.generator_optimizer.lr": [1e-4, 5e-4],
                                                 "training.optimizer.beta2": [0.99]])
        var runs = try experiment(tree).runs
        #expect(runs.count == 2)
        let generators = runs.map { run -> OptimizerSpec? in
            guard case .gan(let gan) = run.model else { return nil }
            return gan.schedule.generatorOptimizer
        }
        // A missing optimizer is filled from the resolved one (training.optimizer as written, β₁ = 0.5).
        #expect(generators == [.adam(lr: 1e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
                               .adam(lr: 5e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)])
        // The discriminator's optimizer still follows the swept training optimizer.
        let discriminators = runs.map { run -> OptimizerSpec? in
            guard case .gan(let gan) = run.model else { return nil }
            return gan.schedule.discriminatorOptimizer
        }
        #expect(discriminators == Array(repeating: .adam(lr: 2e-4, beta1: 0.5, beta2: 0.99, epsilon: 1e-8, weightDecay: 0), count: 2))

        tree = setting(Self.vaeGAN, ["sweep"], ["model.schedule.encoder_optimizer.lr": [0.01], "model.feature_layer": [0]])
        runs = try experiment(tree).runs
        guard case .vaeGAN(let model) = runs[0].model else { Issue.record("not a VAE-GAN"); return }
        #expect(model.schedule.encoderOptimizer == .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0))
        #expect(model.featureLayer == 0)
    }

    @Test func sweepErrorsAreBlamedOnTheSweep() {
        let packing = setting(Self.gan, ["sweep"], ["model.schedule.packing": [2, 0]])
        #expect(specError(packing) == SpecError(
            file: "x.json", path: #"sweep["model.schedule.packing"][1]"#, expected: "an integer from 1 to 16", found: "number 0"))
        let encoder = setting(Self.gan, ["sweep"], ["model.schedule.encoder_optimizer.lr": [0.1]])
        #expect(specError(encoder)?.found == #"unknown key "encoder_optimizer""#)
        let feature = setting(Self.vaeGAN, ["sweep"], ["model.feature_layer": [0, 5]])
        #expect(specError(feature)?.path == #"sweep["model.feature_layer"][1]"#)
    }
}
