import Foundation
import Testing

// `training.blas_kernel: "native"` through the real binary: the fastest OpenBLAS family this CPU
// runs is recorded in the checkpoint and final.json; a resume or a verify on a CPU without that
// family's instructions (GENLAB_CPU_FLAGS stands in for such a CPU) refuses with a message and
// changes nothing; on this CPU both go through, byte for byte.

private let nativeGAN = """
    { "name": "native", "data": { "dataset": "ring", "train_size": 256, "test_size": 64 },
      "model": { "type": "gan", "latent": 2,
                 "generator": [ { "dense": 16, "activation": "relu" }, { "dense": 2 } ],
                 "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] },
      "training": { "epochs": 2, "batch": 64, "threads": 2, "blas_kernel": "native" } }
    """

/// The family GenLab picks for this machine's CPU, from its flags.
private func expectedFamily() throws -> String {
    let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
    let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
    return ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains) ? "SkylakeX" : "Haswell"
}

@Test func nativeRunsRecordTheirKernelsAndRefuseACPUWithoutThem() throws {
    let scratch = try SweepScratch(nativeGAN)
    defer { scratch.clean() }
    let results = scratch.results("committed")
    let made = try Genlab.run(["reproduce", scratch.file, "--jobs", "1", "--quiet", "--results", results])
    #expect(made.status == 0, "stderr: \(made.stderr)")
    let folder = results + "/native"
    let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").filter { !$0.hasPrefix(".") }
    #expect(runs.count == 1)
    let run = folder + "/runs/" + (runs.first ?? "")
    let family = try expectedFamily()
    let record = try String(contentsOfFile: run + "/final.json", encoding: .utf8)
    #expect(record.contains(#""openblas_core": "\#(family)""#), "\(record)")
    let checkpoint = try String(decoding: Foundation.Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.safetensors")).prefix(4096),
                                as: UTF8.self)
    #expect(checkpoint.contains(#""blas_kernel":"\#(family)""#))

    // A CPU with SSE2 only cannot run it: verify refuses before training anything.
    let oldCPU = ["GENLAB_CPU_FLAGS": "sse sse2"]
    let refused = try Genlab.run(["verify", folder, "--runs", "1"], environment: oldCPU)
    #expect(refused.status == 2, "stdout: \(refused.stdout) stderr: \(refused.stderr)")
    #expect(refused.stderr.contains("\(family) kernels") && refused.stderr.contains("it lacks") && refused.stderr.contains("fma"), "\(refused.stderr)")
    // On this CPU verify re-runs it with the recorded family: the same bytes.
    let verified = try Genlab.run(["verify", folder, "--runs", "1"])
    #expect(verified.status == 0, "stdout: \(verified.stdout) stderr: \(verified.stderr)")

    // The report redraws a native run's figures only with its family: otherwise it says so and
    // keeps them (on a CPU whose fastest family is the portable one the two are the same).
    let figures = try resultFiles(run)
    let report = try Genlab.run(["report", folder])
    #expect(report.status == 0, "stderr: \(report.stderr)")
    #expect(report.stderr.contains("OPENBLAS_CORETYPE=\(family) genlab report redraws it") == (family != "Haswell"), "\(report.stderr)")
    let redrawn = try Genlab.run(["report", folder], environment: ["OPENBLAS_CORETYPE": family])
    #expect(redrawn.status == 0 && !redrawn.stderr.contains("redraws it"), "stderr: \(redrawn.stderr)")
    #expect(try resultFiles(run) == figures, "the run's figures changed")

    // Resume: without final.json the run is unfinished at its last checkpoint. The old CPU refuses
    // it (the run fails with the reason, its checkpoint untouched); this one finishes it as before.
    let before = try resultFiles(run)
    try FileManager.default.removeItem(atPath: run + "/final.json")
    let stopped = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", results], environment: oldCPU)
    #expect(stopped.status == 1, "stdout: \(stopped.stdout) stderr: \(stopped.stderr)")
    let failure = (try? String(contentsOfFile: run + "/failure.json", encoding: .utf8)) ?? ""
    #expect(failure.contains("cannot run them") && failure.contains("it lacks") && failure.contains("fma"), "failure.json: \(failure)")
    #expect(try resultFiles(run)["checkpoint.safetensors"] == before["checkpoint.safetensors"])
    let finished = try Genlab.run(["run", scratch.file, "--jobs", "1", "--results", results])
    #expect(finished.status == 0, "stderr: \(finished.stderr)")
    let after = try resultFiles(run)
    #expect(after["final.json"] == before["final.json"] && after.keys.contains("failure.json") == false)
}
