import Foundation
import Testing

// Sweeps through the real binary: worker processes, shards, claims, kills and resumes. Every
// way of splitting or interrupting the work must give the same bytes as one plain run.

@Test func jobsAndShardsGiveTheSameBytes() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 2))
    defer { scratch.clean() }
    let one = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", scratch.results("one")])
    #expect(one.status == 0, "stderr: \(one.stderr)")
    #expect(summaryCount(one.stdout, "completed") == 4)
    let two = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("two")])
    #expect(two.status == 0, "stderr: \(two.stderr)")
    for i in 0..<3 {
        let shard = try Genlab.run(["run", scratch.file, "--shard", "\(i)/3", "--results", scratch.results("shards")])
        #expect(shard.status == 0, "stderr: \(shard.stderr)")
        #expect(shard.stdout.contains("(shard \(i)/3): \(i == 0 ? 2 : 1) runs"))
    }
    try expectSameResults(scratch.results("one"), scratch.results("two"))
    try expectSameResults(scratch.results("one"), scratch.results("shards"))
    #expect(try resultFiles(scratch.results("one")).keys.filter { $0.hasSuffix("final.json") }.count == 4)
}

@Test func twoInvocationsOnOneFolderDoEachRunOnce() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 6))
    defer { scratch.clean() }
    let results = scratch.results("shared")
    let a = try BackgroundGenlab(["run", scratch.file, "--jobs", "1", "--results", results])
    let b = try BackgroundGenlab(["run", scratch.file, "--jobs", "1", "--results", results])
    let first = a.wait(), second = b.wait()
    #expect(first.status == 0 && second.status == 0, "stderr: \(first.stderr)\n\(second.stderr)")
    // Each run was trained by exactly one of the two; the other saw it done.
    #expect(summaryCount(first.stdout, "completed") + summaryCount(second.stdout, "completed") == 4,
            "A: \(first.stdout) B: \(second.stdout)")
    #expect(summaryCount(first.stdout, "completed") + summaryCount(first.stdout, "done by another process") == 4)
    #expect(summaryCount(second.stdout, "completed") + summaryCount(second.stdout, "done by another process") == 4)
    let reference = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("reference")])
    #expect(reference.status == 0)
    try expectSameResults(scratch.results("reference"), results)
}

@Test func killedWorkersAreRecordedAndResumeToTheSameBytes() throws {
    // Long enough (about 4 s a run in a debug build) that each attempt finds a run to kill.
    let scratch = try SweepScratch(sweepExperiment(epochs: 60))
    defer { scratch.clean() }
    let reference = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("reference")])
    #expect(reference.status == 0, "stderr: \(reference.stderr)")
    let results = scratch.results("killed"), experimentFolder = results + "/sweep"
    var rng = SystemRandomNumberGenerator()
    var kills = 0
    // Kill until three workers died mid-run (at most 8 attempts: on a slow machine a sweep may
    // finish before a claim shows up).
    for attempt in 0..<8 where kills < 3 {
        let sweep = try BackgroundGenlab(["run", scratch.file, "--jobs", "2", "--results", results])
        // Wait for a worker to hold a claim, then a random while longer, then SIGKILL one.
        var victim: Int32?
        for _ in 0..<500 where victim == nil && sweep.process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            if !claimHolders(experimentFolder).isEmpty {
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.6, using: &rng))
                victim = claimHolders(experimentFolder).randomElement(using: &rng)
            }
        }
        var killed = false
        if let victim { killed = kill(victim, SIGKILL) == 0 }
        let result = sweep.wait()
        if killed && result.stderr.contains("killed by signal 9 (SIGKILL)") {
            kills += 1
            #expect(result.status == 1, "attempt \(attempt): a killed run must make the sweep fail")
            #expect(result.stdout.contains("1 failed"), "attempt \(attempt): \(result.stdout)")
        }
        try expectWholeFiles(results)
    }
    #expect(kills >= 3, "the test should have killed workers mid-run")
    let finish = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", results])
    #expect(finish.status == 0, "stderr: \(finish.stderr)")
    try expectWholeFiles(results)
    try expectSameResults(scratch.results("reference"), results)
}

