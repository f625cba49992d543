import Foundation
import Testing
@testable import Spec

/// `search`: random search drawn from a seeded hash, expanded into runs.
@Suite struct RandomSearchTests {
    static func search(trials: Int = 6, seed: Int64 = 0, _ parameters: JSONValue) -> JSONValue {
        setting(setting(minimal, ["search"], ["method": "random", "trials": .int(Int64(trials)), "seed": .int(seed),
                                              "parameters": parameters]), ["seeds"], [0, 1])
    }
    static let space: JSONValue = [
        "training.optimizer.lr": ["distribution": "log_uniform", "low": 1e-4, "high": 1e-2],
        "model.beta": ["distribution": "uniform", "low": 0.5, "high": 4],
        "model.latent": ["distribution": "integer", "low": 2, "high": 9],
        "training.batch": ["distribution": "choice", "values": [32, 64, 128]],
    ]

    /// The number at `keys` of a run's resolved JSON.
    static func number(_ run: RunSpec, _ keys: String...) -> Double? {
        var node = run.resolvedJSON
        for key in keys {
            guard case .object(let object) = node, let next = object[key] else { return nil }
            node = next
        }
        return node.numberValue
    }

    @Test func trialsTimesSeedsRunsRecordTheTrialAndItsDraws() throws {
        let runs = try experiment(Self.search(Self.space)).runs
        #expect(runs.count == 6 * 2)
        #expect(runs[0].swept.map(\.path) == ["trial", "training.optimizer.lr", "model.beta", "model.latent", "training.batch"])
        for (index, run) in runs.enumerated() {
            #expect(run.swept[0].value == "\(index / 2)")
            #expect(run.seed == UInt64(index % 2))
            let lr = try #require(Self.number(run, "training", "optimizer", "lr"))
            #expect(lr >= 1e-4 && lr <= 1e-2)
            #expect((0.5...4).contains(try #require(Self.number(run, "model", "beta"))))
            #expect((2...9).contains(try #require(Self.number(run, "model", "latent"))))
            #expect([32, 64, 128].contains(run.training.batch))
            // The run holds the drawn values (as 32-bit floats where the field is one).
            #expect(Float(lr) == Float(try #require(Double(run.swept[1].value))))
            // The run is built from the drawn values, which are rounded to 6 significant digits.
            #expect(run.swept[1].value.count <= 13, "\(run.swept[1].value)")
        }
        // Seeds of a trial share its values; trials differ.
        #expect(runs[0].swept == runs[1].swept && runs[0].swept != runs[2].swept)
        #expect(Set(runs.map(\.id)).count == runs.count)
    }

    /// Trial k depends on the seed, the path and k alone: more trials keep the first ones, another
    /// searched path leaves the others' draws, another seed changes them.
    @Test func aTrialDependsOnlyOnTheSeedThePathAndItsNumber() throws {
        func draws(_ tree: JSONValue) throws -> [[String]] {
            var out: [[String]] = []
            for run in try experiment(tree).runs where run.seed == 0 {
                out.append(run.swept.filter { $0.path == "model.beta" || $0.path == "training.optimizer.lr" }.map(\.value))
            }
            return out
        }
        let six = try draws(Self.search(Self.space))
        #expect(try draws(Self.search(trials: 9, Self.space)).prefix(6).elementsEqual(six))
        let fewer: JSONValue = [
            "training.optimizer.lr": ["distribution": "log_uniform", "low": 1e-4, "high": 1e-2],
            "model.beta": ["distribution": "uniform", "low": 0.5, "high": 4],
        ]
        #expect(try draws(Self.search(fewer)) == six)
        #expect(try draws(Self.search(seed: 1, Self.space)) != six)
        #expect(try draws(Self.search(Self.space)) == six, "the same file draws the same trials")
    }

    @Test func drawsFollowTheirDistributions() {
        let search = RandomSearch(trials: 2000, seed: 7, parameters: [
            ("a", .uniform(low: -1, high: 3)), ("b", .logUniform(low: 1e-5, high: 1e-1)),
            ("c", .integer(low: 0, high: 3)), ("d", .choice(["x", "y"])),
        ])
        var a: [Double] = [], logB: [Double] = [], c = [Int64: Int](), d = [String: Int]()
        for k in 0..<2000 {
            let u = (0..<4).map { search.uniform(path: ["a", "b", "c", "d"][$0], trial: k, attempt: 0) }
            guard case .number(let x) = search.parameters[0].distribution.value(u[0]),
                  case .number(let y) = search.parameters[1].distribution.value(u[1]),
                  case .int(let n) = search.parameters[2].distribution.value(u[2]),
                  case .string(let s) = search.parameters[3].distribution.value(u[3]) else { Issue.record("kinds"); return }
            a.append(x); logB.append(log10(y)); c[n, default: 0] += 1; d[s, default: 0] += 1
        }
        let meanA = a.reduce(0, +) / 2000, meanLogB = logB.reduce(0, +) / 2000
        #expect(abs(meanA - 1) < 0.1 && a.min()! >= -1 && a.max()! <= 3)
        #expect(abs(meanLogB + 3) < 0.1, "log-uniform: log10 uniform on [−5, −1], mean −3: \(meanLogB)")
        #expect(c.keys.sorted() == [0, 1, 2, 3] && c.values.allSatisfy { abs($0 - 500) < 80 }, "\(c)")
        #expect(d.values.allSatisfy { abs($0 - 1000) < 100 }, "\(d)")
    }

