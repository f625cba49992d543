import Foundation
import Testing

/// Every run writes TensorBoard's event file; TensorBoard's own reader (the `tensorboard` Python
/// package's EventAccumulator, via tools/tensorboard-read.py) must find exactly the numbers of
/// metrics.jsonl and an image per epoch end, and a damaged record must be caught.
@Suite struct TensorBoardRunTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs tools/tensorboard-read.py on a run folder; (exit status, output).
    static func read(_ folder: String, images: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("tools/tensorboard-read.py").path, folder] + images
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func runFolders(_ experiment: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: experiment + "/runs").sorted().map { experiment + "/runs/" + $0 }
    }

    @Test func aVAERunsEventsAreItsMetricsAndItsPicturesAndADamagedRecordIsCaught() throws {
        let scratch = try SweepScratch(sweepExperiment(epochs: 2, extraTraining: #", "log_every_steps": 3"#))
        defer { scratch.clean() }
        let results = scratch.results("out")
        let run = try Genlab.run(["run", scratch.file, "--results", results, "--jobs", "2", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let folders = try Self.runFolders(results + "/sweep")
        #expect(folders.count == 4)
        for folder in folders {
            let (status, output) = try Self.read(folder, images: ["samples", "reconstructions"])
            #expect(status == 0, "\(output)")
            // 8 steps an epoch, lines at steps 3 and 6 and at the epoch end: 6 lines; 2 images a epoch.
            #expect(output.contains("and 4 images in 2 tags, equal to metrics.jsonl"), "\(output)")
        }

        // One byte changed inside the last image's PNG: the framing check must fail.
        let path = folders[0] + "/events.out.tfevents.genlab"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 200] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (status, output) = try Self.read(folders[0], images: ["samples", "reconstructions"])
        #expect(status == 1 && output.contains("the data's CRC is wrong"), "\(output)")

        // The same file gives the same event bytes with one worker.
        let again = try Genlab.run(["run", scratch.file, "--results", scratch.results("again"), "--jobs", "1", "--quiet"])
        #expect(again.status == 0)
        for (a, b) in zip(try Self.runFolders(results + "/sweep").dropFirst(), try Self.runFolders(scratch.results("again") + "/sweep").dropFirst()) {
            #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/events.out.tfevents.genlab"))
                    == Data(contentsOf: URL(fileURLWithPath: b + "/events.out.tfevents.genlab")), "\(a)")
        }
    }

    @Test func aGANOn2DDataShowsItsSamplesAsAScatter() throws {
        let scratch = try SweepScratch(ringGANExperiment(epochs: 3))
        defer { scratch.clean() }
        let results = scratch.results("out")
        let run = try Genlab.run(["run", scratch.file, "--results", results, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let folders = try Self.runFolders(results + "/ring")
        #expect(folders.count == 1)
        let (status, output) = try Self.read(folders[0], images: ["samples"])
        #expect(status == 0 && output.contains("and 3 images in 1 tags"), "\(output)")
    }
}
