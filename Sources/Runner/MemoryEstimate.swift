import Data
import Models
import Spec

/// The memory one worker needs for a run, computed from shapes alone before anything is
/// allocated: the model's parameters, gradients, optimiser state and EMA copy, its activations and
/// their gradients at the batch size (im2col column buffers included: `ModelPlan`), the batch the
/// trainer gathers, and the data set as held in memory (bytes per pixel, Float32 per coordinate,
/// labels), and the largest buffers a declared metric needs after training. A run over its
/// `MemoryLimit` is refused with the estimate's main parts and the JSON path of the biggest one.
public struct MemoryEstimate: Sendable, Equatable {
    /// Parameters, gradients, batch-norm statistics, optimiser state and EMA copies.
    public var parameterBytes: Int
    /// Activation buffers and their gradients at the batch size, the model's and the trainer's batch buffers.
    public var activationBytes: Int
    /// Training and test examples as held in memory.
    public var dataBytes: Int
    /// The largest declared metric's buffers (`report.metrics`; see `metricBytes`).
    public var metricBytes: Int = 0
    public var batch: Int

    public var totalBytes: Int { Saturating.sum([parameterBytes, activationBytes, dataBytes, metricBytes]) }

    /// "about 210 MB".
    public var summary: String { "about \(ReadableBytes.text(totalBytes))" }

    /// The estimate of `run` on examples of shape `dataShape`, `trainCount` + `testCount` of them.
    /// Throws the `SpecError` the model's shapes would.
    public static func make(_ run: RunSpec, dataShape: [Int], trainCount: Int, testCount: Int,
                            file: String) throws(SpecError) -> MemoryEstimate {
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: dataShape, file: file)
        let exampleSize = Saturating.product(dataShape)
        let trainerBatch = Saturating.product([plan.examplesPerStep, exampleSize])   // RunExecutor's x (N, D)
        let examples = Saturating.sum([trainCount, testCount])
        return MemoryEstimate(
            parameterBytes: Saturating.product([4, plan.parameterFloats]),
            activationBytes: Saturating.product([4, Saturating.sum([plan.activationFloats, trainerBatch])]),
            dataBytes: Saturating.product([examples, dataBytesPerExample(run.data, exampleSize: exampleSize)]),
            metricBytes: metricBytes(run, exampleSize: exampleSize, testCount: testCount),
            batch: run.training.batch)
    }

    /// Bytes one example takes in memory: images one byte a pixel, an Int32 label and, for
    /// sprites, the factor index (Int); 2-D points two Float32s and the Int32 component.
    static func dataBytesPerExample(_ data: DataSpec, exampleSize: Int) -> Int {
        switch data.dataset {
        case .sprites: return Saturating.sum([exampleSize, 4, 8])
        case .idx, .fashionMNIST, .images: return Saturating.sum([exampleSize, 4])
        case .array: return Saturating.sum([Saturating.product([4, exampleSize]), 4])  // floats at most
        case .ring, .grid: return Saturating.sum([Saturating.product([4, exampleSize]), 4])
        }
    }

    /// What the data set of `data` will be without reading it: the example shape and the largest
    /// train and test counts. Nil for an `idx` folder, image folder or array, whose files say.
    public static func dataShape(for data: DataSpec) -> (shape: [Int], train: Int, test: Int)? {
        switch data.dataset {
        case .sprites:
            return ([1, data.size, data.size], data.trainSize ?? 20000, data.testSize ?? 2000)
        case .fashionMNIST:
            return ([1, 28, 28], min(data.trainSize ?? 60000, 60000), min(data.testSize ?? 10000, 10000))
        case .ring, .grid:
            return ([2], data.trainSize ?? 50000, data.testSize ?? 5000)
        case .idx, .images, .array:
            return nil
        }
    }

    /// Throws unless the estimate is within `limit`: a `SpecError` at the JSON path of the biggest
    /// part, saying the estimate, its parts and how to raise the limit.
    public func check(_ limit: MemoryLimit, file: String) throws(SpecError) {
        guard totalBytes > limit.bytes else { return }
        let parts = [(activationBytes, "training.batch"), (parameterBytes, "model"), (dataBytes, "data.train_size"),
                     (metricBytes, "report.metrics")]
        let path = parts.max { $0.0 < $1.0 }!.1
        throw SpecError(
            file: file, path: path,
            expected: "a run that fits the memory limit of \(limit) per worker",
            found: "\(summary): activations \(ReadableBytes.text(activationBytes)) at batch \(batch), "
                + "parameters with gradients and optimiser state \(ReadableBytes.text(parameterBytes)), "
                + "data set \(ReadableBytes.text(dataBytes))"
                + (metricBytes > 0 ? ", metrics \(ReadableBytes.text(metricBytes))" : ""),
            hint: "make the batch or the model smaller, or raise the limit with --memory-limit GIB "
                + "or \(MemoryLimit.environmentVariable)=GIB")
    }
}
