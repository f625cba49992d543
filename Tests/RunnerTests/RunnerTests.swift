@testable import Evaluation
import Formats
import Foundation
import Report
@testable import RunStore
import Runner
import Spec
import Testing

private let tiny = """
{
  "name": "tiny",
  "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
  "model": { "type": "vae", "latent": 2,
             "encoder": [ { "dense": 32, "activation": "relu", "batch_norm": true } ],
             "decoder": [ { "dense": 32, "activation": "relu" } ] },
  "training": { "epochs": 2, "batch": 32 },
  "seeds": [0, 1],
  "sweep": { "model.beta": [1, 4] }
}
"""

private func run(_ text: String, into root: String, file: String = "tiny.json") throws -> [(run: RunSpec, outcome: RunOutcome)] {
    let experiment = try ExperimentLoader.parse(text: text, file: file)
    return try SweepRunner(resultsRoot: root, progress: ProgressPrinter(style: .quiet)).run(experiment)
}

@Test func sameFileGivesByteIdenticalResults() throws {
    let a = try temporaryFolder(), b = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
    let outcomes = try run(tiny, into: a)
    _ = try run(tiny, into: b)
    #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.outcome == .completed })
    let first = try snapshot(a), second = try snapshot(b)
    // 4 runs × (spec, metrics, final, evaluation, checkpoint, TensorBoard events, and the figures
    // of a latent-2 VAE: samples, reconstructions, interpolations, traversals, manifold, latent)
    // + experiment.json
    #expect(first.count == 4 * 12 + 1)
    #expect(Set(first.keys) == Set(second.keys))
    for (name, bytes) in first { #expect(second[name] == bytes, "\(name) differs between two runs of the same file") }
    // Different seeds really differ.
    let finals = first.filter { $0.key.hasSuffix("final.json") }.map(\.value)
    #expect(Set(finals).count == 4)
}

@Test func runFilesHoldWhatTheyPromise() throws {
    let root = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outcomes = try run(tiny, into: root)
    let runFolder = root + "/tiny/runs/" + outcomes[0].run.id
    let final = try JSONParser.parse(String(contentsOfFile: runFolder + "/final.json", encoding: .utf8), file: "final.json")
    guard case .object(let object) = final, case .object(let metrics)? = object["metrics"] else {
        Issue.record("final.json is not an object with metrics"); return
    }
    #expect(object["status"] == .string("completed"))
    for key in ["test_neg_elbo", "test_recon", "test_kl"] {
        guard case .number(let value)? = metrics[key] else { Issue.record("missing \(key)"); continue }
        #expect(value.isFinite && value >= 0)
    }
    if case .number(let elbo)? = metrics["test_neg_elbo"], case .number(let recon)? = metrics["test_recon"],
       case .number(let kl)? = metrics["test_kl"] {
        #expect(abs(elbo - recon - kl) < 1e-9 * elbo)
    }
    // Two epochs' lines, and lines inside each epoch (automatic: about ten per epoch).
    let lines = try String(contentsOfFile: runFolder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.filter { !$0.contains("\"epoch_step\"") }.count == 2)
    #expect(lines.count > 2)
    // The spec written is the resolved run, and it reads back to the same run id.
    let specText = try String(contentsOfFile: runFolder + "/spec.json", encoding: .utf8)
    #expect(try ExperimentLoader.parseRun(text: specText, file: "spec.json", experiment: "tiny").id == outcomes[0].run.id)
    // The checkpoint holds both networks and Adam's state.
    let checkpoint = try SafeTensors.decode([UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: runFolder + "/checkpoint.safetensors"))))
    // Layer 0 of the encoder flattens the image; 1 is the dense layer, 2 its batch norm.
    #expect(checkpoint.tensors["encoder.1.weight"]?.shape == [32, 256])
    #expect(checkpoint.tensors["encoder.2.running_mean"]?.shape == [32])
    #expect(checkpoint.tensors["optimizer.decoder.exp_avg_sq"] != nil)
    #expect(checkpoint.metadata["step"] == "16")
    let samples = try PNGCodec.decode([UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: runFolder + "/samples.png"))))
    #expect(samples.width == 8 * 32 + 7 && samples.height == 8 * 32 + 7)
}

