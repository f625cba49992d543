import ArgumentParser
import Foundation
import Runner
import Spec

/// `--memory-limit GIB`, shared by `validate`, `run`, `reproduce` and `slurm`: the most memory one
/// worker may be estimated to need (default `GENLAB_MEMORY_LIMIT`, else 16 GiB).
struct MemoryLimitOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Refuse runs estimated to need more than this many GiB per worker (default: $GENLAB_MEMORY_LIMIT, else 16).",
        valueName: "GIB"))
    var memoryLimit: Double?

    /// The limit in force: the option, else the environment variable, else 16 GiB.
    func resolve() throws -> MemoryLimit {
        try failOnBadInput { try MemoryLimit.resolve(option: memoryLimit, environment: ProcessInfo.processInfo.environment) }
    }
}
