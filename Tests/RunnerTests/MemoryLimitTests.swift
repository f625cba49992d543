@testable import Evaluation
import Foundation
@testable import RunStore
@testable import Runner
import Spec
import Testing

/// The memory estimate and limit: refused runs name the biggest part's JSON path, the limit comes
/// from the option, then `GENLAB_MEMORY_LIMIT`, then 16 GiB, and reaches workers and Slurm scripts.
@Suite struct MemoryLimitTests {
    static func run(_ text: String) throws -> RunSpec {
        try ExperimentLoader.parse(text: text, file: "m.json").runs[0]
    }

    static let sprites = #"""
        {"name": "m", "data": {"dataset": "sprites", "size": SIZE, "train_size": TRAIN, "test_size": 1000},
         "model": {"type": "vae", "latent": 8, "encoder": [{"dense": UNITS, "activation": "relu"}], "decoder": []},
         "training": {"epochs": 1, "batch": BATCH}}
        """#

    static func sprites(size: Int = 32, train: Int = 20000, units: Int = 64, batch: Int = 64) throws -> RunSpec {
        try run(sprites.replacingOccurrences(of: "SIZE", with: "\(size)").replacingOccurrences(of: "TRAIN", with: "\(train)")
            .replacingOccurrences(of: "UNITS", with: "\(units)").replacingOccurrences(of: "BATCH", with: "\(batch)"))
    }

    static func estimate(_ run: RunSpec) throws -> MemoryEstimate {
        let data = try #require(MemoryEstimate.dataShape(for: run.data))
        return try MemoryEstimate.make(run, dataShape: data.shape, trainCount: data.train, testCount: data.test, file: "m.json")
    }

    @Test func estimateCountsDataParametersAndActivations() throws {
        let estimate = try Self.estimate(Self.sprites())
        #expect(estimate.dataBytes == 21000 * (1024 + 12))            // bytes per pixel, label, factor index
        // Encoder 1024→64→16 and decoder 8→1024, each ×4 with Adam (θ, g, m, v).
        #expect(estimate.parameterBytes == 4 * 4 * ((1024 * 64 + 64) + (64 * 16 + 16) + (8 * 1024 + 1024)))
        #expect(estimate.activationBytes > 4 * 64 * 1024)
        #expect(estimate.summary.hasPrefix("about "))
        try estimate.check(.standard, file: "m.json")
    }

    /// The biggest part names the path: the batch for activations, the model, the training set.
    @Test func refusalNamesTheBiggestPartAndHowToRaiseTheLimit() throws {
        let small = MemoryLimit(gibibytes: 0.05)
        let cases: [(RunSpec, String)] = [
            (try Self.sprites(size: 64, train: 2000, units: 16, batch: 2000), "training.batch"),
            (try Self.sprites(train: 2000, units: 4096, batch: 8), "model"),
            (try Self.sprites(size: 256, train: 2000, units: 8, batch: 8), "data.train_size"),
        ]
        for (run, path) in cases {
            let error = try #require(throws: SpecError.self) { try Self.estimate(run).check(small, file: "m.json") }
            #expect(error.path == path)
            #expect(error.expected == "a run that fits the memory limit of 0.05 GiB per worker")
            #expect(error.found.hasPrefix("about "))
            #expect(error.hint?.contains("--memory-limit GIB or GENLAB_MEMORY_LIMIT=GIB") == true)
        }
    }

    /// `mig` with 10⁷ points keeps every code: 10⁷ × (4·Z + 48) bytes, refused at `report.metrics`.
    @Test func declaredMetricsCountToo() throws {
        let text = Self.sprites.replacingOccurrences(of: "SIZE", with: "32").replacingOccurrences(of: "TRAIN", with: "2000")
            .replacingOccurrences(of: "UNITS", with: "8").replacingOccurrences(of: "BATCH", with: "8")
            .replacingOccurrences(of: #""latent": 8"#, with: #""latent": 1024"#)
            .replacingOccurrences(of: #""training""#, with: #""report": {"metrics": [{"name": "mig", "points": 10000000}]}, "training""#)
        let estimate = try Self.estimate(try Self.run(text))
        #expect(estimate.metricBytes == 10_000_000 * (4 * 1024 + 48) + 256 * 1024 * 5)
        let error = try #require(throws: SpecError.self) { try estimate.check(.standard, file: "m.json") }
        #expect(error.path == "report.metrics")
        #expect(error.found.contains(", metrics 41.4 GB"))
    }

    /// 300,000 sprites of 256×256 (19.7 GB of bytes) are refused before one is rendered.
    @Test func preflightRefusesBeforeGeneratingTheData() throws {
        let run = try Self.sprites(size: 256, train: 300_000, units: 8, batch: 8)
        let executor = RunExecutor(file: "m.json", catalog: DataCatalog(), progress: ProgressPrinter(style: .quiet))
        let clock = ContinuousClock()
        var error: SpecError?
        let elapsed = clock.measure { error = Self.preflightError(executor, run) }
        #expect(error?.path == "data.train_size")
        #expect(error?.expected == "a run that fits the memory limit of 16 GiB per worker")
        #expect(elapsed < .seconds(1))
    }

    static func preflightError(_ executor: RunExecutor, _ run: RunSpec) -> SpecError? {
        do { try executor.preflight(run); return nil } catch { return error }
    }

    @Test func limitComesFromTheOptionThenTheEnvironmentThenTheDefault() throws {
        let variable = MemoryLimit.environmentVariable
        #expect(try MemoryLimit.resolve(option: nil, environment: [:]) == .standard)
        #expect(try MemoryLimit.resolve(option: nil, environment: [variable: "32"]) == MemoryLimit(gibibytes: 32))
        #expect(try MemoryLimit.resolve(option: 2.5, environment: [variable: "32"]) == MemoryLimit(gibibytes: 2.5))
        #expect(MemoryLimit.standard.description == "16 GiB")
        for bad in ["", "lots", "0", "-1", "nan", "inf"] {
            let error = try #require(throws: SpecError.self) { try MemoryLimit.resolve(option: nil, environment: [variable: bad]) }
            #expect(error.path == variable)
        }
        #expect(throws: SpecError.self) { try MemoryLimit.resolve(option: 0, environment: [:]) }
    }

    @Test func workersAndSlurmScriptsGetTheLimit() {
        let environment = WorkerEnvironment.make(base: ["HOME": "/h"], memoryLimit: MemoryLimit(gibibytes: 48))
        #expect(environment[MemoryLimit.environmentVariable] == "48")
        #expect(WorkerEnvironment.make(base: [:])[MemoryLimit.environmentVariable] == nil)
        var scripts = SlurmScripts(experimentName: "m", genlab: "/bin/genlab", experimentFile: "/m.json", resultsRoot: "/r",
                                   workingDirectory: "/", shards: 2, cpusPerTask: 1, partition: nil, time: nil,
                                   arrayParallelism: nil)
        #expect(!scripts.array.contains("--memory-limit"))
        scripts.memoryLimit = MemoryLimit(gibibytes: 0.5)
        #expect(scripts.array.contains(#"--shard "$SLURM_ARRAY_TASK_ID/2" --jobs 1 --memory-limit 0.5"#))
    }
}
