import ArgumentParser

/// The `genlab` command line: thin commands over Spec, Runner and Report.
@main
struct GenLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genlab",
        abstract: "A declarative experiment runner for generative models (VAE, β-VAE) on the CPU.",
        version: "0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self]
    )
}
