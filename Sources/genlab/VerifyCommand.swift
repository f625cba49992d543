import ArgumentParser
import Evaluation
import Foundation
import RunStore
import Runner
import Spec

/// `genlab verify DIR [--runs K]`: re-runs an experiment's runs (all, or K sampled) from its
/// committed results folder in a scratch copy, regenerates the report, and lists every file whose
/// bytes differ from the folder's `SHA256SUMS`. Exit 0 when none differ, 1 otherwise.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-run a results folder's runs (all or --runs K sampled) and report every byte that differs.",
        discussion: """
            DIR is results/<...>/<name> holding experiment.json and SHA256SUMS (written by genlab reproduce). \
            The runs train in a scratch copy; DIR is never changed. The sample of --runs K is drawn from \
            --sample-seed, so a check can be repeated exactly.
            """
    )

    @Argument(help: "The experiment's results folder with its SHA256SUMS.")
    var folder: String

    @Option(name: .long, help: "Re-run only K runs, sampled without replacement (default: all).")
    var runs: Int?

    @Option(name: .long, help: "Seed of the --runs sample.")
    var sampleSeed: UInt64 = 0

    @Option(name: .long, help: "Worker processes at once (default: the number of cores).")
    var jobs: Int?

    func run() throws {
        let manifest = try failOnBadInput { try readManifest() }
        let experiment = try failOnBadInput { try ExperimentLoader.load(path: folder + "/experiment.json") }
        // Of a successive-halving search, the runs that trained; a sampled promoted run is re-run
        // with the runs it continues from (the committed folder need not hold their checkpoints).
        let trained = experiment.halving == nil ? experiment.runs
            : try failOnBadInput { try ExperimentReporter(folder: folder) }.experiment.runs
        try failOnBadInput { try checkRunCount(trained.count) }
        var chosen = VerifySample.choose(count: runs ?? trained.count, from: trained.map(\.id), seed: sampleSeed)
        if let plan = experiment.halving {
            let position = Dictionary(experiment.runs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            var chain: [String] = []
            for id in chosen {
                var current = position[id]
                while let p = current, !chain.contains(experiment.runs[p].id) {
                    chain.append(experiment.runs[p].id)
                    current = plan.predecessor(of: p)
                }
            }
            chosen = chain
        }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("genlab-verify-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let copy = scratch + "/" + experiment.name
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        for id in chosen { try? FileManager.default.removeItem(atPath: copy + "/runs/" + id) }
        let named = chosen.count < trained.count ? " (" + chosen.joined(separator: ", ") + ")" : ""
        print("verify: re-running \(chosen.count) of \(trained.count) runs\(named) in \(scratch)")

        try failOnBadInput { try pinRecordedKernel(of: experiment.runs.filter { chosen.contains($0.id) }) }
        // The memory limit as for `run` without the option: GENLAB_MEMORY_LIMIT, else 16 GiB.
        let limit = try failOnBadInput {
            try MemoryLimit.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        }
        let outcome = try RunCommand.sweep(file: copy + "/experiment.json", results: scratch, jobs: jobs, quiet: true,
                                           memoryLimit: limit)
        if let signal = outcome.report.stoppedBy { throw ExitCode(128 + signal) }
        _ = try ExperimentReporter(folder: copy).write(runFigures: false)
        let fresh = try ResultManifest.compute(folder: copy)
        let committed = try ResultManifest.compute(folder: folder)
        let stale = manifest.differences(from: committed)
        let differing = manifest.differences(from: fresh)
        let checked = manifest.entries.count
        for path in stale {
            let state = manifest.entries[path] == nil ? "not in the manifest" : committed.entries[path] == nil ? "missing" : "edited"
            print("  committed file \(state): \(path)")
        }
        for path in differing {
            let state = manifest.entries[path] == nil ? "new" : fresh.entries[path] == nil ? "missing" : "differs"
            print("  regenerated file \(state): \(path)")
        }
        guard stale.isEmpty && differing.isEmpty else {
            print("verify: \(Set(stale + differing).count) of \(checked) files differ from \(ResultManifest.fileName)")
            throw ExitCode(1)
        }
        print("verify: \(checked) files byte-identical to \(ResultManifest.fileName), committed and regenerated (\(chosen.count) \(chosen.count == 1 ? "run" : "runs") re-run)")
    }

    private func readManifest() throws(SpecError) -> ResultManifest {
        let path = folder + "/" + ResultManifest.fileName
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = ResultManifest(text: String(decoding: data, as: UTF8.self)) else {
            throw SpecError(file: path, path: "", expected: "a SHA256SUMS manifest written by genlab reproduce",
                            found: FileManager.default.fileExists(atPath: path) ? "malformed lines" : "no such file")
        }
        return manifest
    }

    /// The re-run of a `"native"` run must use the OpenBLAS family its committed `final.json`
    /// records: refuses (exit 2) on a CPU that cannot run it, else hands it to the workers.
    private func pinRecordedKernel(of runs: [RunSpec]) throws(SpecError) {
        var families: Set<String> = []
        for run in runs where run.training.blasKernel == .native {
            let runFolder = RunFolder(path: folder + "/runs/" + run.id), path = runFolder.final
            guard let family = runFolder.recordedKernel else {
                throw SpecError(file: path, path: "openblas_core", expected: "the OpenBLAS kernel family the native run used",
                                found: "no record of it")
            }
            if let refusal = BLASKernel.refusal(family, runID: run.id, flags: BLASKernel.cpuFlags()) {
                throw SpecError(file: path, path: "openblas_core", expected: "a kernel family this CPU runs", found: refusal)
            }
            families.insert(family)
        }
        guard families.count <= 1 else {
            throw SpecError(file: folder, path: "runs", expected: "native runs of one OpenBLAS kernel family in one verify",
                            found: families.sorted().joined(separator: " and ") + "; choose runs with --runs and --sample-seed")
        }
        if let family = families.first { setenv(BLASKernel.overrideVariable, family, 1) }
    }

    private func checkRunCount(_ total: Int) throws(SpecError) {
        if let runs, !(1...total).contains(runs) {
            throw SpecError(file: "command line", path: "--runs", expected: "a number of runs from 1 to \(total)", found: "\(runs)")
        }
    }
}
