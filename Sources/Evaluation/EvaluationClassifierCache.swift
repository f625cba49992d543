import Data
import Formats
import Foundation
import Models
import NN
import Report
import RunStore
import Spec

/// The evaluation classifier of an image data set, trained once with a fixed seed on the data
/// set's full training split (whatever an experiment's `train_size`: the spec without
/// `train_size` and `test_size`) and cached machine-wide as
/// `<cache>/classifiers/<fingerprint>-seed<seed>.safetensors` (parameters, batch-norm state, test
/// accuracy). The fingerprint is the data's content (`DataFingerprint`), so every experiment and
/// every results folder on the same data shares one classifier and their FIDs compare. Workers
/// that need it at once take a file lock: one trains, the others wait and load it.
public enum EvaluationClassifierCache {
    public static let seed: UInt64 = 0
    public static let epochs = 3
    /// The fewest optimisation steps: a small data set (a few hundred images of one's own) gets
    /// as many epochs as it takes to reach them; Fashion-MNIST's 3 epochs are 1,406 steps.
    public static let minimumSteps = 1000

    /// Epochs of training on `count` images: `epochs`, or more to reach `minimumSteps`.
    public static func epochs(for count: Int, minimumSteps: Int = minimumSteps) -> Int {
        let perEpoch = max(1, count / batch)
        return max(epochs, (minimumSteps + perEpoch - 1) / perEpoch)
    }

    /// Where classifiers are cached and how long a small data set's trains: the machine-wide
    /// folder and `minimumSteps` for users; tests use a scratch folder and fewer steps (the file
    /// records its epochs, so such a classifier is never taken for a standard one).
    public struct Settings: Sendable {
        /// The cache folder; nil: `<results root>/.classifiers`.
        public var folder: String?
        public var minimumSteps: Int

        public init(folder: String?, minimumSteps: Int = EvaluationClassifierCache.minimumSteps) {
            self.folder = folder
            self.minimumSteps = minimumSteps
        }

        /// The machine-wide cache (`machineFolder`) and the standard training.
        public static var machine: Settings { Settings(folder: machineFolder()) }
    }
    public static let batch = 128
    static let format = "genlab-classifier-1"

    /// Where classifiers are cached, and how to load the full data set one trains on.
    package struct Source {
        package var folder: String
        package var minimumSteps: Int
        package var load: (DataSpec) throws -> DataSplits

        package init(folder: String, minimumSteps: Int, load: @escaping (DataSpec) throws -> DataSplits) {
            self.folder = folder
            self.minimumSteps = minimumSteps
            self.load = load
        }
    }

    /// A trained classifier and its test accuracy.
    public struct Entry {
        public let classifier: EvaluationClassifier
        public let testAccuracy: Double
        public let path: String
    }

    /// The machine-wide cache folder: `$GENLAB_CACHE/classifiers`, else
    /// `$XDG_CACHE_HOME/genlab/classifiers`, else `$HOME/.cache/genlab/classifiers`; nil when the
    /// environment names none of these.
    public static func machineFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let root = environment["GENLAB_CACHE"], !root.isEmpty { return root + "/classifiers" }
        if let root = environment["XDG_CACHE_HOME"], root.hasPrefix("/") { return root + "/genlab/classifiers" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/genlab/classifiers" }
        return nil
    }

    /// The cache file of the classifier of the data with this fingerprint, as `evaluation.json`
    /// records it: `<first 12 hex digits>-seed<seed>.safetensors`.
    public static func fileName(fingerprint: String) -> String { "\(fingerprint.prefix(12))-seed\(seed).safetensors" }

    /// The data the classifier of `data` trains on: the same data set without `train_size` and
    /// `test_size`, so every experiment on it shares one classifier.
    public static func fullData(_ data: DataSpec) -> DataSpec {
        var full = data
        full.trainSize = nil
        full.testSize = nil
        return full
    }

    /// Loads the cached classifier of the full data set `splits` (see `fullData`) from `folder`,
    /// or trains and caches it. Needs labelled image data.
    public static func classifier(for data: DataSpec, splits: DataSplits, folder: String,
                                  minimumSteps: Int = minimumSteps) throws -> Entry {
        guard let labels = splits.train.labels, let testLabels = splits.test.labels, splits.train.exampleShape.count == 3 else {
            throw CheckpointError(message: "the evaluation classifier needs labelled images")
        }
        guard splits.train.count >= batch else {
            throw CheckpointError(message: "the evaluation classifier needs at least \(batch) training images, found \(splits.train.count)")
        }
        let classes = Int((labels.max() ?? 0) + 1)
        let fingerprint = DataFingerprint.of(splits)
        let trainingEpochs = epochs(for: splits.train.count, minimumSteps: minimumSteps)
        let path = folder + "/" + fileName(fingerprint: fingerprint)
        let classifier = try EvaluationClassifier(inputShape: splits.train.exampleShape, classes: classes, seed: seed,
                                                  maxBatch: batch)
        func cached() -> Entry? {
            guard let bytes = FileManager.default.contents(atPath: path),
                  let accuracy = try? restore(classifier, from: Array(bytes), fingerprint: fingerprint,
                                                epochs: trainingEpochs) else { return nil }
            return Entry(classifier: classifier, testAccuracy: accuracy, path: path)
        }
        if let entry = cached() { return entry }
        try FileSystem.makeFolder(folder)
        let lock = try FileLock(path + ".lock")
        defer { lock.release() }
        if let entry = cached() { return entry }  // trained by whoever held the lock before us
        // One BLAS thread whoever asks: the classifier's bytes must not depend on the caller's
        // `training.threads` (OpenBLAS's sums can differ with the thread count).
        let callerThreads = BLAS.threads
        BLAS.setThreads(1)
        train(classifier, on: splits.train, labels: labels, epochs: trainingEpochs)
        let accuracy = self.accuracy(classifier, on: splits.test, labels: testLabels)
        BLAS.setThreads(callerThreads)
        let tensors = [("parameters", SafeTensor(Array(classifier.network.parameters), shape: [classifier.network.parameters.count])),
                       ("state", SafeTensor(Array(classifier.network.state), shape: [classifier.network.state.count]))]
        let metadata = ["format": format, "data": JSONWriter.canonical(data.resolvedJSON), "data_fingerprint": fingerprint,
                        "seed": String(seed),
                        "epochs": String(trainingEpochs), "test_accuracy": JSONWriter.numberText(accuracy)]
        try AtomicFile.write(SafeTensors.encode(tensors: tensors, metadata: metadata), to: path)
        return Entry(classifier: classifier, testAccuracy: accuracy, path: path)
    }

    /// `epochs` epochs of Adam on shuffled batches (the `classifier-data` stream of `seed`).
    static func train(_ classifier: EvaluationClassifier, on train: any Dataset, labels: [Int32], epochs: Int) {
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

    private static func restore(_ classifier: EvaluationClassifier, from bytes: [UInt8], fingerprint: String, epochs: Int) throws -> Double {
        let file = try SafeTensors.decode(bytes)
        guard file.metadata["format"] == format, file.metadata["epochs"] == String(epochs),
              file.metadata["data_fingerprint"] == fingerprint,
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
