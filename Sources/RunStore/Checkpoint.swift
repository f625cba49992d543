import Foundation
import Formats
import Models
import NN
import Report
import Spec

/// A checkpoint that cannot be used to resume a run (unreadable, truncated, another run's, or
/// not matching the model); the message says which part.
package struct CheckpointError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }

    package init(message: String) { self.message = message }
}

/// Writes and restores `checkpoint.safetensors`: the model's parameters, running statistics and
/// optimiser state as tensors (so Python users can load the weights), and as string metadata
/// everything else a bit-exact resume needs — run id and format, the training position (epoch,
/// step in the epoch, partial train totals, metrics lines so far), every random stream and every
/// counter. Nothing wall-clock is stored, so the checkpoint is as byte-stable as the other files.
package enum Checkpoint {
    static let format = "genlab-checkpoint-2"

    /// `blasKernel`: the OpenBLAS family of a `"native"` run, recorded so a resume can insist on it
    /// (portable runs record none, and their checkpoints stay as they were).
    package static func write(model: any GenerativeModel, position: TrainingPosition, runID: String, blasKernel: String? = nil,
                              to path: String) throws {
        let tensors = model.checkpointBuffers.map { ($0.name, SafeTensor(Array($0.buffer), shape: $0.shape)) }
        var metadata = [
            "format": format, "run_id": runID, "step": String(model.stepCount),
            "epoch": String(position.epochsDone), "epoch_step": String(position.epochStep),
            "rng.data": describe(position.dataStream), "metrics": position.metricsLines.joined(separator: "\n"),
        ]
        if position.epochStep > 0 {
            metadata["train_totals"] = position.totals.map { String($0.bitPattern, radix: 16) }.joined(separator: ",")
        }
        for (name, stream) in model.randomStreams { metadata["rng.\(name)"] = describe(stream) }
        for (name, count) in model.counters { metadata["counter.\(name)"] = String(count) }
        if let blasKernel { metadata[kernelKey] = blasKernel }
        metadata[digestKey] = digest(tensors: tensors.map(\.1), metadata: metadata)
        try AtomicFile.write(SafeTensors.encode(tensors: tensors, metadata: metadata), to: path)
    }

    /// Metadata key of a native run's OpenBLAS kernel family.
    static let kernelKey = "blas_kernel"

    /// The kernel family the checkpoint at `path` records; nil when there is none or no readable file.
    package static func recordedKernel(atPath path: String) -> String? {
        guard let bytes = FileManager.default.contents(atPath: path), let file = try? SafeTensors.decode(Array(bytes)) else { return nil }
        return file.metadata[kernelKey]
    }

    /// Metadata key of the checkpoint's own SHA-256, over every tensor's bytes (in file order) and
    /// every other metadata entry: a damaged checkpoint (a flipped byte, a truncated tensor that
    /// still parses) is caught before it is restored. Checkpoints from before it have none and are
    /// checked by structure alone.
    static let digestKey = "content_sha256"

    /// The digest `digestKey` records: SHA-256 of the tensors' bytes in order, then each metadata
    /// entry but the digest itself as `key NUL value NUL`, keys in byte order.
    static func digest(tensors: [SafeTensor], metadata: [String: String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tensors.reduce(0) { $0 + $1.data.count } + 4096)
        for tensor in tensors { bytes += tensor.data }
        let keys = metadata.keys.filter { $0 != digestKey }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for key in keys { bytes += Array(key.utf8) + [0] + Array(metadata[key]!.utf8) + [0] }
        return SHA256Text.hex(bytes)
    }

    /// Decodes a checkpoint file and checks its digest (when it has one); the error says what is wrong.
    static func decodeVerified(_ bytes: [UInt8]) throws(CheckpointError) -> SafeTensors.File {
        let file: SafeTensors.File
        do { file = try SafeTensors.decode(bytes) } catch { throw CheckpointError(message: "\(error)") }
        if let recorded = file.metadata[digestKey],
           recorded != digest(tensors: file.names.map { file.tensors[$0]! }, metadata: file.metadata) {
            throw CheckpointError(message: "its contents do not match the SHA-256 it records (the file is damaged)")
        }
        return file
    }

    /// Reads the checkpoint at `bytes`, checks every part against the run and `model`, and only
    /// then restores the model's buffers, counters and streams; returns the training position.
    /// Throws a `CheckpointError` (the model untouched) when any part does not fit.
    package static func restore(_ model: any GenerativeModel, from bytes: [UInt8], runID: String, epochs: Int,
                        stepsPerEpoch: Int) throws(CheckpointError) -> TrainingPosition {
        let file = try decodeVerified(bytes)
        let meta = file.metadata
        guard meta["format"] == format else { throw mismatch("format", meta["format"], expected: format) }
        guard meta["run_id"] == runID else { throw mismatch("run_id", meta["run_id"], expected: runID) }

        let epochsDone = try integer(meta, "epoch", in: 0...epochs)
        let epochStep = try integer(meta, "epoch_step", in: 0...(epochsDone < epochs ? stepsPerEpoch : 0))
        let lines = meta["metrics"].map { $0.split(separator: "\n").map(String.init) } ?? []
        let epochLines = lines.filter(MetricsLine.isEpochEnd).count
        guard epochLines == epochsDone else {
            throw CheckpointError(message: "metrics: \(epochLines) epoch lines for \(epochsDone) completed epochs")
        }
        var totals: [Double] = []
        if epochStep > 0 {
            let words = meta["train_totals"].map { $0.split(separator: ",").map { UInt64($0, radix: 16) } } ?? []
            guard words.count == model.trainTerms.count, words.allSatisfy({ $0 != nil }) else {
                throw mismatch("train_totals", meta["train_totals"], expected: "\(model.trainTerms.count) hex words")
            }
            totals = words.map { Double(bitPattern: $0!) }
        }
        let dataStream = try stream(meta, "rng.data")

        var streams: [String: RandomStream] = [:]
        for name in model.randomStreams.keys { streams[name] = try stream(meta, "rng." + name) }
        var counters: [String: Int] = [:]
        for name in model.counters.keys { counters[name] = try integer(meta, "counter." + name, in: 0...Int.max) }

        let buffers = model.checkpointBuffers
        guard file.tensors.count == buffers.count else {
            throw CheckpointError(message: "\(file.tensors.count) tensors, the model has \(buffers.count)")
        }
        var values: [[Float]] = []
        for buffer in buffers {
            guard let tensor = file.tensors[buffer.name], tensor.shape == buffer.shape, tensor.dtype == .f32 else {
                throw CheckpointError(message: "tensor \(buffer.name): missing, or not F32 of shape \(buffer.shape)")
            }
            do { values.append(try tensor.values(as: Float.self)) } catch { throw CheckpointError(message: "\(error)") }
        }

        // Everything fits: restore.
        for (buffer, tensor) in zip(buffers, values) { _ = buffer.buffer.update(fromContentsOf: tensor) }
        model.counters = counters
        model.randomStreams = streams
        return TrainingPosition(epochsDone: epochsDone, epochStep: epochStep, dataStream: dataStream, totals: totals,
                                metricsLines: lines)
    }

    static func describe(_ stream: RandomStream) -> String {
        let s = stream.state
        return [s.0, s.1, s.2, s.3].map { String($0, radix: 16) }.joined(separator: ",")
    }

    private static func stream(_ meta: [String: String], _ key: String) throws(CheckpointError) -> RandomStream {
        let words = meta[key].map { $0.split(separator: ",", omittingEmptySubsequences: false).map { UInt64($0, radix: 16) } } ?? []
        guard words.count == 4, words.allSatisfy({ $0 != nil }), words.contains(where: { $0 != 0 }) else {
            throw mismatch(key, meta[key], expected: "4 hex words, not all zero")
        }
        return RandomStream(state: (words[0]!, words[1]!, words[2]!, words[3]!))
    }

    private static func integer(_ meta: [String: String], _ key: String, in range: ClosedRange<Int>) throws(CheckpointError) -> Int {
        guard let n = meta[key].flatMap({ Int($0) }), range.contains(n) else {
            throw mismatch(key, meta[key], expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    private static func mismatch(_ key: String, _ found: String?, expected: String) -> CheckpointError {
        CheckpointError(message: "\(key) is \(found.map { "\"\($0)\"" } ?? "missing"), expected \(expected)")
    }
}

extension Checkpoint {
    /// The checkpoint `bytes` with its `run_id` set to `runID` and its digest recomputed; the
    /// tensors and every other entry as they were (`ResultsMigration`).
    package static func restamped(_ bytes: [UInt8], runID: String) throws -> [UInt8] {
        let file = try decodeVerified(bytes)
        var metadata = file.metadata
        metadata["run_id"] = runID
        let tensors = file.names.map { ($0, file.tensors[$0]!) }
        metadata[digestKey] = digest(tensors: tensors.map(\.1), metadata: metadata)
        return try SafeTensors.encode(tensors: tensors, metadata: metadata)
    }
}
