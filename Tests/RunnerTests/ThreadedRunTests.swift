import Foundation
@testable import RunStore
import Runner
import Spec
import Testing

// Runs whose step is split among two threads (`training.threads`): the same bytes on every run
// and after every resume, a run id of their own, and results close to one thread's.

/// A convolutional GAN with batch norm in both networks on 16×16 sprites (dense, deconvolution,
/// convolution, batch-norm and activation passes all split), 4 steps an epoch.
private func convGAN(threads: Int) -> String {
    """
    {"name": "threads", "data": {"dataset": "sprites", "size": 16, "train_size": 128, "test_size": 32},
     "model": {"type": "gan", "latent": 8,
               "generator": [{"dense": 256, "activation": "relu", "batch_norm": true}, {"reshape": [16, 4, 4]},
                             {"deconv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "relu", "batch_norm": true},
                             {"deconv": 1, "kernel": 4, "stride": 2, "padding": 1, "activation": "tanh"}],
               "discriminator": [{"conv": 8, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu"},
                                 {"conv": 16, "kernel": 4, "stride": 2, "padding": 1, "activation": "leaky_relu", "batch_norm": true}]},
     "training": {"epochs": 2, "batch": 32, "threads": \(threads)}}
    """
}

/// A VAE (the split reconstruction loss) with batch norm, 4 steps an epoch.
private func mlpVAE(threads: Int) -> String {
    """
    {"name": "threads", "data": {"dataset": "sprites", "size": 16, "train_size": 128, "test_size": 32},
     "model": {"type": "vae", "latent": 2,
               "encoder": [{"dense": 32, "activation": "relu", "batch_norm": true}],
               "decoder": [{"dense": 32, "activation": "relu"}]},
     "training": {"epochs": 2, "batch": 32, "threads": \(threads)}}
    """
}

private struct ThreadedTrial {
    let run: RunSpec
    let root: String
    let executor = RunExecutor(file: "threads.json", catalog: DataCatalog(), progress: ProgressPrinter(style: .quiet))

    init(_ text: String) throws {
        run = try ExperimentLoader.parse(text: text, file: "threads.json").runs[0]
        root = try temporaryFolder()
    }

    var folder: RunFolder { RunFolder(experimentFolder: root, runID: run.id) }
    func execute(_ stop: StopRequest = StopRequest()) -> RunOutcome { executor.execute(run, index: 1, total: 1, folder: folder, stop: stop) }
    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Test(arguments: [convGAN(threads: 2), mlpVAE(threads: 3)])
func threadedRunsGiveTheSameBytesEveryTimeAndAfterResumes(_ text: String) throws {
    let first = try ThreadedTrial(text), second = try ThreadedTrial(text), resumed = try ThreadedTrial(text)
    defer { first.remove(); second.remove(); resumed.remove() }
    #expect(first.execute() == .completed)
    #expect(second.execute() == .completed)
    let expected = try snapshot(first.root)
    #expect(try snapshot(second.root) == expected, "a second run with the same thread count gave other bytes")
    // Stopped mid-epoch and at the first epoch's end, resumed each time.
    #expect(resumed.execute(StopRequest(atStep: 3)) == .interrupted(epoch: 1, step: 3))
    #expect(resumed.execute(StopRequest(atStep: 4)) == .interrupted(epoch: 1, step: 4))
    #expect(resumed.execute() == .completed)
    let files = try snapshot(resumed.root)
    #expect(Set(files.keys) == Set(expected.keys))
    for (name, bytes) in expected where files[name] != bytes { Issue.record("\(name) differs after resuming") }
}

@Test func theThreadCountIsPartOfTheRunAndOneThreadGivesCloseNumbers() throws {
    let one = try ThreadedTrial(mlpVAE(threads: 1)), two = try ThreadedTrial(mlpVAE(threads: 2))
    defer { one.remove(); two.remove() }
    #expect(one.run.id != two.run.id)
    #expect(one.run.canonicalJSON.contains("\"threads\":1") && two.run.canonicalJSON.contains("\"threads\":2"))
    #expect(one.execute() == .completed && two.execute() == .completed)
    // Sums in another order change the last bits, which training carries on: close, not equal.
    func firstLoss(_ trial: ThreadedTrial) throws -> Double {
        let text = try String(contentsOfFile: trial.folder.metrics, encoding: .utf8)
        guard case .object(let line) = try JSONParser.parse(String(text.split(separator: "\n")[0]), file: "metrics.jsonl"),
              let loss = line["train_loss"]?.numberValue else { Issue.record("no train_loss in \(text.prefix(200))"); return .nan }
        return loss
    }
    let a = try firstLoss(one), b = try firstLoss(two)
    #expect(abs(a - b) <= 1e-4 * abs(a), "first logged loss: 1 thread \(a), 2 threads \(b)")
}
