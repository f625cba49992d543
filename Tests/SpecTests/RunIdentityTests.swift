import Foundation
import Testing
import Spec

@Suite struct RunIdentityTests {
    @Test func idIsTheSHA256PrefixOfTheCanonicalJSON() throws {
        let run = try experiment(minimal).runs[0]
        let digest = try coreutilsSHA256(Array(run.canonicalJSON.utf8))
        #expect(run.id == String(digest.prefix(12)))
        #expect(run.id.count == 12)
        #expect(RunSpec.identifier(canonicalJSON: "") == "e3b0c44298fc")
    }

    @Test func keyOrderAndDefaultsSpelledOutDoNotChangeTheId() throws {
        let a = """
            {"name":"a","data":{"dataset":"ring"},"model":{"type":"vae","latent":2},"training":{"epochs":1}}
            """
        let b = """
            {"training": {"optimizer": {"lr": 0.001, "type": "adam"}, "epochs": 1, "batch": 128},
             "model": {"latent": 2, "beta": 1.0, "type": "vae"}, "data": {"seed": 0, "dataset": "ring"},
             "name": "different-name", "seeds": [0]}
            """
        let runA = try ExperimentLoader.parse(text: a, file: "a.json").runs[0]
        let runB = try ExperimentLoader.parse(text: b, file: "b.json").runs[0]
        #expect(runA.canonicalJSON == runB.canonicalJSON)
        #expect(runA.id == runB.id)
        #expect(runA.experiment != runB.experiment)
    }

    @Test func changingAValueChangesTheId() throws {
        let a = try experiment(minimal).runs[0]
        let b = try experiment(setting(minimal, ["training", "optimizer"], ["type": "adam", "lr": 0.0011])).runs[0]
        let seeded = try experiment(setting(minimal, ["seeds"], [1])).runs[0]
        #expect(a.id != b.id)
        #expect(a.id != seeded.id)
    }

    @Test func resolvedJSONRoundTripsToTheSameRun() throws {
        var tree = setting(minimal, ["model", "encoder"], [
            ["dense": 32, "activation": "leaky_relu", "slope": 0.01, "batch_norm": true], ["batch_norm": true, "momentum": 0.05],
            ["activation": "softplus"], ["reshape": [2, 16]], ["flatten": true],
        ])
        tree = setting(tree, ["model", "likelihood"], "gaussian")
        tree = setting(tree, ["model", "sigma"], 0.3)
        tree = setting(tree, ["data"], ["dataset": "fashion-mnist", "train_size": 1000])
        tree = setting(tree, ["training", "clip_norm"], 5)
        tree = setting(tree, ["training", "optimizer"], ["type": "rmsprop", "lr": 3e-4])
        tree = setting(tree, ["sweep"], ["model.beta": [0.5, 2]])
        var runs = try experiment(tree).runs
        runs += try ExperimentLoader.parse(text: quickstart, file: "q.json").runs
        runs += try experiment(setting(minimal, ["training", "optimizer"], ["type": "sgd", "momentum": 0.9, "nesterov": true])).runs
        runs += try experiment(setting(minimal, ["data"], ["dataset": "idx", "path": "/data/mnist"])).runs
        runs += try experiment(setting(AdversarialTests.gan, ["model", "loss"], "wasserstein")).runs
        runs += try experiment(AdversarialTests.vaeGAN).runs
        runs += try ExperimentLoader.parse(text: SchemaAgreementTests.gan, file: "gan.json").runs
        for run in runs {
            let text = run.resolvedJSON.pretty
            let back = try ExperimentLoader.parseRun(text: text, file: "spec.json", experiment: run.experiment, swept: run.swept)
            #expect(back == run)
            #expect(back.canonicalJSON == run.canonicalJSON)
        }
    }

    @Test func resolvedExperimentListsEveryRun() throws {
        let experiment = try ExperimentLoader.parse(text: quickstart, file: "q.json")
        let text = experiment.resolvedText
        let parsed = try JSONParser.parse(text, file: "resolved")
        guard case .object(let object) = parsed, case .array(let runs)? = object["runs"] else {
            Issue.record("unexpected shape"); return
        }
        #expect(runs.count == 4)
        #expect(object["name"] == "quickstart")
        guard case .object(let first) = runs[0] else { Issue.record("run is not an object"); return }
        #expect(first["id"] == .string(experiment.runs[0].id))
        #expect(first["swept"] == [["path": "model.beta", "value": 1]])
        #expect(first["spec"]?.canonical == experiment.runs[0].resolvedJSON.canonical)
    }
}
