import Formats
import Foundation
import Report
import Testing

/// A small sweep (2 seeds × 2 β = 4 runs) whose runs take long enough in a debug build to be
/// interrupted in the middle; `epochs` sets how long.
func sweepExperiment(epochs: Int, extraTraining: String = "") -> String {
    """
    {
      "name": "sweep",
      "data": { "dataset": "sprites", "size": 16, "train_size": 256, "test_size": 64 },
      "model": { "type": "vae", "latent": 2,
                 "encoder": [ { "dense": 32, "activation": "relu", "batch_norm": true } ],
                 "decoder": [ { "dense": 32, "activation": "relu" } ] },
      "training": { "epochs": \(epochs), "batch": 32\(extraTraining) },
      "seeds": [0, 1],
      "sweep": { "model.beta": [1, 4] }
    }
    """
}

/// A small GAN on the 2-D ring (512 training points), quick in a debug build; `extra` adds
/// top-level members (`"seeds": [3]`, a `search`).
func ringGANExperiment(name: String = "ring", epochs: Int, extra: String = "") -> String {
    """
    { "name": "\(name)", "data": { "dataset": "ring", "train_size": 512, "test_size": 128 },
      "model": { "type": "gan", "latent": 2,
                 "generator": [ { "dense": 16, "activation": "relu" }, { "dense": 2 } ],
                 "discriminator": [ { "dense": 16, "activation": "leaky_relu" } ] },
      "training": { "epochs": \(epochs), "batch": 64 }\(extra) }
    """
}

/// A scratch folder holding `sweep.json`, removed by `clean()`.
struct SweepScratch {
    let root: URL
    var file: String { root.appendingPathComponent("sweep.json").path }
    func results(_ name: String) -> String { root.appendingPathComponent(name).path }

    init(_ text: String) throws {
        root = try Genlab.temporaryFolder()
        try text.write(toFile: root.appendingPathComponent("sweep.json").path, atomically: true, encoding: .utf8)
    }

    func clean() { try? FileManager.default.removeItem(at: root) }
}

/// Every file under `root`, relative path → bytes, except wall-clock `timing.json`.
func resultFiles(_ root: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return files }
    while let relative = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
        if isDirectory.boolValue || relative.hasSuffix("timing.json") { continue }
        files[relative] = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
    }
    return files
}

/// Expects the two result trees to hold the same files with the same bytes.
func expectSameResults(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let first = try resultFiles(a), second = try resultFiles(b)
    #expect(Set(first.keys) == Set(second.keys), "file sets differ: \(Set(first.keys).symmetricDifference(second.keys).sorted())",
            sourceLocation: sourceLocation)
    for (name, bytes) in first where second[name] != nil {
        #expect(second[name] == bytes, "\(name) differs", sourceLocation: sourceLocation)
    }
}

/// `n` from a summary line's `n <word>` (e.g. `3 completed`), 0 when absent.
func summaryCount(_ stdout: String, _ word: String) -> Int {
    let parts = stdout.components(separatedBy: " \(word)")
    guard parts.count > 1, let number = parts[0].split(whereSeparator: { !$0.isNumber }).last.flatMap({ Int($0) }) else { return 0 }
    return number
}

/// A `genlab` process started in the background, its output collected.
final class BackgroundGenlab: @unchecked Sendable {
    let process = Process()
    private let out = Pipe(), err = Pipe()
    private var outData = Foundation.Data(), errData = Foundation.Data()
    private let group = DispatchGroup()

    init(_ arguments: [String]) throws {
        process.executableURL = Genlab.executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            Thread.detachNewThread { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isOut { outData = data } else { errData = data }
                group.leave()
            }
        }
    }

    func wait() -> GenlabResult {
        process.waitUntilExit()
        group.wait()
        return GenlabResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Pids of the live processes named by run claims under `experimentFolder` right now (a killed
/// worker's `claim.json` stays until its run is claimed again; its pid is gone).
func claimHolders(_ experimentFolder: String) -> [Int32] {
    let runs = (try? FileManager.default.contentsOfDirectory(atPath: experimentFolder + "/runs")) ?? []
    return runs.compactMap { run in
        guard let data = FileManager.default.contents(atPath: "\(experimentFolder)/runs/\(run)/claim.json"),
              let text = String(data: data, encoding: .utf8),
              let range = text.range(of: "\"pid\": ") else { return nil }
        return Int32(text[range.upperBound...].prefix { $0.isNumber })
    }.filter { kill($0, 0) == 0 }
}

/// Checks that every result file is whole: JSON parses, PNGs decode, safetensors decode, and no
/// hidden temporary file of an atomic write is left.
func expectWholeFiles(_ root: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (name, bytes) in try resultFiles(root) {
        let base = (name as NSString).lastPathComponent
        #expect(!base.hasPrefix("."), "left behind: \(name)", sourceLocation: sourceLocation)
        if name.hasSuffix(".json") {
            #expect((try? JSONSerialization.jsonObject(with: Foundation.Data(bytes))) != nil, "\(name) is not JSON",
                    sourceLocation: sourceLocation)
        } else if name.hasSuffix(".jsonl") {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Foundation.Data(line.utf8))) != nil, "\(name) has a bad line",
                        sourceLocation: sourceLocation)
            }
        } else if name.hasSuffix(".png") {
            #expect((try? PNGCodec.decode(bytes)) != nil, "\(name) does not decode", sourceLocation: sourceLocation)
        } else if name.hasSuffix(".safetensors") {
            #expect((try? SafeTensors.decode(bytes)) != nil, "\(name) does not decode", sourceLocation: sourceLocation)
        }
    }
}
