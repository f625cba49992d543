import Foundation
import Report

/// The batch scripts that run an experiment on a Slurm cluster: a job array with one task per
/// shard (`genlab run FILE --shard $SLURM_ARRAY_TASK_ID/N --jobs C`, C the CPUs of a task), a
/// report job that starts once every task has ended however it ended (`afterany`), and
/// `submit.sh`, which submits both. A successive-halving search submits the array once per rung,
/// each after the one before has ended (`afterany`): a task does every run already decided and
/// leaves the rest waiting, and the next array's tasks find the rung below finished.
///
/// The jobs run `slurm/experiment.json`, a copy of the experiment file taken when the scripts are
/// written, so editing the file while jobs wait in the queue cannot change what they run (or
/// give a job array whose tasks ran different files); `genlab slurm` again takes a new copy.
/// Every path in the scripts is absolute, so they run from any working directory on nodes that
/// share the file system. A task stopped at its time limit receives SIGTERM; its workers write a
/// checkpoint, and submitting again continues the unfinished runs.
public struct SlurmScripts: Sendable {
    public var experimentName: String
    public var genlab: String
    public var experimentFile: String
    public var resultsRoot: String
    public var workingDirectory: String
    public var shards: Int
    public var cpusPerTask: Int
    /// Runs each task trains at once (`--jobs`): its CPUs divided by the runs' `training.threads`.
    public var jobsPerTask: Int
    public var partition: String?
    public var time: String?
    public var arrayParallelism: Int?
    /// Written as `--memory-limit` into the `genlab run` line when set.
    public var memoryLimit: MemoryLimit?
    /// How many times the array is submitted, one after another: a successive-halving search's rungs.
    public var rungs: Int

    public init(experimentName: String, genlab: String, experimentFile: String, resultsRoot: String,
                workingDirectory: String, shards: Int, cpusPerTask: Int, partition: String?, time: String?,
                arrayParallelism: Int?, rungs: Int = 1, jobsPerTask: Int? = nil) {
        self.experimentName = experimentName
        self.genlab = genlab
        self.experimentFile = experimentFile
        self.resultsRoot = resultsRoot
        self.workingDirectory = workingDirectory
        self.shards = shards
        self.cpusPerTask = cpusPerTask
        self.jobsPerTask = jobsPerTask ?? cpusPerTask
        self.partition = partition
        self.time = time
        self.arrayParallelism = arrayParallelism
        self.rungs = max(1, rungs)
    }

    /// `<results>/<name>/slurm`, where the scripts and the tasks' logs go.
    public var folder: String { resultsRoot + "/" + experimentName + "/slurm" }

    /// The copy of the experiment file the jobs run.
    public var snapshotFile: String { folder + "/experiment.json" }

    /// The shards that give each task `jobsPerTask` runs at once: ⌈runs / jobsPerTask⌉.
    public static func defaultShards(runs: Int, jobsPerTask: Int) -> Int {
        max(1, (runs + jobsPerTask - 1) / jobsPerTask)
    }

    public var array: String {
        var lines = header(job: "genlab-\(experimentName)", log: "array-%A_%a.out")
        lines.insert("#SBATCH --array=0-\(shards - 1)" + (arrayParallelism.map { "%\($0)" } ?? ""), at: 2)
        lines += [
            "exec \(quote(genlab)) run \(quote(snapshotFile)) --results \(quote(resultsRoot)) \\",
            "    --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" --jobs \(jobsPerTask)"
                + (memoryLimit.map { " --memory-limit \(ReadableBytes.number($0.gibibytes, decimals: 6))" } ?? ""),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    public var report: String {
        var lines = header(job: "genlab-\(experimentName)-report", log: "report-%j.out", cpus: 1)
        lines.append("\(quote(genlab)) status \(quote(snapshotFile)) --results \(quote(resultsRoot))")
        lines.append("exec \(quote(genlab)) report \(quote(resultsRoot + "/" + experimentName)) --no-run-figures")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Submits the array (once per rung, each after the previous), then the report job depending
    /// on the last; prints `array <id>` for each and `report <id>`.
    public var submit: String {
        let arrays = rungs == 1 ? "\(shards) array task(s)" : "\(shards) array task(s) once per rung (\(rungs) rungs, each after the one before)"
        var text = """
        #!/bin/bash
        # Submits \(experimentName): \(arrays), then a report job after all of them (afterany).
        set -euo pipefail
        array=$(sbatch --parsable \(quote(folder + "/array.sbatch")))
        array=${array%%;*}
        echo "array $array"

        """
        for _ in 1..<rungs {
            text += """
            array=$(sbatch --parsable --dependency=afterany:"$array" \(quote(folder + "/array.sbatch")))
            array=${array%%;*}
            echo "array $array"

            """
        }
        text += """
        report=$(sbatch --parsable --dependency=afterany:"$array" \(quote(folder + "/report.sbatch")))
        report=${report%%;*}
        echo "report $report"

        """
        return text
    }

    /// Writes the experiment file's snapshot, `array.sbatch`, `report.sbatch` and `submit.sh`
    /// (executable) and makes `logs/`.
    public func write() throws -> [String] {
        try FileSystem.makeFolder(folder + "/logs")
        let bytes = try Foundation.Data(contentsOf: URL(fileURLWithPath: experimentFile))
        try bytes.write(to: URL(fileURLWithPath: snapshotFile), options: .atomic)
        var written: [String] = [snapshotFile]
        for (name, text) in [("array.sbatch", array), ("report.sbatch", report), ("submit.sh", submit)] {
            let path = folder + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            written.append(path)
        }
        return written
    }

    private func header(job: String, log: String, cpus: Int? = nil) -> [String] {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(job)",
                     "#SBATCH --cpus-per-task=\(cpus ?? cpusPerTask)",
                     "#SBATCH --output=\(folder)/logs/\(log)"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        lines += ["set -euo pipefail", "cd \(quote(workingDirectory))"]
        return lines
    }

    /// `text` in single quotes for bash.
    func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
