import Data
import Formats
import Foundation
import Models
import NN
import Report
import RunStore
import Spec

/// The evaluation classifier of an image data set, trained once with a fixed seed and cached as
/// `<results>/.classifiers/<data key>-seed<seed>.safetensors` (parameters, batch-norm state, test
/// accuracy). The key hashes the data set's resolved spec, so every experiment on the same data
/// shares one classifier and FID numbers are comparable across experiments.
public enum EvaluationClassifierCache {
    public static let seed: UInt64 = 0
    public static let epochs = 3
    public static let batch = 128
    static let format = "genlab-classifier-1"

    /// A trained classifier and its test accuracy.
    public struct Entry {
        public let classifier: EvaluationClassifier
        public let testAccuracy: Double
        public let path: String
    }

    /// Loads the cached classifier for `data` from `folder`, or trains and caches it. Needs
    /// labelled image data.
    public static func classifier(for data: DataSpec, splits: DataSplits, folder: String) throws -> Entry {
        guard let labels = splits.train.labels, let testLabels = splits.test.labels, splits.train.exampleShape.count == 3 else {
            throw CheckpointError(message: "the evaluation classifier needs labelled images")
        }
        guard splits.train.count >= batch else {
            throw CheckpointError(message: "the evaluation classifier needs at least \(batch) training images, found \(splits.train.count)")
        }
        let classes = Int((labels.max() ?? 0) + 1)
        let key = RunSpec.identifier(canonicalJSON: JSONWriter.canonical(data.resolvedJSON))
        let path = folder + "/\(key)-seed\(seed).safetensors"
        let classifier = try EvaluationClassifier(inputShape: splits.train.exampleShape, classes: classes, seed: seed,
                                                  maxBatch: batch)
        if let bytes = FileManager.default.contents(atPath: path), let accuracy = try? restore(classifier, from: Array(bytes)) {
            return Entry(classifier: classifier, testAccuracy: accuracy, path: path)
        }
        // One BLAS thread whoever asks: the classifier's bytes must not depend on the caller's
        // `training.threads` (OpenBLAS's sums can differ with the thread count).
        let callerThreads = BLAS.threads
        BLAS.setThreads(1)
        train(classifier, on: splits.train, labels: labels)
        let accuracy = self.accuracy(classifier, on: splits.test, labels: testLabels)
        BLAS.setThreads(callerThreads)
        try FileSystem.makeFolder(folder)
        let tensors = [("parameters", SafeTensor(Array(classifier.network.parameters), shape: [classifier.network.parameters.count])),
                       ("state", SafeTensor(Array(classifier.network.state), shape: [classifier.network.state.count]))]
        let metadata = ["format": format, "data": JSONWriter.canonical(data.resolvedJSON), "seed": String(seed),
                        "epochs": String(epochs), "test_accuracy": JSONWriter.numberText(accuracy)]
        try AtomicFile.write(SafeTensors.encode(tensors: tensors, metadata: metadata), to: path)
        return Entry(classifier: classifier, testAccuracy: accuracy, path: path)
    }

    /// `epochs` epochs of Adam on shuffled batches (the `classifier-data` stream of `seed`).
    static func train(_ classifier: EvaluationClassifier, on train: any Dataset, labels: [Int32]) {
        let order = EpochOrder(count: train.count, batch: batch)
        var stream = RandomStream(seed: seed, purpose: "classifier-data")
        var x = [Float](repeating: 0, count: batch * train.exampleSize)
        var y = [Int32](repeating: 0, count: batch)
        for _ in 0..<epochs {
            order.startEpoch(using: &stream)
            for k in 0..<order.batchesPerEpoch {
                let indices = order.batch(k)
                x.withUnsafeMutableBufferPointer { train.gather(indices, into: $0.baseAddress!) }
                for (i, index) in indices.enumerated() { y[i] = labels[index] }
                _ = classifier.trainStep(x, labels: y, batch: batch)
            }
        }
    }

    /// Share of test examples classified correctly.
    static func accuracy(_ classifier: EvaluationClassifier, on test: any Dataset, labels: [Int32]) -> Double {
        var correct = 0
        var x = [Float](repeating: 0, count: batch * test.exampleSize)
        var predicted = [Int32](repeating: 0, count: batch)
        for start in stride(from: 0, to: test.count, by: batch) {
            let n = min(batch, test.count - start)
            let indices = Array(start..<(start + n))
            x.withUnsafeMutableBufferPointer { out in indices.withUnsafeBufferPointer { test.gather($0, into: out.baseAddress!) } }
            classifier.predict(x, batch: n, into: &predicted)
            for i in 0..<n where predicted[i] == labels[start + i] { correct += 1 }
        }
        return Double(correct) / Double(test.count)
    }

    private static func restore(_ classifier: EvaluationClassifier, from bytes: [UInt8]) throws -> Double {
        let file = try SafeTensors.decode(bytes)
        guard file.metadata["format"] == format, file.metadata["epochs"] == String(epochs),
              let accuracy = file.metadata["test_accuracy"].flatMap(Double.init),
              let parameters = try file.tensors["parameters"]?.values(as: Float.self),
              let state = try file.tensors["state"]?.values(as: Float.self),
              parameters.count == classifier.network.parameters.count, state.count == classifier.network.state.count else {
            throw CheckpointError(message: "not a classifier of this architecture")
        }
        _ = classifier.network.parameters.update(fromContentsOf: parameters)
        _ = classifier.network.state.update(fromContentsOf: state)
        return accuracy
    }
}
