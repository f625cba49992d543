import ArgumentParser
import Evaluation
import Foundation
import Report
import Runner
import Spec

/// `genlab migrate DIR...`: moves results folders written by GenLab 0.1 to the current run ids
/// and files (`ResultsMigration`), then rewrites each report and, where the folder has one, its
/// `SHA256SUMS`. Trains nothing; a folder already current is left as it is.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move results folders written by GenLab 0.1 to the current run ids and files, without training.",
        discussion: """
            GenLab 0.1 hashed the report section's grids and metrics into run ids, kept figures and metrics \
            in final.json and logged at epoch ends only (only runs whose file sets training.log_every_steps \
            to 0 are migrated; the others keep their old folders). Since the evaluation stage, run ids cover only what changes training, and what is \
            computed from the trained model is recorded in evaluation.json. For each results/<name> folder, \
            every run folder is renamed to its current id and its files are rewritten byte-identical to what \
            a run now writes; then the report is rewritten, and SHA256SUMS too where the folder has one.
            """
    )

    @Argument(help: "Experiment results folders (results/<name>).")
    var folders: [String]

    func run() throws {
        for folder in folders {
            let reporter = try failOnBadInput { try ExperimentReporter(folder: folder) }
            let outcome = try failOnBadInput { try ResultsMigration.migrate(folder: folder, experiment: reporter.experiment) }
            _ = try reporter.write(runFigures: false)
            var manifest = ""
            if FileManager.default.fileExists(atPath: folder + "/" + ResultManifest.fileName) {
                let computed = try ResultManifest.compute(folder: folder)
                try computed.write(folder: folder)
                manifest = ", \(ResultManifest.fileName) rewritten (\(computed.entries.count) files)"
            }
            let absent = outcome.absent.isEmpty ? "" : ", \(outcome.absent.count) never run"
            if !outcome.loggedOtherwise.isEmpty {
                FileHandle.standardError.write(Foundation.Data(("note: \(outcome.loggedOtherwise.count) run(s) of \(folder) were left as "
                    + "they are: GenLab 0.1 logged at epoch ends only, and the file asks for lines inside epochs; set "
                    + "training.log_every_steps to 0 in \(folder)/experiment.json to migrate them, or run the file again "
                    + "to retrain them\n").utf8))
            }
            if !outcome.classifierRecomputed.isEmpty {
                FileHandle.standardError.write(Foundation.Data(("note: the FID, KID and precision/recall of \(outcome.classifierRecomputed.count) "
                    + "run(s) of \(folder) came from a classifier trained on the experiment's train_size; they were removed, and "
                    + "genlab run recomputes them with the data set's shared classifier from the checkpoints\n").utf8))
            }
            let renamed = (outcome.classifierRenamed.isEmpty ? "" : ", \(outcome.classifierRenamed.count) naming the shared classifier")
                + (outcome.scatterRedrawn.isEmpty ? "" : ", \(outcome.scatterRedrawn.count) samples scatters redrawn")
                + (outcome.latentRelabelled.isEmpty ? "" : ", \(outcome.latentRelabelled.count) with latent dimensions relabelled from 0")
            print("\(reporter.experiment.name): \(outcome.migrated.count) runs migrated, \(outcome.current.count) already current"
                  + "\(absent)\(renamed); report rewritten\(manifest) — \(folder)")
        }
    }
}
