import ArgumentParser
import Foundation
import RunStore
import Runner
import Spec

/// `genlab slurm FILE`: writes the sbatch scripts that run the experiment as a Slurm job array,
/// one shard per task (by default each task's CPUs divided by the runs' `training.threads` runs
/// per task, `CoreSharing`), plus a report job after the array, and a snapshot of FILE that the
/// jobs run.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write sbatch scripts that run an experiment as a Slurm job array.",
        discussion: """
            Writes DIR/<name>/slurm/{experiment.json,array.sbatch,report.sbatch,submit.sh}; run submit.sh to submit both jobs. \
            The jobs run slurm/experiment.json, the file as it was now: after editing FILE, run genlab slurm again.
            """
    )

    @Argument(help: "The experiment JSON file.")
    var file: String

    @Option(name: .long, help: "Folder under which <name>/ is made (on a file system every node shares).")
    var results: String = "results"

    @Option(name: .long, help: "Slurm partition.")
    var partition: String?

    @Option(name: .long, help: "Time limit of each array task, in Slurm's format (e.g. 2:00:00 or 1-00:00:00).")
    var time: String?

    @Option(name: .long, help: "CPUs per array task (default: the file's training.threads); each task runs CPUs / training.threads runs at once.")
    var cpusPerTask: Int?

    @Option(name: .long, help: "At most this many array tasks at once.")
    var arrayParallelism: Int?

    @Option(name: .long, help: "Array tasks (shards); default: ⌈runs / runs per task⌉.")
    var shards: Int?

    @OptionGroup var memory: MemoryLimitOption

    func run() throws {
        let limit = try memory.resolve()
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: file) }
        var scripts = try failOnBadInput { try makeScripts(experiment) }
        // Written into the `genlab run` line when it is not the default, so the nodes need no environment.
        scripts.memoryLimit = limit == .standard ? nil : limit
        _ = try failOnBadInput {
            try SweepRunner(resultsRoot: results, progress: ProgressPrinter(style: .quiet), memoryLimit: limit)
                .preflight(experiment, catalog: DataCatalog())
        }
        let written = try scripts.write()
        for path in written { print("wrote \(path)") }
        print("submit with: bash \(scripts.folder)/submit.sh")
    }

    private func makeScripts(_ experiment: Experiment) throws(SpecError) -> SlurmScripts {
        func bad(_ option: String, _ expected: String, _ found: String) -> SpecError {
            SpecError(file: "command line", path: option, expected: expected, found: found)
        }
        let runs = experiment.runs.count, threads = CoreSharing.threads(of: experiment.runs)
        let cpusPerTask = self.cpusPerTask ?? threads
        guard (1...256).contains(cpusPerTask) else { throw bad("--cpus-per-task", "from 1 to 256", "\(cpusPerTask)") }
        let jobsPerTask = CoreSharing.jobs(cores: cpusPerTask, threads: threads)
        // Successive halving trains rung 0's runs at most at once: shards sized for those.
        let atOnce = experiment.halving.map { $0.budgets.count * $0.trials * $0.seeds } ?? runs
        let shardCount = shards ?? SlurmScripts.defaultShards(runs: atOnce, jobsPerTask: jobsPerTask)
        guard (1...runs).contains(shardCount) else { throw bad("--shards", "from 1 to the file's \(runs) runs", "\(shardCount)") }
        if let k = arrayParallelism, k < 1 { throw bad("--array-parallelism", "at least 1", "\(k)") }
        if let partition, partition.isEmpty || !partition.allSatisfy({ $0.isLetter || $0.isNumber || "_-.,".contains($0) }) {
            throw bad("--partition", "a partition name (letters, digits, _ - . ,)", "\"\(partition)\"")
        }
        if let time, time.isEmpty || !time.allSatisfy({ $0.isNumber || ":-".contains($0) }) {
            throw bad("--time", "a Slurm time such as 30, 2:00:00 or 1-12:00:00", "\"\(time)\"")
        }
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ path: String) -> String {
            ((path.hasPrefix("/") ? path : cwd + "/" + path) as NSString).standardizingPath
        }
        let resultsRoot = absolute(results)
        guard !resultsRoot.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" }) else {
            throw bad("--results", "a folder path without spaces or quotes (#SBATCH lines cannot quote them)", "\"\(resultsRoot)\"")
        }
        return SlurmScripts(experimentName: experiment.name, genlab: RunCommand.executablePath,
                            experimentFile: absolute(file), resultsRoot: resultsRoot, workingDirectory: cwd,
                            shards: shardCount, cpusPerTask: cpusPerTask, partition: partition, time: time,
                            arrayParallelism: arrayParallelism,
                            rungs: experiment.halving.map { $0.budgets.map(\.count).max() ?? 1 } ?? 1, jobsPerTask: jobsPerTask)
    }
}
