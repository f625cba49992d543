import Foundation
import Testing
import Spec

/// The `FULL`, `GAN` and `VAE_GAN` documents of .ci/check-schema.py (accepted by the JSON Schema)
/// must decode here too.
@Suite struct SchemaAgreementTests {
    static let full = """
        {"name":"full","description":"all kinds","data":{"dataset":"fashion-mnist","path":null,"train_size":1000,"test_size":null,"seed":2},
         "model":{"type":"vae","latent":4,"beta":0.5,"beta_warmup_steps":100,"likelihood":"gaussian","sigma":0.3,
          "encoder":[{"flatten":true},{"dense":32,"activation":"leaky_relu","slope":0.01,"batch_norm":true,"init":"glorot"},
                     {"batch_norm":true,"momentum":0.05,"epsilon":1e-3},{"activation":"softplus"}],
          "decoder":[{"dense":16},{"activation":"leaky_relu","slope":0.1},{"reshape":[1,4,4]}]},
         "training":{"epochs":2,"batch":32,"optimizer":{"type":"sgd","lr":0.1,"momentum":0.9,"nesterov":true,"weight_decay":1e-4},
                     "clip_norm":null,"threads":2,"checkpoint_steps":50},
         "seeds":[3,1],"sweep":{"model.encoder[1].dense":[8,16],"training.optimizer":[{"type":"adamw"}]},"report":{"grids":["samples"]}}
        """

