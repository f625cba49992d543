import Data
import Formats
import Models
import NN
import Report
import RunStore
import Spec

/// Outputs for 2-D mixture data (`ring`, `grid`): 2,500 samples from the run's `samples` stream,
/// written as `samples.safetensors` (so anyone can recompute the metrics), and the PacGAN/VEEGAN
/// mode metrics for `evaluation.json`. `samples.png` draws the same samples (`RunFigures`).
enum MixtureOutputs {
    static let sampleCount = 2500
    static let fileName = RunFolder.samplesFileName
    /// The metrics `write` returns, in its order.
    static let metricNames = ["modes_captured", "mode_count", "hq_fraction", "reverse_kl", "mode_metric_samples"]

    static func write(model: any GenerativeModel, run: RunSpec, mixture: GaussianMixture, folder: RunFolder) throws -> [(String, JSONValue)] {
        guard let generating = model as? any GeneratingModel else { return [] }
        let points = samplePoints(generating, run: run)
        let metrics = ModeMetrics.compute(points: points, mixture: mixture)
        try AtomicFile.write(SafeTensors.encode(tensors: [("samples", SafeTensor(points, shape: [sampleCount, 2]))],
                                                metadata: ["stream": "samples", "seed": String(run.seed)]),
                             to: folder.path + "/" + fileName)
        return [("modes_captured", .int(Int64(metrics.modesCaptured))), ("mode_count", .int(Int64(metrics.modeCount))),
                ("hq_fraction", JSONValue.finite(metrics.hqFraction)), ("reverse_kl", JSONValue.finite(metrics.reverseKL)),
                ("mode_metric_samples", .int(Int64(metrics.sampleCount)))]
    }

    /// The 2,500 samples (N, 2): codes from the run's `samples` stream, decoded.
    static func samplePoints(_ generating: any GeneratingModel, run: RunSpec) -> [Float] {
        var rng = RandomStream(seed: run.seed, purpose: "samples")
        var codes = [Float](repeating: 0, count: sampleCount * generating.latent)
        generating.sampleLatent(into: &codes, count: sampleCount, rng: &rng)
        var points = [Float](repeating: 0, count: sampleCount * 2)
        generating.decodeMean(codes, count: sampleCount, into: &points)
        return points
    }
}
