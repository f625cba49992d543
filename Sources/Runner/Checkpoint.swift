import Models
import NN
import Report

/// Writes a model's parameters, running statistics and optimiser state as a safetensors file
/// (so Python users can load the weights), with the step, epoch and random-stream states as
/// string metadata.
enum Checkpoint {
    static func write(model: any GenerativeModel, epoch: Int, dataStream: RandomStream, to path: String) throws {
        var tensors: [(name: String, tensor: SafeTensor)] = []
        for named in model.checkpointBuffers {
            tensors.append((named.name, SafeTensor(Array(named.buffer), shape: named.shape)))
        }
        var metadata = ["format": "genlab-checkpoint-1", "step": String(model.stepCount), "epoch": String(epoch),
                        "rng.data": describe(dataStream)]
        for (name, stream) in model.randomStreams { metadata["rng.\(name)"] = describe(stream) }
        try AtomicFile.write(SafeTensors.encode(tensors: tensors, metadata: metadata), to: path)
    }

    static func describe(_ stream: RandomStream) -> String {
        let s = stream.state
        return [s.0, s.1, s.2, s.3].map { String($0, radix: 16) }.joined(separator: ",")
    }
}
