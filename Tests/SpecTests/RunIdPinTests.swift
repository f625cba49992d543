import Foundation
import Testing
import Spec

/// Regression pin: the run ids of every committed experiment file. `pinned` are the current ids
/// (what changes training only: no `report`), obtained with `swift run genlab validate FILE
/// --resolved` when the evaluation stage took the report section out of the id. A change that
/// moves any of them breaks every existing results folder's resume and skip: if it is meant, say
/// so in docs/architecture.md, give users a migration, and update the pin.
@Suite struct RunIdPinTests {
    static let pinned: [(file: String, ids: [String])] = [
        ("experiments/dcgan-fmnist.json", ["22ad8e5c4942"]),
        ("experiments/gan-mlp-fmnist.json", ["522f69874e5f"]),
        ("experiments/pacgan-grid.json", ["5048e058ac4d", "fcf22334f6a0", "26ea52e10d4b", "4fb90eddd8b2", "372181cb514b",
                                          "0fae0fec97bb", "1aa8258bb931", "2c5c5ad16cd4", "a677883fe946", "6371c93f23e0",
                                          "d3c103602c17", "c39b0833f3da"]),
        ("experiments/pacgan-ring.json", ["971b26427a34", "b8e5b57b0cef", "9369a12fb63e", "4f76862e6ec9", "50bd9ee7bbf0",
                                          "48bd43fbfb92", "b74602899422", "1ef767cae506", "4ba1bc4095ed", "90677a766cb7",
                                          "c4707e9ec633", "c528e751d315"]),
        ("experiments/quickstart.json", ["7685305da34c", "23abaf15bf75", "4099375dd64f", "5a321f6d4a02"]),
        ("experiments/vae-mlp-fmnist.json", ["0cd16841df28", "2d997f52c4a2", "715ec0d8bd10"]),
        ("experiments/vaegan-fmnist.json", ["26da541bc264"]),
        ("benchmarks/sweep-8.json", ["7685305da34c", "23abaf15bf75", "dc447b76e5b3", "5f8b792c97db", "4099375dd64f",
                                     "5a321f6d4a02", "9fd2d66e4a35", "fffa5160fdaf"]),
        (".ci/slurm-sweep.json", ["e3b0054eb1fb", "9ff25cffe589", "b668fdc40df7", "8c6ac821d057"]),
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
