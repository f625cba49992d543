@testable import Evaluation
import Foundation
import Models
@testable import RunStore
import Runner
import Spec
import Testing

/// Hostile and damaged experiment files (issue 13): a seeded, deterministic mutation loop over
/// every committed experiment file, through everything `genlab validate` does that needs no data
/// files — parse, decode, sweep expansion, then for every run the step budget, the shape plan,
/// the memory estimate and the summary's FLOPs. Any error must be a `SpecError`; a trap
/// (overflow, failed precondition, huge allocation) kills the test process, which fails CI.
///
/// `GENLAB_FUZZ_SEED`, `GENLAB_FUZZ_ITERATIONS` and `GENLAB_FUZZ_SECONDS` replay or extend a
/// session (e.g. a long one with another seed before a release); the input being
/// executed is kept in `$TMPDIR/genlab-fuzz-input.json`, so a crash leaves its reproducer.
@Suite struct ExperimentFuzzTests {
    static let defaultSeed: UInt64 = 13
    static let defaultIterations = 3_000
    /// A session stops after this long even if iterations are left (2 slow cores in CI).
    static let timeBudget: Double = 60

    static var experimentsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("experiments")
    }

    /// Every file in experiments/ and experiments/paper/.
    static func corpus() throws -> [String] {
        var files: [String] = []
        for folder in [experimentsFolder, experimentsFolder.appendingPathComponent("paper")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
                files.append(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            }
        }
        return files
    }

    /// What `validate` checks short of reading data: throws only what the code under test throws.
    static func execute(_ text: String) throws {
        let experiment = try ExperimentLoader.parse(text: text, file: "fuzz.json")
        for run in experiment.runs {
            guard let data = MemoryEstimate.dataShape(for: run.data) else { continue }  // idx: the files say
            try TrainingBudget.check(model: run.model, training: run.training, trainCount: data.train, file: "fuzz.json")
            let estimate = try MemoryEstimate.make(run, dataShape: data.shape, trainCount: data.train, testCount: data.test,
                                                   file: "fuzz.json")
            try estimate.check(.standard, file: "fuzz.json")
            // `validate --summary`: layer descriptions and FLOPs saturate, never trap.
            let plan = try ModelPlan.make(run.model, training: run.training, dataShape: data.shape, file: "fuzz.json")
            _ = plan.networks.flatMap(\.plan.layers).map(\.description)
            _ = ReadableCount.flops(plan.trainingFLOPs(for: run.model))
        }
    }

    @Test func committedFilesPass() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 11)
        for text in corpus { try Self.execute(text) }
    }

    @Test func mutatedFilesFailOnlyAsSpecErrors() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["GENLAB_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let iterations = environment["GENLAB_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? Self.defaultIterations
        let budget = environment["GENLAB_FUZZ_SECONDS"].flatMap { Double($0) } ?? Self.timeBudget
        let corpus = try Self.corpus()
        let mutator = ExperimentMutator(corpus: corpus)
        let reproducer = FileManager.default.temporaryDirectory.appendingPathComponent("genlab-fuzz-input.json")
        var rng = FuzzRandom(seed: seed)
        var executions = 0, accepted = 0, refused = 0
        let start = Date()
        while executions < iterations, Date().timeIntervalSince(start) < budget {
            let text = mutator.mutate(rng.pick(corpus), rng: &rng)
            try? Data(text.utf8).write(to: reproducer)
            executions += 1
            do {
                try Self.execute(text)
                accepted += 1
            } catch is SpecError {
                refused += 1
            } catch {
                Issue.record("execution \(executions) (seed \(seed)) threw \(type(of: error)): \(error)\ninput: \(text.prefix(2000))")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("fuzz: seed \(seed), \(executions) executions in \(String(format: "%.1f", seconds)) s "
              + "(\(Int(Double(executions) / max(seconds, 1e-9) * 60)) per minute), \(accepted) accepted, \(refused) refused")
        #expect(executions >= min(iterations, 500), "too few executions to mean anything")
        #expect(refused > 0 && accepted > 0, "mutations should both pass and fail")
    }
}
