import Foundation
import Testing
import Spec

/// Regression pin: the run ids of every committed experiment file, as genlab gave them before the
/// report section grew (interpolations, traversals, manifold, latent, `interpolation`,
/// `interpolation_steps`). Obtained on main at 342cf24 with
/// `swift run genlab validate FILE --resolved` (the `"id"` of each run, in expansion order).
/// A change that moves any of them breaks every existing results folder's resume and skip: if
/// it is meant, say so in docs/architecture.md and update the pin.
@Suite struct RunIdPinTests {
    static let pinned: [(file: String, ids: [String])] = [
        ("experiments/dcgan-fmnist.json", ["52bb27d4ba9c"]),
        ("experiments/gan-mlp-fmnist.json", ["f65c43e7f34c"]),
        ("experiments/pacgan-grid.json", ["e2d89c5489cb", "a712b7c9c7fe", "dbdd59dd3af8", "787b77714a9d", "43ad1da7af2d",
                                          "f50171bdb373", "0f5134f9aac3", "9508b7241ac9", "430cd4c60f92", "2a4bbc4d348f",
                                          "1204934a7a07", "399818c5f7f4"]),
        ("experiments/pacgan-ring.json", ["831a9869e66d", "0a8d60ff10f9", "5a10ce0b787b", "7d8acb496f49", "9dd6ac59e736",
                                          "eb6a17071b2e", "46f3ba0c2ad3", "a64bf7bd21bf", "a86b3e31023d", "7ed410895c33",
                                          "baa6ab6a30bf", "03b484d71bc6"]),
        ("experiments/quickstart.json", ["885cd6222a6b", "cd35275fb107", "ebf6a2a76898", "32c0daaef1d7"]),
        ("experiments/vae-mlp-fmnist.json", ["a9773ab76e33", "e8bb956fa745", "fb2ae4bc287c"]),
        ("experiments/vaegan-fmnist.json", ["eac31b1d9637"]),
        ("benchmarks/sweep-8.json", ["885cd6222a6b", "cd35275fb107", "517fef94a290", "55434ae5eb30", "ebf6a2a76898",
                                     "32c0daaef1d7", "42dea75839f0", "100863d20e28"]),
        (".ci/slurm-sweep.json", ["43dca6e6689d", "51d16c3b95fa", "bbfa8144c172", "3506bd334c7e"]),
    ]

    /// The repository root, two folders above this file's folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func everyCommittedExperimentKeepsItsRunIds() throws {
        for (file, ids) in Self.pinned {
            let experiment = try ExperimentLoader.load(path: Self.root + "/" + file)
            #expect(experiment.runs.map(\.id) == ids, "\(file): run ids changed")
        }
    }
}
