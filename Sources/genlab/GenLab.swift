import ArgumentParser
import Foundation

/// The `genlab` command line: thin commands over Spec, Runner and Report.
@main
struct GenLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genlab",
        abstract: "A declarative experiment runner for generative models (VAE, β-VAE, GAN, VAE-GAN) on the CPU.",
        version: "0.1.0",
        subcommands: [RunCommand.self, StatusCommand.self, ReportCommand.self, ReproduceCommand.self, VerifyCommand.self, SlurmCommand.self, ValidateCommand.self, WorkerCommand.self]
    )

    static func main() {
        if let missing = CPUFeatures.missingOnThisMachine() {
            FileHandle.standardError.write(Foundation.Data(("error: GenLab's numeric code is built for x86-64 CPUs with AVX2 and FMA; "
                + "this CPU lacks \(missing)\n").utf8))
            Foundation.exit(3)
        }
        GenLab.main(nil)
    }
}
