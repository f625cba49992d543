import Testing
import Spec

@Suite struct SweepTests {
    @Test func quickstartExpandsSweepOuterSeedsInner() throws {
        let experiment = try ExperimentLoader.parse(text: quickstart, file: "q.json")
        #expect(experiment.source == quickstart)
        #expect(experiment.runs.map(\.seed) == [0, 1, 0, 1])
        #expect(experiment.runs.map(\.swept) == [
            [SweptValue(path: "model.beta", value: "1")], [SweptValue(path: "model.beta", value: "1")],
            [SweptValue(path: "model.beta", value: "4")], [SweptValue(path: "model.beta", value: "4")],
        ])
        let betas = experiment.runs.map { run -> Float in
            guard case .vae(let vae) = run.model else { return -1 }
            return vae.beta
        }
        #expect(betas == [1, 1, 4, 4])
        #expect(Set(experiment.runs.map(\.id)).count == 4)
        #expect(experiment.runs.allSatisfy { $0.experiment == "quickstart" })
    }

    @Test func firstDeclaredPathIsOutermost() throws {
        var tree = setting(minimal, ["sweep"], ["training.optimizer.lr": [0.1, 0.2, 0.3], "model.latent": [2, 3]])
        tree = setting(tree, ["seeds"], [5, 6])
        let runs = try experiment(tree).runs
        #expect(runs.count == 12)
        let order = runs.map { "\($0.swept.map(\.value).joined(separator: "/"))#\($0.seed)" }
        #expect(order == ["0.1/2#5", "0.1/2#6", "0.1/3#5", "0.1/3#6", "0.2/2#5", "0.2/2#6",
                          "0.2/3#5", "0.2/3#6", "0.3/2#5", "0.3/2#6", "0.3/3#5", "0.3/3#6"])
        #expect(runs[4].training.optimizer == .adam(lr: 0.2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0))
        #expect(runs.map(\.swept[0].path) == Array(repeating: "training.optimizer.lr", count: 12))
    }

    @Test func sweepingAnActivationLetsInitFollowIt() throws {
        var tree = setting(minimal, ["model", "encoder"], [["dense": 8, "activation": "relu"]])
        tree = setting(tree, ["sweep"], ["model.encoder[0].activation": ["relu", "tanh"], "model.encoder[0].dense": [16]])
        let runs = try experiment(tree).runs
        let layers = runs.map { run -> LayerSpec? in
            guard case .vae(let vae) = run.model else { return nil }
            return vae.encoder.first
        }
        #expect(layers == [.dense(units: 16, activation: .relu, batchNorm: false, initializer: .he),
                           .dense(units: 16, activation: .tanh, batchNorm: false, initializer: .glorot)])
    }

    @Test func wholeObjectsCanBeSwept() throws {
        let tree = setting(minimal, ["sweep"], ["training.optimizer": [["type": "sgd", "momentum": 0.9], ["type": "adamw"]]])
        let runs = try experiment(tree).runs
        #expect(runs.map(\.training.optimizer) == [
            .sgd(lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0),
            .adamw(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01),
        ])
        #expect(runs[0].swept == [SweptValue(path: "training.optimizer", value: #"{"momentum":0.9,"type":"sgd"}"#)])
    }

    @Test func nonexistentPathIsAnErrorWithAHint() {
        let tree = setting(minimal, ["sweep"], ["model.betta": [1, 2]])
        #expect(specError(tree) == SpecError(
            file: "x.json", path: #"sweep["model.betta"]"#, expected: "a path to a key of the resolved experiment",
            found: #"unknown key "betta""#, hint: #"did you mean "model.beta"?"#))
        let index = setting(minimal, ["sweep"], ["model.encoder[0].dense": [1]])
        #expect(specError(index)?.found == "index 0 of model.encoder, which has 0 elements")
        let seeds = setting(minimal, ["sweep"], ["seeds": [1]])
        #expect(specError(seeds) == SpecError(
            file: "x.json", path: #"sweep["seeds"]"#, expected: #"a path inside "data", "model", "training", "report""#,
            found: #"string "seeds""#, hint: #"list seeds in "seeds""#))
        let malformed = setting(minimal, ["sweep"], ["model..beta": [1]])
        #expect(specError(malformed)?.expected == #"a dotted path such as "model.beta" or "model.encoder[0].dense""#)
        let notApplicable = setting(minimal, ["sweep"], ["model.sigma": [1]])
        #expect(specError(notApplicable)?.found == #"unknown key "sigma""#)
        let empty = setting(minimal, ["sweep"], ["model.beta": []])
        #expect(specError(empty) == SpecError(
            file: "x.json", path: #"sweep["model.beta"]"#, expected: "a non-empty array of values", found: "empty array"))
    }

    @Test func badSweptValueIsReportedAtItsIndex() {
        let tree = setting(minimal, ["sweep"], ["model.beta": [1, -3]])
        #expect(specError(tree) == SpecError(
            file: "x.json", path: #"sweep["model.beta"][1]"#, expected: "a number ≥ 0", found: "number -3"))
        let nested = setting(minimal, ["sweep"], ["training.optimizer": [["type": "adam"], ["type": "sgd", "lr": 0]]])
        #expect(specError(nested) == SpecError(
            file: "x.json", path: #"sweep["training.optimizer"][1].lr"#, expected: "a number > 0", found: "number 0"))
        let activation = setting(setting(minimal, ["model", "encoder"], [["dense": 4]]), ["sweep"],
                                 ["model.encoder[0].activation": ["relu", "relux"]])
        #expect(specError(activation)?.path == #"sweep["model.encoder[0].activation"][1]"#)
        #expect(specError(activation)?.hint == #"did you mean "relu"?"#)
    }

    @Test func combinationErrorsAreReportedAtSweep() {
        var tree = setting(minimal, ["training", "optimizer"], ["type": "sgd", "momentum": 0.9])
        tree = setting(tree, ["sweep"], ["training.optimizer.nesterov": [true], "training.optimizer.momentum": [0.5, 0]])
        #expect(specError(tree) == SpecError(
            file: "x.json", path: #"sweep["training.optimizer.nesterov"][0]"#, expected: "false unless \"momentum\" > 0",
            found: "boolean true with momentum 0",
            hint: "when training.optimizer.nesterov=true, training.optimizer.momentum=0"))
        // An error outside every swept path is reported at `sweep`, with where and when.
        let dataset = setting(minimal, ["sweep"], ["data.dataset": ["ring", "idx"]])
        #expect(specError(dataset) == SpecError(
            file: "x.json", path: "sweep", expected: "a non-empty string", found: "missing key",
            hint: #"at data.path when data.dataset="idx""#))
    }

    @Test func duplicateRunsAreAnError() {
        let tree = setting(minimal, ["sweep"], ["model.beta": [1, 2, 1.0]])
        #expect(specError(tree)?.path == "sweep")
        #expect(specError(tree)?.expected == "sweep values that give distinct runs")
        #expect(specError(tree)?.found.hasPrefix("model.beta=1, seed 0 and model.beta=1.0, seed 0 resolve to the same run ") == true)
    }

    @Test func overlappingPathsAreAnError() {
        let tree = setting(setting(minimal, ["model", "encoder"], [["dense": 4]]), ["sweep"],
                           ["model.encoder": [[["dense": 2]]], "model.encoder[0].dense": [3]])
        #expect(specError(tree)?.path == #"sweep["model.encoder[0].dense"]"#)
    }

    @Test func runCountIsBounded() {
        let values = JSONValue.array((1...101).map { .int($0) })
        let tree = setting(minimal, ["sweep"], ["model.latent": values, "training.epochs": values])
        #expect(specError(tree) == SpecError(
            file: "x.json", path: "sweep", expected: "at most 10000 runs (sweep combinations × seeds)", found: "10201 runs"))
    }
}
