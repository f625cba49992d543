@testable import Evaluation
import Formats
import Foundation
import Report
@testable import RunStore
import Runner
import Spec
import Testing

// Resume: a run stopped (or failed) part-way and executed again on the same folder must end with
// every file but timing.json byte-identical to an uninterrupted run. Every experiment here has
// 8 optimisation steps per epoch and 2 epochs, so step 8 is the last of epoch 1.

private let vae = """
    {"name": "resume", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
     "model": {"type": "vae", "latent": 2, "beta": 4, "beta_warmup_steps": 10,
               "encoder": [{"dense": 32, "activation": "relu", "batch_norm": true}],
               "decoder": [{"dense": 32, "activation": "relu"}]},
     "training": {"epochs": 2, "batch": 32}}
    """

/// Dropout in both networks, and a checkpoint every 3 steps.
private let dropoutVAE = """
    {"name": "resume", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
     "model": {"type": "vae", "latent": 2,
               "encoder": [{"dense": 32, "activation": "relu"}, {"dropout": 0.2}],
               "decoder": [{"dropout": 0.1}, {"dense": 32, "activation": "relu"}]},
     "training": {"epochs": 2, "batch": 32, "checkpoint_steps": 3}}
    """

/// Packing 2 (8 updates of 2·16 examples per epoch), 2 discriminator steps per generator step,
/// decaying instance noise, EMA, dropout in the discriminator.
private let gan = """
    {"name": "resume", "data": {"dataset": "ring", "train_size": 256, "test_size": 64},
     "model": {"type": "gan", "latent": 2,
               "generator": [{"dense": 16, "activation": "relu", "batch_norm": true}, {"dense": 2}],
               "discriminator": [{"dense": 16, "activation": "leaky_relu"}, {"dropout": 0.2}],
               "schedule": {"packing": 2, "discriminator_steps": 2, "instance_noise": 0.1,
                            "instance_noise_decay_steps": 10, "ema": 0.9}},
     "training": {"epochs": 2, "batch": 16}}
    """

private let vaeGAN = """
    {"name": "resume", "data": {"dataset": "ring", "train_size": 256, "test_size": 64},
     "model": {"type": "vae-gan", "latent": 2, "beta": 0.5, "gamma": 0.1, "feature_layer": 0,
               "encoder": [{"dense": 16, "activation": "relu"}],
               "decoder": [{"dense": 16, "activation": "relu", "batch_norm": true}, {"dense": 2}],
               "discriminator": [{"dense": 16, "activation": "leaky_relu"}, {"dropout": 0.2}]},
     "training": {"epochs": 2, "batch": 32}}
    """

/// One run of a one-run experiment in its own temporary results folder.
private struct Trial {
    let run: RunSpec
    let root: String
    let executor: RunExecutor

    init(_ text: String, seed: UInt64 = 0) throws {
        let experiment = try ExperimentLoader.parse(text: text.replacingOccurrences(of: "\"name\": \"resume\"",
                                                                                    with: "\"name\": \"resume\", \"seeds\": [\(seed)]"),
                                                    file: "resume.json")
        run = experiment.runs[0]
        root = try temporaryFolder()
        executor = RunExecutor(file: "resume.json", catalog: DataCatalog(), progress: ProgressPrinter(style: .quiet))
    }

    var folder: RunFolder { RunFolder(experimentFolder: root, runID: run.id) }

