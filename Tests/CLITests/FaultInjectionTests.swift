import Foundation
import Testing

/// I/O failures through the real binary: a full disk and a read-only mount (small tmpfs file
/// systems this test mounts and removes, so it needs root, as CI has), an over-long path, and a
/// coordinator killed with SIGKILL. Each must end in one sentence naming the path and the
/// system's reason, lose nothing already written, and leave no worker or live claim behind.

/// A tmpfs of `kilobytes` mounted on a fresh folder; `unmount()` removes it.
struct SmallDisk {
    let path: String

    init(kilobytes: Int) throws {
        path = try Genlab.temporaryFolder().path
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
    }

    func remount(_ options: String) throws { try Self.mount(["-o", "remount,\(options)", path]) }

    func unmount() {
        _ = try? Self.command("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    static func mount(_ arguments: [String]) throws {
        let status = try command("/bin/mount", arguments)
        try #require(status == 0, "mount \(arguments.joined(separator: " ")) failed (this test needs root)")
    }

    static func command(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

private let rootOnly = Testing.ConditionTrait.enabled(if: getuid() == 0, "mounts a tmpfs: needs root (CI runs as root)")

private func tinySweep(epochs: Int = 2) -> String {
    sweepExperiment(epochs: epochs).replacingOccurrences(of: "\"sweep\": { \"model.beta\": [1, 4] }",
                                                         with: "\"sweep\": { \"model.beta\": [1] }")
}

@Test(rootOnly) func aFullDiskFailsTheRunsWithTheReasonAndAFreedDiskFinishesThemToTheSameBytes() throws {
    let scratch = try SweepScratch(tinySweep())
    defer { scratch.clean() }
    let reference = scratch.results("reference")
    #expect(try Genlab.run(["run", scratch.file, "--results", reference, "--quiet"]).status == 0)

    let disk = try SmallDisk(kilobytes: 300)
    defer { disk.unmount() }
    let results = disk.path + "/results"
    let full = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "2"])
    #expect(full.status == 1, "\(full.stderr)")
    #expect(full.stderr.contains("No space left on device (ENOSPC)"), "\(full.stderr)")
    #expect(!full.stderr.contains("NSCocoaErrorDomain") && !full.stderr.contains("failed in 0:00\n"))
    let status = try Genlab.run(["status", scratch.file, "--results", results])
    #expect(status.stdout.contains("failed") && status.stdout.contains("ENOSPC"), "\(status.stdout)")
    try expectWholeFiles(results)

    try disk.remount("size=8m")
    let freed = try Genlab.run(["run", scratch.file, "--results", results, "--quiet"])
    #expect(freed.status == 0, "\(freed.stderr)")
    try expectSameResults(reference, results)
}

@Test(rootOnly) func aReadOnlyResultsFolderIsNamedWithItsReason() throws {
    let scratch = try SweepScratch(tinySweep())
    defer { scratch.clean() }
    let disk = try SmallDisk(kilobytes: 8192)
    defer { disk.unmount() }
    let results = disk.path + "/results"
    #expect(try Genlab.run(["run", scratch.file, "--results", results, "--quiet"]).status == 0)
    try disk.remount("ro")

    let fresh = try Genlab.run(["run", scratch.file, "--results", disk.path + "/other"])
    #expect(fresh.status == 2)
    #expect(fresh.stderr.contains("can be written, found Read-only file system (EROFS)"), "\(fresh.stderr)")
    let report = try Genlab.run(["report", results + "/sweep", "--no-run-figures"])
    #expect(report.status == 1)
    #expect(report.stderr.hasPrefix("error: cannot write ") && report.stderr.contains("(EROFS)"), "\(report.stderr)")
    for output in [fresh.stderr, report.stderr] { #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("Error Domain")) }
}

@Test func anOverLongResultsPathIsBadInput() throws {
    let scratch = try SweepScratch(tinySweep())
    defer { scratch.clean() }
    let result = try Genlab.run(["run", scratch.file, "--results", scratch.results(String(repeating: "r", count: 300))])
    #expect(result.status == 2)
    #expect(result.stderr.contains("File name too long (ENAMETOOLONG)"), "\(result.stderr)")
}

@Test func workersDieWithTheirCoordinatorAndLeaveNoLiveClaim() throws {
    let scratch = try SweepScratch(tinySweep(epochs: 400))
    defer { scratch.clean() }
    let results = scratch.results("results")
    let coordinator = try BackgroundGenlab(["run", scratch.file, "--results", results, "--jobs", "2", "--quiet"])
    var workers: [Int32] = []
    for _ in 0..<200 where workers.count < 2 {
        usleep(50_000)
        workers = claimHolders(results + "/sweep")
    }
    try #require(workers.count == 2, "the workers did not start")
    kill(coordinator.process.processIdentifier, SIGKILL)
    _ = coordinator.wait()
    let deadline = Date().addingTimeInterval(1)
    while Date() < deadline, workers.contains(where: isAlive) { usleep(20_000) }
    #expect(!workers.contains(where: isAlive), "workers outlived their coordinator by a second")
    let status = try Genlab.run(["status", scratch.file, "--results", results])   // claims are flocks: none held
    #expect(!status.stdout.contains("running"), "\(status.stdout)")
}

/// Whether `pid` is a live process (not gone, not a zombie waiting to be reaped).
private func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
}
