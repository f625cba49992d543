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
        // The pacgan files moved on purpose (20 epochs, EMA 0.999; docs/results.md): the 60-epoch runs were never committed.
        ("experiments/pacgan-grid.json", ["d5f71a345092", "c4444a3a1b92", "439cbc3e6c39", "a29b039a6589", "ed363aecc15f",
                                          "c1a8cfb25fd4", "b1f08f07af4f", "2a78c73acdd1", "069b3d5d06f0", "95f032fff3b5",
                                          "b2bdb02500f9", "7efd177bc221"]),
        ("experiments/pacgan-ring.json", ["ce42172e53bf", "50ff5ed3d868", "28ed982f8044", "82eaea1e2046", "0d6883b9380c",
                                          "bdde66b13158", "79f7e07b02f4", "b0aed4e42ec4", "2132524235f3", "45c862c2c3ce",
                                          "b3789d360044", "a529dc72db59"]),
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