@Test func failFastStopsAtTheFirstDivergedRun() throws {
    // lr 1e30 makes the first configuration's parameters infinite within a step or two.
    let text = sweepExperiment(epochs: 2).replacingOccurrences(of: "\"model.beta\": [1, 4]",
                                                               with: "\"training.optimizer.lr\": [1e30, 0.001]")
    let scratch = try SweepScratch(text)
    defer { scratch.clean() }
    let fast = try Genlab.run(["run", scratch.file, "--jobs", "1", "--fail-fast", "--results", scratch.results("fast")])
    #expect(fast.status == 1)
    #expect(summaryCount(fast.stdout, "diverged") == 1 && summaryCount(fast.stdout, "completed") == 0, "\(fast.stdout)")
    let status = try Genlab.run(["status", scratch.file, "--results", scratch.results("fast")])
    #expect(status.status == 0)
    #expect(status.stdout.contains("1 diverged") && status.stdout.contains("3 pending"), "\(status.stdout)")
    // Without --fail-fast the others go on; the exit status still says one run did not succeed.
    let all = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("all")])
    #expect(all.status == 1)
    #expect(summaryCount(all.stdout, "diverged") == 2 && summaryCount(all.stdout, "completed") == 2, "\(all.stdout)")
}

@Test func statusListsEveryRunWithItsState() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1))
    defer { scratch.clean() }
    let results = scratch.results("out")
    _ = try Genlab.run(["run", scratch.file, "--shard", "0/2", "--results", results])
    let status = try Genlab.run(["status", scratch.file, "--results", results])
    #expect(status.status == 0)
    let lines = status.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("#  run") == true)
    #expect(lines.count == 1 + 4 + 1)
    #expect(status.stdout.contains("model.beta"))
    #expect(lines[1].contains("completed") && lines[2].contains("pending") && lines[3].contains("completed"), "\(status.stdout)")
    #expect(status.stdout.contains("sweep: 4 runs — 2 completed, 2 pending"))
}

@Test func badSweepOptionsAreBadInput() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1))
    defer { scratch.clean() }
    for (arguments, says) in [(["--shard", "3/3"], "--shard: expected I/N with 0 ≤ I < N"),
                              (["--shard", "x"], "--shard: expected I/N"),
                              (["--jobs", "0"], "--jobs: expected a number of worker processes")] {
        let result = try Genlab.run(["run", scratch.file, "--results", scratch.results("out")] + arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.results("out")))
    }
}

@Test func slurmWritesAnArrayAndADependentReportJob() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1))
    defer { scratch.clean() }
    let results = scratch.results("cluster")
    let result = try Genlab.run(["slurm", scratch.file, "--results", results, "--partition", "debug", "--time", "0:10:00",
                                 "--cpus-per-task", "2", "--array-parallelism", "3", "--shards", "2"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let folder = results + "/sweep/slurm"
    let array = try String(contentsOfFile: folder + "/array.sbatch", encoding: .utf8)
    #expect(array.contains("#SBATCH --array=0-1%3"))
    #expect(array.contains("#SBATCH --partition=debug") && array.contains("#SBATCH --time=0:10:00"))
    #expect(array.contains("#SBATCH --cpus-per-task=2") && array.contains("--jobs 2"))
    // The jobs run the snapshot taken now, byte for byte the file as submitted.
    #expect(array.contains("run '\(folder)/experiment.json' --results '\(results)'"))
    #expect(!array.contains(scratch.file))
    #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/experiment.json")) == Data(contentsOf: URL(fileURLWithPath: scratch.file)))
    #expect(array.contains("--shard \"$SLURM_ARRAY_TASK_ID/2\""))
    let submit = try String(contentsOfFile: folder + "/submit.sh", encoding: .utf8)
    #expect(submit.contains("--dependency=afterany:\"$array\""))
    let report = try String(contentsOfFile: folder + "/report.sbatch", encoding: .utf8)
    #expect(report.contains(" status '\(folder)/experiment.json'"))
    #expect(report.contains("exec '") && report.contains(" report '\(results)/sweep' --no-run-figures"))
    for name in ["array.sbatch", "report.sbatch", "submit.sh"] {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-n", folder + "/" + name]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(name) is not valid bash")
    }
    let bad = try Genlab.run(["slurm", scratch.file, "--results", results, "--shards", "9"])
    #expect(bad.status == 2 && bad.stderr.contains("--shards: expected from 1 to the file's 4 runs"), "\(bad.stderr)")
}