    func execute(_ stop: StopRequest = StopRequest()) -> RunOutcome {
        executor.execute(run, index: 1, total: 1, folder: folder, stop: stop)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func read(_ path: String) throws -> [UInt8] { [UInt8](try Foundation.Data(contentsOf: URL(fileURLWithPath: path))) }

    /// How often the run was resumed, from timing.json.
    func resumes() throws -> Int? {
        guard case .object(let timing) = try JSONParser.parse(String(decoding: read(folder.timing), as: UTF8.self), file: "timing.json"),
              case .int(let n)? = timing["resumes"] else { return nil }
        return Int(n)
    }

    func checkpointMetadata() throws -> [String: String] { try SafeTensors.decode(read(folder.checkpoint)).metadata }
}

/// The files of an uninterrupted run of `text`.
private func reference(_ text: String) throws -> [String: [UInt8]] {
    let trial = try Trial(text)
    defer { trial.remove() }
    #expect(trial.execute() == .completed)
    return try snapshot(trial.root)
}

/// Expects every file of `trial` to equal `expected`, byte for byte (timing.json aside).
private func expectSameFiles(_ trial: Trial, _ expected: [String: [UInt8]], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    let files = try snapshot(trial.root)
    #expect(Set(files.keys) == Set(expected.keys), "\(what): files differ", sourceLocation: sourceLocation)
    for (name, bytes) in expected where files[name] != bytes {
        Issue.record("\(what): \(name) differs from the uninterrupted run's", sourceLocation: sourceLocation)
    }
}

/// Stops a run of `text` after each step of `stops` in turn (resuming in between), then lets it
/// finish; `between` can damage the folder after each stop. Expects the uninterrupted files.
private func expectExactResume(_ text: String, stops: [Int], expected: [String: [UInt8]],
                               between: (Trial) throws -> Void = { _ in },
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
    let trial = try Trial(text)
    defer { trial.remove() }
    for step in stops {
        let outcome = trial.execute(StopRequest(atStep: step))
        #expect(outcome == .interrupted(epoch: (step - 1) / 8 + 1, step: step), sourceLocation: sourceLocation)
        #expect(!trial.folder.isComplete, sourceLocation: sourceLocation)
        let metadata = try trial.checkpointMetadata()
        #expect(metadata["epoch"] == String((step - 1) / 8) && metadata["epoch_step"] == String((step - 1) % 8 + 1),
                "checkpoint after step \(step): \(metadata)", sourceLocation: sourceLocation)
        try between(trial)
    }
    #expect(trial.execute() == .completed, sourceLocation: sourceLocation)
    try expectSameFiles(trial, expected, "stopped after steps \(stops)", sourceLocation: sourceLocation)
    // Resumed each time, not started again (which would give the same files, only slower).
    #expect(try trial.resumes() == stops.count, sourceLocation: sourceLocation)
}

@Test func vaeResumesExactlyMidEpochAtTheEpochsLastStepAndTwice() throws {
    let expected = try reference(vae)
    // spec, metrics, final, evaluation, checkpoint, the TensorBoard events and the six figures
    // of a latent-2 VAE
    #expect(expected.count == 12)
    #expect(expected.keys.contains { $0.hasSuffix("events.out.tfevents.genlab") })
    try expectExactResume(vae, stops: [3], expected: expected)
    try expectExactResume(vae, stops: [8], expected: expected)
    try expectExactResume(vae, stops: [5, 9, 11], expected: expected)
}

@Test func ganResumesExactly() throws {
    let expected = try reference(gan)
    // Step 3 stops between a generator update's two discriminator updates.
    try expectExactResume(gan, stops: [3], expected: expected)
    try expectExactResume(gan, stops: [8, 13], expected: expected)
}

@Test func vaeGANResumesExactly() throws {
    let expected = try reference(vaeGAN)
    try expectExactResume(vaeGAN, stops: [5], expected: expected)
    try expectExactResume(vaeGAN, stops: [8], expected: expected)
}

@Test func dropoutVAEResumesExactlyWithCheckpointsEveryThreeSteps() throws {
    let expected = try reference(dropoutVAE)
    try expectExactResume(dropoutVAE, stops: [4], expected: expected)
    try expectExactResume(dropoutVAE, stops: [8, 10], expected: expected)
}

@Test func aRequestedStopStopsAfterTheCurrentStep() throws {
    let expected = try reference(vae)
    let trial = try Trial(vae)
    defer { trial.remove() }
    let stop = StopRequest()
    #expect(!stop.isRequested)
    stop.request()
    #expect(stop.isRequested)
    #expect(trial.execute(stop) == .interrupted(epoch: 1, step: 1))
    #expect(!FileManager.default.fileExists(atPath: trial.folder.final))
    #expect(trial.execute() == .completed)
    try expectSameFiles(trial, expected, "stopped by request()")
}

