import ArgumentParser
import Evaluation
import Foundation
import Runner
import RunStore
import Spec

/// `genlab sample RUN_DIR --out FILE`: draws prior samples — or, with an encoder, reconstructions
/// or an interpolation of test images — from a finished run's checkpoint into one PNG,
/// safetensors or `.npy` file (`RunSampler`).
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples, reconstructions or an interpolation from a finished run's checkpoint into a file.",
        discussion: """
            <run-dir> is results/<name>/runs/<run-id> of a run that finished training, with its checkpoint. By default \
            --count codes from the prior (noise from the stream "sample" of --seed, default the run's seed) are \
            decoded; for a model with an encoder (vae, vae-gan), --reconstruct I,J,... writes the test images at \
            those indices and their reconstructions, and --interpolate I:J the decoded codes from test image I's \
            posterior mean to J's (--steps, linear, or --spherical for slerp). Images are decoded means in [0, 1], \
            2-D points decoded means. The extension of --out chooses the format: .png (an image grid in the \
            figures' style, or a scatter plot of 2-D points), .safetensors (one F32 tensor "samples" with \
            metadata) or .npy (NumPy 1.0, <f4, C order); shapes are [N, C, H, W] or [N, 2], [2, K, C, H, W] for \
            reconstructions (originals, then reconstructions) and [K, C, H, W] for an interpolation (its PNG \
            also shows the two test images). The same command gives the same bytes. The file is written \
            atomically and only on success; exit status 2 for bad input, nothing written.
            """
    )

    @Argument(help: ArgumentHelp("The run's folder, results/<name>/runs/<run-id>.", valueName: "run-dir"))
    var runFolder: String

    @Option(name: .long, help: "Prior samples to draw, 1 to 100000 (default 64).")
    var count: Int?

    @Option(name: .long, help: "Seed of the prior noise (default: the run's seed).")
    var seed: UInt64?

    @Option(name: .long, help: "Test image indices I,J,... to reconstruct instead (models with an encoder).")
    var reconstruct: String?

    @Option(name: .long, help: "Interpolate between test images I:J instead (models with an encoder).")
    var interpolate: String?

    @Option(name: .long, help: "Steps of --interpolate, 2 to 32 (default 10).")
    var steps: Int?

    @Flag(name: .long, help: "Interpolate spherically (slerp) instead of linearly.")
    var spherical = false

    @Option(name: .long, help: "The file to write: .png, .safetensors or .npy.")
    var out: String

    func run() throws {
        let request = try failOnBadInput {
            try SampleRequest(count: count, seed: seed, reconstruct: reconstruct, interpolate: interpolate,
                              steps: steps, spherical: spherical)
        }
        let format = try failOnBadInput { try SampleFormat(path: out) }
        // The same bytes as the run's figures need the workers' BLAS kernels: the variable is read
        // when the library loads, hence a fresh process (as `genlab report` does).
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            throw ExitCode(try ReportCommand.rerunWithWorkerEnvironment(coreType: nativeKernel()))
        }
        let written = try failOnBadRun {
            try RunSampler(runFolder: runFolder).write(request, format: format, to: out)
        }
        let size = written.pixels.map { "\($0.width)×\($0.height) pixels" }
            ?? "F32 [" + written.shape.map(String.init).joined(separator: ", ") + "]"
        print("\(out): \(written.contents) — \(size)")
    }

    /// The kernel family a `"native"` run recorded, when this CPU runs it (else the workers' default,
    /// and the samples may differ from the run's figures in their last bits).
    private func nativeKernel() -> String? {
        let folder = RunFolder(path: runFolder)
        guard let text = try? String(contentsOfFile: folder.spec, encoding: .utf8),
              let run = try? ExperimentLoader.parseRun(text: text, file: folder.spec, experiment: ""),
              run.training.blasKernel == .native, let family = folder.recordedKernel,
              BLASKernel.missing(family, flags: BLASKernel.cpuFlags()) == [] else { return nil }
        return family
    }

    /// `failOnBadInput`, and a checkpoint that cannot give the run's trained model is bad input too.
    private func failOnBadRun<T>(_ body: () throws -> T) throws -> T {
        try failOnBadInput {
            do {
                return try body()
            } catch let error as FinishedModelError {
                FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
