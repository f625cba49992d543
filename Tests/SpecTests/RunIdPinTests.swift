import Foundation
import Testing
import Spec

/// Regression pin: the run ids of every committed experiment file. `pinned` are the current ids
/// (what changes training only: no `report`; `training.log_every_steps` in), obtained with
/// `swift run genlab validate FILE --resolved` when the evaluation stage took the report section
/// out of the id. The paper files set `log_every_steps` to 0 (epoch ends only, as their committed
/// results were logged). A change that
/// moves any of them breaks every existing results folder's resume and skip: if it is meant, say
/// so in docs/architecture.md, give users a migration, and update the pin.
@Suite struct RunIdPinTests {
    static let pinned: [(file: String, ids: [String])] = [
        ("experiments/dcgan-fmnist.json", ["c945c5af94be"]),
        ("experiments/gan-mlp-fmnist.json", ["0513ebc420f9"]),
        ("experiments/pacgan-grid.json", ["f6cbc895107b", "5ef0da01bc78", "02eb7d749663", "13f591873c16", "250856b56e40",
                                         "00b83c155c8a", "5112ac6c5286", "f3b690e94189", "bd9c5f7d62a9", "fa844d453879",
                                         "51887f5f8fa2", "e31b15d59eaa"]),
        ("experiments/pacgan-ring.json", ["d16e54bc598f", "df9a47dfad8e", "bcb5d2dfc021", "9ff48747dfac", "730638a83a82",
                                         "4c56dbf03b01", "65739b455ae2", "b6b6b6a39527", "9ac238312499", "bb2a498b5ad3",
                                         "1dab6d7fee63", "d6bd44213b3d"]),
        ("experiments/quickstart.json", ["138e7a62c2a5", "7c19a305eafe", "cbd4df12f6ba", "dd6252de4d77"]),
        ("experiments/vae-mlp-fmnist.json", ["8efaea185d55", "aa19d8f963b5", "8e4475a40cbc"]),
        ("experiments/vaegan-fmnist.json", ["405adc441ac3"]),
        ("benchmarks/sweep-8.json", ["138e7a62c2a5", "7c19a305eafe", "39e084eb83dd", "19badb6f283a", "cbd4df12f6ba",
                                    "dd6252de4d77", "52b0f7066956", "0e60324aca88"]),
        (".ci/slurm-sweep.json", ["b7ad3c1a6a15", "f7b19d18afec", "e56e06120ae3", "5e14a79a872a"]),
        ("experiments/paper/beta-vae-sprites.json", ["7b9b3218ae27", "7ae7a6ebdb04", "f444aa7cc202", "dc252225b202", "a9417bd8f70e",
                                                    "a0772e92f978", "4059ca5c0465", "602153a9bcdb", "2acceded4770", "217ea2e1552f",
                                                    "e83f3ec78298", "1904cb3fce73", "39b31881ba28", "02a8438e52a7", "b38b3386b5e9"]),
        ("experiments/paper/latent-dim.json", ["9f97ff879a78", "acc457055f99", "abec0471e10e", "c951d2a3c7cf", "4d8bdad18fdc",
                                              "54ec9af1ed96", "158af3d11756", "2d3f5a74ba0b", "cbb28b0f29f1", "a679271a6bbb",
                                              "39479ce8dc64", "4e5cfcec4165", "b0f6305eee2e", "6f05b81b8e4b", "855cbd94c9b1"]),
        ("experiments/paper/pacgan-table1.json", ["47aa8e042f35", "d88f02539270", "b8595c8d07aa", "7d44a569bbd8", "2ccd0285e5a9",
                                                 "75da1b42d56e", "1768be2b6d08", "4e8344620531", "a0acec2f0827", "572bd3ed87c7",
                                                 "6267036e1c24", "33be42816c69", "f6cab6aed4fa", "6ad53c97cec3", "cf0003c7250e",
                                                 "176fc932e05d", "564d51ca9d42", "09cc981df4d6", "eb2c74d78bbc", "7b9416925487",
                                                 "066200556505", "bcb52ca49552", "69ea7d3ecb4b", "60177bd2eabf"]),
        ("experiments/paper/vae-gan-comparison.json", ["7570b8ae768e", "091c66ca53ad", "d0928fcef71a", "b445326ca97d", "d8a776468bc0",
                                                      "d92ec600b4d9", "6b24074d358c", "05ed69d98629", "34bb3015b098", "12f3c3e2d6cd",
                                                      "63d9583b8420", "622c7b632589", "cdd793410d73", "d19ad86cb575", "d2aac851a6c0"]),
    ]

    /// The ids GenLab 0.1 gave the same files (with the report's `samples`/`reconstructions` grids
    /// and metrics hashed in; obtained on main at 342cf24): `RunSpec.legacyID` must find them, or
    /// `genlab migrate` cannot move old results folders.
    static let legacy: [(file: String, ids: [String])] = [
        ("experiments/dcgan-fmnist.json", ["52bb27d4ba9c"]),
        ("experiments/gan-mlp-fmnist.json", ["f65c43e7f34c"]),
        // The pacgan files moved on purpose (variants GAN, PacGAN2–4 with 10·m epochs, EMA 0.999;
        // docs/results.md): the 60-epoch runs they replace were never committed.
        ("experiments/pacgan-grid.json", ["d84ec9c5744e", "055f022d0d9b", "d56f7deacad5", "a29b039a6589", "ed363aecc15f",
                                          "c1a8cfb25fd4", "b1899973877f", "80518da78706", "b7f848bb45bd", "5088b7a63496",
                                          "983b7e473033", "4d4b562cf2ef"]),
        ("experiments/pacgan-ring.json", ["714be8ef8600", "257a8d4667f9", "ecf26ee365b9", "82eaea1e2046", "0d6883b9380c",
                                          "bdde66b13158", "fabc2a72195d", "973f3df14f4b", "31ca80bb211c", "2a414f773bc0",
                                          "211540b33f87", "ab7f76bb6a44"]),
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

    @Test func theOldIdsAreFoundForMigration() throws {
        for (file, ids) in Self.legacy {
            let experiment = try ExperimentLoader.load(path: Self.root + "/" + file)
            #expect(experiment.runs.map(\.legacyID) == ids, "\(file): legacy run ids changed")
        }
    }

    @Test func theReportSectionIsNotInTheId() throws {
        let experiment = try ExperimentLoader.load(path: Self.root + "/experiments/quickstart.json")
        let changed = try ExperimentLoader.parse(text: experiment.source.replacingOccurrences(
            of: #""report": { "grids": ["samples", "reconstructions", "interpolations", "traversals", "latent"] }"#,
            with: #""report": { "grids": ["latent"], "interpolation": "spherical", "metrics": ["iwae", "fid"] }"#), file: "q.json")
        #expect(changed.runs.map(\.report) != experiment.runs.map(\.report))
        #expect(changed.runs.map(\.id) == experiment.runs.map(\.id))
        #expect(changed.runs.map(\.legacyID) != experiment.runs.map(\.legacyID))
    }
}
