import Testing
import Spec

/// The `FULL` document of .ci/check-schema.py (accepted by the JSON Schema) must decode here too.
@Suite struct SchemaAgreementTests {
    static let full = """
        {"name":"full","description":"all kinds","data":{"dataset":"fashion-mnist","path":null,"train_size":1000,"test_size":null,"seed":2},
         "model":{"type":"vae","latent":4,"beta":0.5,"beta_warmup_steps":100,"likelihood":"gaussian","sigma":0.3,
          "encoder":[{"flatten":true},{"dense":32,"activation":"leaky_relu","slope":0.01,"batch_norm":true,"init":"glorot"},
                     {"batch_norm":true,"momentum":0.05,"epsilon":1e-3},{"activation":"softplus"}],
          "decoder":[{"dense":16},{"activation":"leaky_relu","slope":0.1},{"reshape":[1,4,4]}]},
         "training":{"epochs":2,"batch":32,"optimizer":{"type":"sgd","lr":0.1,"momentum":0.9,"nesterov":true,"weight_decay":1e-4},
                     "clip_norm":null,"threads":2},
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
                                             clipNorm: nil, threads: 2))
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
}