@Test func anUnusableCheckpointMeansStartingAgain() throws {
    let expected = try reference(vae)
    // Another seed's checkpoint: a different run, so it must not be resumed (its weights would
    // change every file).
    let other = try Trial(vae, seed: 1)
    defer { other.remove() }
    #expect(other.execute(StopRequest(atStep: 5)) == .interrupted(epoch: 1, step: 5))
    let foreign = try other.read(other.folder.checkpoint)
    let damages: [(String, (Trial) throws -> Void)] = [
        ("truncated", { trial in
            let bytes = try trial.read(trial.folder.checkpoint)
            try AtomicFile.write(Array(bytes.prefix(bytes.count / 2)), to: trial.folder.checkpoint)
        }),
        ("garbage", { trial in try AtomicFile.write("not a checkpoint", to: trial.folder.checkpoint) }),
        ("empty", { trial in try AtomicFile.write([UInt8](), to: trial.folder.checkpoint) }),
        ("another run's", { trial in try AtomicFile.write(foreign, to: trial.folder.checkpoint) }),
    ]
    for (name, damage) in damages {
        let trial = try Trial(vae)
        defer { trial.remove() }
        #expect(trial.execute(StopRequest(atStep: 11)) == .interrupted(epoch: 2, step: 11))
        try damage(trial)
        #expect(trial.execute() == .completed, "\(name) checkpoint")
        try expectSameFiles(trial, expected, "\(name) checkpoint")
        #expect(try trial.resumes() == 0, "\(name) checkpoint")
    }
}

@Test func metricsLinesTheCheckpointDoesNotVouchForAreDropped() throws {
    let expected = try reference(vae)
    let trial = try Trial(vae)
    defer { trial.remove() }
    // After step 11 the checkpoint vouches for the lines written so far (epoch 1's and those
    // inside epoch 2); a crash after metrics.jsonl was rewritten but before the checkpoint can
    // leave one more, which the resumed run drops.
    #expect(trial.execute(StopRequest(atStep: 11)) == .interrupted(epoch: 2, step: 11))
    let vouched = try trial.read(trial.folder.metrics)
    try AtomicFile.write(vouched + Array("{\"epoch\":2,\"stale\":true}\n".utf8), to: trial.folder.metrics)
    #expect(trial.execute(StopRequest(atStep: 12)) == .interrupted(epoch: 2, step: 12))
    let after = try trial.read(trial.folder.metrics)
    #expect(Array(after.prefix(vouched.count)) == vouched && !String(decoding: after, as: UTF8.self).contains("stale"))
    // The same in epoch 1, where only lines inside the epoch exist yet.
    let early = try Trial(vae)
    defer { early.remove() }
    #expect(early.execute(StopRequest(atStep: 5)) == .interrupted(epoch: 1, step: 5))
    let earlyVouched = (try? early.read(early.folder.metrics)) ?? []
    try AtomicFile.write(earlyVouched + Array("{\"epoch\":1,\"stale\":true}\n".utf8), to: early.folder.metrics)
    #expect(early.execute(StopRequest(atStep: 6)) == .interrupted(epoch: 1, step: 6))
    let earlyAfter = (try? early.read(early.folder.metrics)) ?? []
    #expect(Array(earlyAfter.prefix(earlyVouched.count)) == earlyVouched && !String(decoding: earlyAfter, as: UTF8.self).contains("stale"))
    for finishing in [trial, early] {
        #expect(finishing.execute() == .completed)
        try expectSameFiles(finishing, expected, "after a stale metrics line")
    }
}