/// Without --shards, a task gets as many runs as CPUs: ⌈runs / CPUs⌉ tasks, each `--jobs CPUs`.
@Test func slurmShardsFromTheCPUsPerTask() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1))
    defer { scratch.clean() }
    for (cpus, tasks) in [(1, 4), (2, 2), (3, 2), (4, 1), (16, 1)] {
        let results = scratch.results("cpus\(cpus)")
        let result = try Genlab.run(["slurm", scratch.file, "--results", results, "--cpus-per-task", "\(cpus)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let array = try String(contentsOfFile: results + "/sweep/slurm/array.sbatch", encoding: .utf8)
        #expect(array.contains("#SBATCH --array=0-\(tasks - 1)\n"), "\(cpus) CPUs: \(array)")
        #expect(array.contains("--shard \"$SLURM_ARRAY_TASK_ID/\(tasks)\" --jobs \(cpus)"), "\(cpus) CPUs: \(array)")
    }
}

/// Runs of `training.threads` T: a task's C CPUs run C / T of them at once, and C defaults to T.
@Test func slurmGivesEachRunItsThreads() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1, extraTraining: ", \"threads\": 2"))
    defer { scratch.clean() }
    for (cpus, tasks, jobs) in [(nil, 4, 1), (4, 2, 2), (3, 4, 1), (8, 1, 4)] as [(Int?, Int, Int)] {
        let results = scratch.results("cpus\(cpus ?? 0)")
        let result = try Genlab.run(["slurm", scratch.file, "--results", results] + (cpus.map { ["--cpus-per-task", "\($0)"] } ?? []))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let array = try String(contentsOfFile: results + "/sweep/slurm/array.sbatch", encoding: .utf8)
        #expect(array.contains("#SBATCH --cpus-per-task=\(cpus ?? 2)\n"), "\(array)")
        #expect(array.contains("#SBATCH --array=0-\(tasks - 1)\n"), "\(cpus ?? 0) CPUs: \(array)")
        #expect(array.contains("--shard \"$SLURM_ARRAY_TASK_ID/\(tasks)\" --jobs \(jobs)"), "\(cpus ?? 0) CPUs: \(array)")
    }
}

/// More threads than cores (--jobs × training.threads): said, and the runs still finish.
@Test func runSaysWhenJobsAndThreadsAskForMoreThanTheCores() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 1, extraTraining: ", \"threads\": 2"))
    defer { scratch.clean() }
    let result = try Genlab.run(["run", scratch.file, "--jobs", "256", "--results", scratch.results("many")])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stderr.contains("note: --jobs 256 × training.threads 2 = 512 threads on"), "\(result.stderr)")
    #expect(summaryCount(result.stdout, "completed") == 4, "\(result.stdout)")
}

@Test func sigtermCheckpointsTheRunningRunsAndTheNextInvocationFinishesThem() throws {
    let scratch = try SweepScratch(sweepExperiment(epochs: 12, extraTraining: ", \"checkpoint_steps\": 3"))
    defer { scratch.clean() }
    let reference = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", scratch.results("reference")])
    #expect(reference.status == 0, "stderr: \(reference.stderr)")
    let results = scratch.results("stopped")
    let sweep = try BackgroundGenlab(["run", scratch.file, "--jobs", "2", "--results", results])
    // Wait until both workers hold claims, then stop the coordinator as Slurm does at a time limit.
    var holders: [Int32] = []
    for _ in 0..<300 where holders.count < 2 && sweep.process.isRunning {
        Thread.sleep(forTimeInterval: 0.02)
        holders = claimHolders(results + "/sweep")
    }
    #expect(holders.count == 2, "both workers should have claimed a run")
    Thread.sleep(forTimeInterval: 0.3)
    sweep.process.terminate()
    let stopped = sweep.wait()
    #expect(stopped.status == 128 + SIGTERM, "stderr: \(stopped.stderr)")
    #expect(summaryCount(stopped.stdout, "interrupted") >= 1, "\(stopped.stdout)")
    #expect(claimHolders(results + "/sweep").isEmpty, "workers let their claims go")
    let status = try Genlab.run(["status", scratch.file, "--results", results])
    #expect(status.stdout.contains("partial"), "\(status.stdout)")
    try expectWholeFiles(results)
    let finish = try Genlab.run(["run", scratch.file, "--jobs", "2", "--results", results])
    #expect(finish.status == 0, "stderr: \(finish.stderr)")
    try expectSameResults(scratch.results("reference"), results)
}
