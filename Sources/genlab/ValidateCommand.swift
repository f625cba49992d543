import ArgumentParser
import RunStore
import Runner
import Spec

/// `genlab validate FILE...`: checks experiment files without training or writing anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check experiment files without training: syntax, keys, values, sweeps, data and model shapes."
    )

    @Argument(help: "Experiment JSON files.")
    var files: [String]

    @Flag(name: .long, help: "Print each run's full spec (every default filled in) and its run id.")
    var resolved = false

    @Flag(name: .long, help: ArgumentHelp(
        "After each file's line, print a model summary for each distinct model configuration of its runs.",
        discussion: "For each network: one row per layer (kind and options, output shape per example, parameters), "
            + "then its totals; then the model's parameters, the FLOPs of one training step and the memory estimate. "
            + ModelSummary.flopsRule))
    var summary = false

    @OptionGroup var memory: MemoryLimitOption

    func run() throws {
        let catalog = DataCatalog()
        let limit = try memory.resolve()
        for file in files {
            let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
            let largest = try failOnBadInput {
                try SweepRunner(resultsRoot: "", progress: ProgressPrinter(style: .quiet), memoryLimit: limit)
                    .preflight(experiment, catalog: catalog)
            }
            if resolved {
                print(experiment.resolvedText, terminator: "")
            } else {
                let memory = largest.map { ", \($0.summary) per worker (limit \(limit))" } ?? ""
                let halving = experiment.halving.map { ", of which \($0.trainedRuns) train (successive halving: \($0.budgets[0].map(String.init).joined(separator: ", ")) epochs)" } ?? ""
                print("\(file): ok — \(experiment.name), \(experiment.runs.count) run(s)\(halving)\(memory)")
            }
            if summary {
                print(try failOnBadInput { try ModelSummary.text(experiment, catalog: catalog, memoryLimit: limit) }, terminator: "")
            }
        }
    }
}