@Test func aFailureIsRecordedApartAndTheRetryResumesFromTheLastStepCheckpoint() throws {
    let expected = try reference(dropoutVAE)
    let trial = try Trial(dropoutVAE)
    defer { trial.remove() }
    // timing.json as a folder: the first write of it (right after the step-3 checkpoint) fails.
    try FileManager.default.createDirectory(atPath: trial.folder.timing + "/blocker", withIntermediateDirectories: true)
    guard case .failed(let reason) = trial.execute() else { Issue.record("expected a failure"); return }
    #expect(reason.contains("timing.json"))
    #expect(!trial.folder.isComplete)
    let failure = try JSONParser.parse(String(decoding: trial.read(trial.folder.failure), as: UTF8.self), file: "failure.json")
    let wanted: JSONValue = ["status": "failed", "run_id": .string(trial.run.id), "reason": .string(reason)]
    #expect(failure.canonical == wanted.canonical)
    // The checkpoint_steps checkpoint after step 3 is there.
    let metadata = try trial.checkpointMetadata()
    #expect(metadata["epoch"] == "0" && metadata["epoch_step"] == "3" && metadata["run_id"] == trial.run.id)

    try FileManager.default.removeItem(atPath: trial.folder.timing)
    #expect(trial.execute() == .completed)
    #expect(!FileManager.default.fileExists(atPath: trial.folder.failure))
    try expectSameFiles(trial, expected, "retried after a failure")
    #expect(try trial.resumes() == 1)
    #expect(trial.execute() == .skipped)
}

@Test func aDivergingRunRemovesAStaleFailure() throws {
    let exploding = vae.replacingOccurrences(of: "\"batch\": 32}", with: "\"batch\": 32, \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e30}}")
    let trial = try Trial(exploding)
    defer { trial.remove() }
    try FileManager.default.createDirectory(atPath: trial.folder.path, withIntermediateDirectories: true)
    try AtomicFile.write("{\"status\": \"failed\"}\n", to: trial.folder.failure)
    guard case .diverged = trial.execute() else { Issue.record("expected divergence"); return }
    #expect(!FileManager.default.fileExists(atPath: trial.folder.failure))
    #expect(String(decoding: try trial.read(trial.folder.final), as: UTF8.self).contains("\"status\": \"diverged\""))
}

@Test func aStoppedSweepEndsAtTheInterruptedRunAndFinishesIdentically() throws {
    let text = vae.replacingOccurrences(of: "\"name\": \"resume\"", with: "\"name\": \"resume\", \"seeds\": [0, 1]")
    let experiment = try ExperimentLoader.parse(text: text, file: "resume.json")
    let a = try temporaryFolder(), b = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
    let quiet = ProgressPrinter(style: .quiet)
    _ = try SweepRunner(resultsRoot: a, progress: quiet).run(experiment)
    let stopped = try SweepRunner(resultsRoot: b, progress: quiet).run(experiment, stop: StopRequest(atStep: 6))
    #expect(stopped.map(\.outcome) == [.interrupted(epoch: 1, step: 6)])
    let finished = try SweepRunner(resultsRoot: b, progress: quiet).run(experiment)
    #expect(finished.map(\.outcome) == [.completed, .completed])
    #expect(try snapshot(b) == snapshot(a))
}

/// A conditional GAN (projection) and a conditional VAE: the batch labels follow the resumed
/// epoch order, and the generated labels' stream is in the checkpoint.
private let conditional = """
    {"name": "resume", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
     "model": {"type": "gan", "latent": 4, "conditioning": {"discriminator": "projection"},
               "generator": [{"dense": 32, "activation": "relu"}, {"dense": 256, "activation": "tanh"}, {"reshape": [1, 16, 16]}],
               "discriminator": [{"dense": 32, "activation": "leaky_relu"}]},
     "training": {"epochs": 2, "batch": 32}}
    """

@Test func conditionalModelsResumeExactly() throws {
    let expected = try reference(conditional)
    try expectExactResume(conditional, stops: [5, 11], expected: expected)
    let cvae = """
        {"name": "resume", "data": {"dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64},
         "model": {"type": "vae", "latent": 2, "conditioning": true, "encoder": [], "decoder": [{"dense": 32}]},
         "training": {"epochs": 2, "batch": 32}}
        """
    try expectExactResume(cvae, stops: [6], expected: try reference(cvae))
}
