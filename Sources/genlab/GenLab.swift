import ArgumentParser
import Foundation
import Report
import RunStore
import Runner

/// The `genlab` command line: thin commands over Spec, Runner and Report.
@main
struct GenLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genlab",
        abstract: "A declarative experiment runner for generative models (VAE, β-VAE, GAN, VAE-GAN) on the CPU.",
        version: "0.1.0",
        subcommands: [RunCommand.self, StatusCommand.self, ReportCommand.self, EvaluateCommand.self, SampleCommand.self, MigrateCommand.self, ReproduceCommand.self, VerifyCommand.self, SlurmCommand.self, ValidateCommand.self, WorkerCommand.self]
    )

    static func main() {
        if let missing = CPUFeatures.missingOnThisMachine() {
            FileHandle.standardError.write(Foundation.Data(("error: GenLab's numeric code is built for x86-64 CPUs with AVX2 and FMA; "
                + "this CPU lacks \(missing)\n").utf8))
            Foundation.exit(3)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let sentence = fileSystemSentence(error) {
                FileHandle.standardError.write(Foundation.Data("error: \(sentence)\n".utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }

    /// An I/O failure that reached the top (a results folder on a full disk, say) as one sentence
    /// naming the path and the system's reason, never Foundation's raw error; nil for other errors.
    static func fileSystemSentence(_ error: any Error) -> String? {
        if error is FileSystemError || error is AtomicFileError || error is RunClaimError { return FileSystemError.describe(error) }
        let domain = (error as NSError).domain
        return domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain ? FileSystemError.describe(error) : nil
    }
}