    /// A small space: every trial differs from the others; more trials than the space holds is bad input.
    @Test func trialsAreDistinctAndASpaceTooSmallIsRefused() throws {
        let small: JSONValue = ["training.batch": ["distribution": "choice", "values": [32, 64, 128]]]
        let runs = try experiment(Self.search(trials: 3, small)).runs
        #expect(Set(runs.map(\.training.batch)) == [32, 64, 128])
        #expect(specError(Self.search(trials: 4, small)) == SpecError(
            file: "x.json", path: "search.trials",
            expected: "at most 3 trials (the searched values allow 3 distinct configurations)", found: "4"))
    }

    @Test func badSearchesNameThePath() {
        func bad(_ parameters: JSONValue, trials: Int = 2) -> SpecError? { specError(Self.search(trials: trials, parameters)) }
        let lr = "search.parameters[\"training.optimizer.lr\"]"
        #expect(bad(["training.optimizer.lr": ["distribution": "log_uniform", "low": 0, "high": 1]]) == SpecError(
            file: "x.json", path: lr + ".low",
            expected: "a number > 0 (log_uniform draws between the logarithms of its bounds)", found: "number 0"))
        #expect(bad(["training.optimizer.lr": ["distribution": "log_uniform", "low": -1e-3, "high": 1]])?.path == lr + ".low")
        #expect(bad(["training.optimizer.lr": ["distribution": "uniform", "low": 0.1, "high": 0.1]]) == SpecError(
            file: "x.json", path: lr + ".high", expected: "a finite number > low (0.1)", found: "number 0.1"))
        #expect(bad(["training.optimizer.lr": ["distribution": "logarithmic", "low": 1, "high": 2]])?.path == lr + ".distribution")
        #expect(bad(["training.optimizer.lr": ["distribution": "uniform", "low": "a", "high": 2]])?.path == lr + ".low")
        #expect(bad(["training.optimizer.lr": ["distribution": "uniform", "low": 1, "high": 2, "values": [1]]])?.path == lr + ".values")
        #expect(bad(["model.latent": ["distribution": "integer", "low": 2, "high": 2.5]])?.path == "search.parameters[\"model.latent\"].high")
        #expect(bad(["training.batch": ["distribution": "choice", "values": []]])?.path == "search.parameters[\"training.batch\"].values")
        #expect(bad(["training.batch": ["distribution": "choice", "values": [32, 32]]])?.path == "search.parameters[\"training.batch\"].values[1]")
        #expect(bad(["model.betta": ["distribution": "uniform", "low": 1, "high": 2]])?.path == "search.parameters[\"model.betta\"]")
        #expect(bad([:])?.path == "search.parameters")
        // A draw the run section refuses (a learning rate of 0) names the searched path and the trial.
        let zero = bad(["training.optimizer.lr": ["distribution": "uniform", "low": -1, "high": 0]])
        #expect(zero?.path == lr && zero?.found.contains("(drawn in trial 0)") == true, "\(String(describing: zero))")
        // Searched and swept paths must not overlap.
        let both = setting(Self.search(["model.beta": ["distribution": "uniform", "low": 1, "high": 2]]), ["sweep"], ["model.beta": [1, 4]])
        #expect(specError(both)?.path == "search.parameters[\"model.beta\"]")
        #expect(specError(setting(Self.search(Self.space), ["search", "method"], "grid"))?.path == "search.method")
        #expect(specError(setting(Self.search(Self.space), ["search", "trials"], 0))?.path == "search.trials")
        #expect(specError(setting(Self.search(Self.space), ["search", "budget"], 3))?.path == "search.budget")
    }

    /// Variants × sweep × trials × seeds, and every variant gets the same trials' draws.
    @Test func variantsAndSweepsMultiplyTheTrials() throws {
        var tree = Self.search(trials: 3, ["model.beta": ["distribution": "uniform", "low": 1, "high": 2]])
        tree = setting(tree, ["sweep"], ["model.latent": [2, 3]])
        tree = setting(tree, ["variants"], ["a": ["training": ["batch": 32]], "b": ["training": ["batch": 64]]])
        let runs = try experiment(tree).runs
        #expect(runs.count == 2 * 2 * 3 * 2)
        #expect(runs[0].swept.map(\.path) == ["variant", "model.latent", "trial", "model.beta"])
        let betas = { (variant: String) in runs.filter { $0.swept[0].value == "\"\(variant)\"" }.map { $0.swept[3].value } }
        #expect(betas("a") == betas("b"))
    }
}
