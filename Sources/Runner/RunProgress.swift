import Foundation
import Models
import RunStore
import Spec

/// How far a running (or stopped) run has trained, read from its `metrics.jsonl` alone, for
/// `genlab status`: the epoch and step of its last line (lines inside an epoch come every
/// `training.log_every_steps` steps), the fraction of training that is, and an ETA from the time
/// its claim was taken.
public struct RunProgress: Sendable, Equatable {
    /// The epoch in progress, or the last finished one (1-based).
    public var epoch: Int
    public var epochs: Int
    /// The run's `step` in that line (generator updates for GANs, docs/models.md).
    public var step: Int
    /// The fraction of the run's training steps done, when the steps per epoch are known from the
    /// spec (not for `idx` data, whose size is known only once loaded).
    public var fraction: Double?

    /// The progress in `folder`'s `metrics.jsonl`; nil when it has no line yet.
    public init?(folder: RunFolder, run: RunSpec) {
        guard let bytes = FileManager.default.contents(atPath: folder.metrics),
              let last = String(decoding: bytes, as: UTF8.self).split(separator: "\n").last,
              case .object(let line)? = try? JSONParser.parse(String(last), file: folder.metrics),
              let epoch = line["epoch"]?.intValue else { return nil }
        self.epoch = epoch
        epochs = run.training.epochs
        step = line["step"]?.intValue ?? 0
        let epochsDone = Double(line["epoch_step"] == nil ? epoch : epoch - 1)
        if let stepsPerEpoch = Self.stepsPerEpoch(run), stepsPerEpoch > 0 {
            let inEpoch = Double(line["epoch_step"]?.intValue ?? 0) / Double(stepsPerEpoch)
            fraction = min(1, (epochsDone + inEpoch) / Double(max(epochs, 1)))
        }
    }

    /// Training steps per epoch from the spec: the known training-set size over the examples a
    /// step takes (the batch, times the packing of a packed GAN).
    static func stepsPerEpoch(_ run: RunSpec) -> Int? {
        guard let known = MemoryEstimate.dataShape(for: run.data),
              let plan = try? ModelPlan.make(run.model, training: run.training, dataShape: known.shape, file: "") else { return nil }
        return known.train / max(plan.examplesPerStep, 1)
    }

    /// "epoch 3/8, step 1,200, 31 %, ETA 4:05" — the ETA from `since` (the claim's ISO 8601 time),
    /// as if the run had trained from its start under this claim.
    public func summary(since started: String, now: Date = Date()) -> String {
        var text = "epoch \(epoch)/\(epochs), step \(step)"
        guard let fraction else { return text }
        text += ", \(Int((fraction * 100).rounded(.down))) %"
        if fraction > 0, let start = ISO8601DateFormatter().date(from: started) {
            let elapsed = now.timeIntervalSince(start)
            text += ", ETA " + ProgressPrinter.clock(elapsed * (1 - fraction) / fraction)
        }
        return text
    }
}