@Test func finishedRunsAreSkippedAndAnUnfinishedOneIsRedoneIdentically() throws {
    let root = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outcomes = try run(tiny, into: root)
    let before = try snapshot(root)
    let redo = root + "/tiny/runs/" + outcomes[2].run.id
    try FileManager.default.removeItem(atPath: redo + "/final.json")
    let again = try run(tiny, into: root)
    #expect(again.map(\.outcome) == [.skipped, .skipped, .completed, .skipped])
    #expect(try snapshot(root) == before)
}

@Test func aDivergingRunIsRecordedAndTheOthersGoOn() throws {
    let exploding = tiny
        .replacingOccurrences(of: "\"training\": { \"epochs\": 2, \"batch\": 32 }",
                              with: "\"training\": { \"epochs\": 2, \"batch\": 32, \"optimizer\": { \"type\": \"sgd\", \"lr\": 0.01 } }")
        .replacingOccurrences(of: "\"sweep\": { \"model.beta\": [1, 4] }", with: "\"sweep\": { \"training.optimizer.lr\": [1e30, 0.01] }")
    let root = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let outcomes = try run(exploding, into: root)
    #expect(outcomes.count == 4)
    for (run, outcome) in outcomes {
        if run.swept.first?.value == "0.01" {
            #expect(outcome == .completed)
        } else {
            guard case .diverged(let step, _) = outcome else { Issue.record("expected divergence, got \(outcome)"); continue }
            #expect(step >= 1)
            let final = try String(contentsOfFile: root + "/tiny/runs/\(run.id)/final.json", encoding: .utf8)
            #expect(final.contains("\"status\": \"diverged\""))
            #expect(final.contains("\"diverged_at_step\": \(step)"))
        }
    }
}

private let tinyGAN = """
{
  "name": "tiny-gan",
  "data": { "dataset": "ring", "train_size": 512, "test_size": 128 },
  "model": { "type": "gan", "latent": 2,
             "generator": [ { "dense": 32, "activation": "relu", "batch_norm": true }, { "dense": 2 } ],
             "discriminator": [ { "maxout": 16, "pieces": 3 }, { "dropout": 0.1 } ],
             "schedule": { "discriminator_steps": 2, "label_smoothing": 0.1, "instance_noise": 0.05, "ema": 0.9 } },
  "training": { "epochs": 2, "batch": 16 },
  "seeds": [0],
  "sweep": { "model.schedule.packing": [1, 2] }
}
"""

@Test func adversarialRunsAreByteIdenticalAndReportModeMetrics() throws {
    let a = try temporaryFolder(), b = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
    let outcomes = try run(tinyGAN, into: a, file: "tiny-gan.json")
    _ = try run(tinyGAN, into: b, file: "tiny-gan.json")
    #expect(outcomes.map(\.outcome) == [.completed, .completed])
    let first = try snapshot(a), second = try snapshot(b)
    for (name, bytes) in first { #expect(second[name] == bytes, "\(name) differs between two runs of the same file") }
    for (run, _) in outcomes {
        let folder = "tiny-gan/runs/\(run.id)/"
        #expect(first[folder + "samples.png"] != nil && first[folder + "samples.safetensors"] != nil)
        let evaluation = String(decoding: first[folder + "evaluation.json"]!, as: UTF8.self)
        for key in ["\"modes_captured\"", "\"hq_fraction\"", "\"reverse_kl\"", "\"mode_metric_samples\": 2500"] {
            #expect(evaluation.contains(key), "evaluation.json lacks \(key)")
        }
        let metrics = String(decoding: first[folder + "metrics.jsonl"]!, as: UTF8.self)
        // packing m: 512 / (16·m) discriminator updates per epoch, a generator update every second one.
        let packing = run.swept.first!.value == "1" ? 1 : 2
        let discriminatorSteps = 2 * 512 / (16 * packing)
        #expect(metrics.contains("\"discriminator_steps\":\(discriminatorSteps)"), "\(metrics)")
        #expect(metrics.contains("\"generator_steps\":\(discriminatorSteps / 2)"))
        let samples = try SafeTensors.decode(first[folder + "samples.safetensors"]!)
        #expect(samples.tensors["samples"]?.shape == [2500, 2])
    }
}