    @Test func fullDocumentDecodes() throws {
        let experiment = try ExperimentLoader.parse(text: Self.full, file: "full.json")
        #expect(experiment.runs.count == 4)
        #expect(experiment.runs.map(\.seed) == [3, 1, 3, 1])
        let run = experiment.runs[3]
        #expect(run.data == DataSpec(dataset: .fashionMNIST, path: nil, trainSize: 1000, testSize: nil, seed: 2))
        #expect(run.training == TrainingSpec(epochs: 2, batch: 32,
                                             optimizer: .adamw(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01),
                                             clipNorm: nil, threads: 2, checkpointSteps: 50))
        #expect(run.report == ReportSpec(grids: [.samples]))
        #expect(run.model == .vae(VAESpec(
            latent: 4, beta: 0.5, betaWarmupSteps: 100, likelihood: .gaussian(sigma: 0.3),
            encoder: [.flatten, .dense(units: 16, activation: .leakyReLU(slope: 0.01), batchNorm: true, initializer: .glorot),
                      .batchNorm(momentum: 0.05, epsilon: 1e-3), .activation(.softplus)],
            decoder: [.dense(units: 16, activation: .linear, batchNorm: false, initializer: .glorot),
                      .activation(.leakyReLU(slope: 0.1)), .reshape([1, 4, 4])])))
        #expect(run.swept == [SweptValue(path: "model.encoder[1].dense", value: "16"),
                              SweptValue(path: "training.optimizer", value: #"{"type":"adamw"}"#)])
    }

    static let gan = """
        {"name":"dcgan","data":{"dataset":"fashion-mnist"},
         "model":{"type":"gan","latent":64,"prior":"uniform",
          "generator":[{"dense":3136,"activation":"relu","batch_norm":true},{"reshape":[64,7,7]},
                       {"deconv":32,"kernel":4,"stride":2,"padding":1,"activation":"relu","batch_norm":true},
                       {"deconv":1,"kernel":4,"stride":2,"padding":1,"activation":"tanh"}],
          "discriminator":[{"conv":32,"kernel":4,"stride":2,"padding":1,"activation":"leaky_relu","slope":0.2,"init":"he"},
                           {"dropout":0.3},{"flatten":true},{"maxout":64,"pieces":2}],
          "loss":"wasserstein",
          "schedule":{"discriminator_steps":5,"warmup_steps":10,"label_smoothing":0.1,"instance_noise":0.1,
                      "instance_noise_decay_steps":1000,"packing":2,"weight_clip":null,"ema":0.999,
                      "generator_optimizer":{"type":"adam","lr":2e-4,"beta1":0.5},
                      "discriminator_optimizer":{"type":"rmsprop","lr":5e-5}}},
         "training":{"epochs":1,"batch":64},
         "sweep":{"model.schedule.packing":[1,2],"model.loss":["hinge","wasserstein"]}}
        """

    static let vaeGAN = """
        {"name":"vaegan","data":{"dataset":"ring"},
         "model":{"type":"vae-gan","latent":2,"beta":0.5,"gamma":0.01,"feature_layer":1,
          "encoder":[{"dense":32,"activation":"relu"}],"decoder":[{"dense":32,"activation":"relu"},{"dense":2}],
          "discriminator":[{"dense":32,"activation":"leaky_relu"},{"dense":16,"activation":"leaky_relu"}],
          "schedule":{"encoder_optimizer":{"type":"adam","lr":1e-4}}},
         "training":{"epochs":1,"optimizer":{"type":"adam","lr":3e-4,"beta1":0.5}}}
        """

    @Test func ganDocumentDecodes() throws {
        let experiment = try ExperimentLoader.parse(text: Self.gan, file: "gan.json")
        #expect(experiment.runs.count == 4)
        guard case .gan(let gan) = experiment.runs[3].model else { Issue.record("not a GAN"); return }
        #expect(gan.latent == 64 && gan.prior == .uniform && gan.loss == .wasserstein)
        #expect(gan.generator.count == 4 && gan.discriminator.count == 4)
        #expect(gan.generator[2] == .deconv(filters: 32, kernel: 4, stride: 2, padding: 1, activation: .relu, batchNorm: true,
                                            initializer: .he))
        #expect(gan.discriminator == [
            .conv(filters: 32, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he),
            .dropout(rate: 0.3), .flatten, .maxout(units: 64, pieces: 2),
        ])
        #expect(gan.schedule == AdversarialSchedule(
            discriminatorSteps: 5, warmupSteps: 10, labelSmoothing: 0.1, instanceNoise: 0.1, instanceNoiseDecaySteps: 1000,
            packing: 2, weightClip: nil, ema: 0.999,
            generatorOptimizer: .adam(lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
            discriminatorOptimizer: .rmsprop(lr: 5e-5, alpha: 0.99, epsilon: 1e-8, momentum: 0, weightDecay: 0),
            encoderOptimizer: .adam(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)))
    }

    @Test func vaeGANDocumentDecodes() throws {
        let experiment = try ExperimentLoader.parse(text: Self.vaeGAN, file: "vaegan.json")
        guard case .vaeGAN(let model) = experiment.runs[0].model else { Issue.record("not a VAE-GAN"); return }
        let training = OptimizerSpec.adam(lr: 3e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
        #expect(model.featureLayer == 1 && model.beta == 0.5 && model.gamma == 0.01 && model.loss == .nonSaturating)
        #expect(model.schedule == AdversarialSchedule(
            generatorOptimizer: training, discriminatorOptimizer: training,
            encoderOptimizer: .adam(lr: 1e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)))
    }

    /// The `metrics` good document of .ci/check-schema.py: the quickstart with every metric.
    @Test func metricsDocumentDecodes() throws {
        let metrics = #"["iwae",{"name":"active_units","threshold":0.05,"examples":null},{"name":"kl_per_dimension","examples":500},"#
            + #"{"name":"fid","samples":5000},{"name":"kid","samples":5000,"subsets":10,"subset_size":500},"#
            + #"{"name":"precision_recall","k":5},{"name":"mig","points":2000,"bins":10},"#
            + #"{"name":"beta_vae_score","batch":32},{"name":"factor_vae_score","variance_points":5000},"#
            + #"{"name":"sap","train_points":2000,"test_points":1000},{"name":"dci","train_points":2000}]"#
        let text = String(quickstart.dropLast()) + #","report":{"metrics":"# + metrics + "}}"
        let run = try ExperimentLoader.parse(text: text, file: "metrics.json").runs[0]
        #expect(run.report.metrics == [.iwae(k: 1000, examples: 1000), .activeUnits(threshold: 0.05, examples: nil),
                                       .klPerDimension(examples: 500), .fid(samples: 5000),
                                       .kid(samples: 5000, subsets: 10, subsetSize: 500), .precisionRecall(samples: 10_000, k: 5),
                                       .mig(points: 2000, bins: 10), .betaVAEScore(batch: 32, trainPoints: 10_000, evalPoints: 5000),
                                       .factorVAEScore(batch: 64, trainPoints: 10_000, evalPoints: 5000, variancePoints: 5000),
                                       .sap(trainPoints: 2000, testPoints: 1000), .dci(trainPoints: 2000, testPoints: 5000)])
    }

    /// The bounds the schema states are `SpecLimits`' (issue 13): each schema location with its limit.
    @Test func schemaBoundsAreTheDecodersLimits() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/experiment.schema.json")
        let schema = try JSONParser.parse(String(contentsOf: url, encoding: .utf8), file: "schema")
        func value(_ keys: [String]) -> JSONValue? {
            keys.reduce(Optional(schema)) { node, key in
                guard case .object(let object)? = node else { return nil }
                return object[key]
            }
        }
        let bounds: [([String], Int)] = [
            (["properties", "name", "maxLength"], SpecLimits.maxNameLength),
            (["properties", "seeds", "maxItems"], SpecLimits.maxRuns),
            (["properties", "sweep", "maxProperties"], SpecLimits.maxSweepPaths),
            (["$defs", "units", "maximum"], SpecLimits.maxUnits),
            (["$defs", "latent", "maximum"], SpecLimits.maxLatent),
            (["$defs", "side", "maximum"], SpecLimits.maxKernel),
            (["$defs", "steps", "maximum"], SpecLimits.maxSteps),
            (["$defs", "examples", "maximum"], SpecLimits.maxExamples),
            (["$defs", "training", "properties", "epochs", "maximum"], SpecLimits.maxEpochs),
            (["$defs", "training", "properties", "checkpoint_steps", "maximum"], SpecLimits.maxSteps),
            (["$defs", "data", "properties", "train_size", "maximum"], SpecLimits.maxExamples),
            (["$defs", "data", "properties", "test_size", "maximum"], SpecLimits.maxExamples),
            (["$defs", "convolution", "properties", "padding", "maximum"], SpecLimits.maxKernel),
        ]
        for (keys, limit) in bounds {
            #expect(value(keys) == .int(Int64(limit)), "schema \(keys.joined(separator: "."))")
        }
    }
}
