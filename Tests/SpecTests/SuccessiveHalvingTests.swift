import Foundation
import Testing
@testable import Spec

/// `search.successive_halving`: rung budgets, the runs of every trial at every rung, and the
/// file's mistakes named by their JSON path.
@Suite struct SuccessiveHalvingTests {
    static let space: JSONValue = [
        "training.optimizer.lr": ["distribution": "log_uniform", "low": 1e-4, "high": 1e-2],
        "model.beta": ["distribution": "uniform", "low": 0.5, "high": 4],
    ]
    static let halving: JSONValue = ["min_epochs": 1, "reduction": 3, "metric": "test_neg_elbo", "goal": "minimize"]

    static func file(trials: Int = 9, epochs: Int = 9, halving: JSONValue = halving) -> JSONValue {
        setting(setting(RandomSearchTests.search(trials: trials, space), ["search", "successive_halving"], halving),
                ["training", "epochs"], .int(Int64(epochs)))
    }

    @Test func budgetsGrowByTheReductionUpToTheEpochs() {
        func budgets(_ min: Int, _ eta: Int, _ epochs: Int) -> [Int] {
            SuccessiveHalving(minEpochs: min, reduction: eta, metric: "m", goal: .minimize).budgets(epochs: epochs)
        }
        #expect(budgets(1, 3, 9) == [1, 3, 9])
        #expect(budgets(1, 3, 20) == [1, 3, 9, 20])
        #expect(budgets(2, 2, 16) == [2, 4, 8, 16])
        #expect(budgets(5, 2, 6) == [5, 6])
        let rule = SuccessiveHalving(minEpochs: 1, reduction: 3, metric: "m", goal: .minimize)
        #expect([9, 3, 2, 1].map(rule.promoted) == [3, 1, 1, 1])
    }

    @Test func everyTrialAtEveryRungRecordsItsBudget() throws {
        let experiment = try SpecTestsSupport.load(Self.file())
        // 3 rungs (1, 3, 9 epochs) × 9 trials × 2 seeds, rungs outermost.
        #expect(experiment.runs.count == 3 * 9 * 2)
        #expect(experiment.runs.map(\.training.epochs) == [1, 3, 9].flatMap { Array(repeating: $0, count: 18) })
        #expect(experiment.runs[0].swept.map(\.path) == ["trial", "training.optimizer.lr", "model.beta", "training.epochs"])
        let plan = try #require(experiment.halving)
        #expect(plan.budgets == [[1, 3, 9]] && plan.trials == 9 && plan.seeds == 2)
        #expect(plan.places[20] == HalvingPlan.Place(bracket: 0, rung: 1, trial: 1, seed: 0))
        #expect(plan.predecessor(of: 20) == 2 && plan.predecessor(of: 2) == nil)
        // Trials 9, 3, 1 at the three rungs, each with 2 seeds.
        #expect(plan.trainedRuns == (9 + 3 + 1) * 2)
        // The same trial draws the same values at every rung; the budget is the run's epochs.
        #expect(experiment.runs[2].swept.dropLast() == experiment.runs[20].swept.dropLast())
        #expect(Set(experiment.runs.map(\.id)).count == experiment.runs.count)
        // Without halving, the same search has no plan and no budget.
        let plain = try SpecTestsSupport.load(setting(Self.file(), ["search", "successive_halving"], nil))
        #expect(plain.halving == nil && plain.runs.count == 18)
    }

    @Test func sweepsMakeBracketsSearchedApart() throws {
        let experiment = try SpecTestsSupport.load(setting(Self.file(trials: 3, epochs: 3), ["sweep"], ["model.latent": [2, 3]]))
        let plan = try #require(experiment.halving)
        #expect(plan.budgets == [[1, 3], [1, 3]])
        #expect(experiment.runs.count == 2 * 2 * 3 * 2)
        #expect(Set(plan.places.map(\.bracket)) == [0, 1])
    }

    @Test func badHalvingNamesThePath() {
        let path = "search.successive_halving"
        #expect(specError(Self.file(epochs: 1))?.path == path + ".min_epochs")
        #expect(specError(Self.file(halving: setting(Self.halving, ["min_epochs"], 0)))?.path == path + ".min_epochs")
        #expect(specError(Self.file(halving: setting(Self.halving, ["reduction"], 1)))?.path == path + ".reduction")
        #expect(specError(Self.file(halving: setting(Self.halving, ["goal"], "lowest")))?.path == path + ".goal")
        #expect(specError(Self.file(halving: setting(Self.halving, ["goal"], nil)))?.path == path + ".goal")
        #expect(specError(Self.file(halving: setting(Self.halving, ["rungs"], 3)))?.path == path + ".rungs")
        let metric = specError(Self.file(halving: setting(Self.halving, ["metric"], "fid")))
        #expect(metric?.path == path + ".metric" && metric?.expected.contains("report.metrics") == true, "\(String(describing: metric))")
        #expect(specError(Self.file(halving: "fast"))?.path == path)
        // training.epochs is the budget: it cannot be searched or swept as well.
        let searched = setting(Self.file(), ["search", "parameters", "training.epochs"], ["distribution": "integer", "low": 2, "high": 9])
        #expect(specError(searched)?.path == "search.parameters[\"training.epochs\"]")
        #expect(specError(setting(Self.file(), ["sweep"], ["training.epochs": [4, 9]]))?.path == "sweep[\"training.epochs\"]")
        let parent = setting(setting(Self.file(), ["search", "parameters", "training.optimizer.lr"], nil), ["sweep"], ["training": [["epochs": 4]]])
        #expect(specError(parent)?.path == "sweep[\"training\"]")
    }
}

/// `experiment(_:)` under a name that a local `experiment` does not shadow.
enum SpecTestsSupport {
    static func load(_ tree: JSONValue) throws -> Experiment { try experiment(tree) }
}
