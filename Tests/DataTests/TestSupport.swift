import CZlib
import Data
import Foundation

/// A fresh, empty folder for one test (unique per process and test name).
func freshFolder(_ name: String) throws -> String {
    let path = (NSTemporaryDirectory() as NSString)
        .appendingPathComponent("genlab-data-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `bytes` to `path` as is.
func writePlain(_ bytes: [UInt8], to path: String) throws {
    try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Writes `bytes` gzipped to `path` with zlib's gz* API (independent of the reader's inflate code).
func writeGzip(_ bytes: [UInt8], to path: String) {
    guard let file = gzopen(path, "wb9") else { fatalError("gzopen failed for \(path)") }
    let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    precondition(Int(written) == bytes.count, "gzwrite wrote \(written) of \(bytes.count) bytes")
    precondition(gzclose(file) == Z_OK, "gzclose failed")
}

/// Bytes of a file.
func fileBytes(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path)!)
}

/// A small deterministic IDX image file (n, rows, cols) and its label file (n), labels i mod 10.
func tinyIDX(n: Int, rows: Int, cols: Int) -> (images: IDXFile, labels: IDXFile) {
    let pixels = (0..<(n * rows * cols)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    let labels = (0..<n).map { UInt8($0 % 10) }
    return (IDXFile(dimensions: [n, rows, cols], elements: pixels), IDXFile(dimensions: [n], elements: labels))
}

/// Writes an MNIST-layout folder: `train` and `test` image/label files, gzipped or plain.
func writeIDXFolder(_ folder: String, train: (images: IDXFile, labels: IDXFile), test: (images: IDXFile, labels: IDXFile),
                    gzip: Bool) throws {
    let files = [("train-images-idx3-ubyte", train.images), ("train-labels-idx1-ubyte", train.labels),
                 ("t10k-images-idx3-ubyte", test.images), ("t10k-labels-idx1-ubyte", test.labels)]
    for (name, file) in files {
        let path = (folder as NSString).appendingPathComponent(name)
        if gzip { writeGzip(file.encoded(), to: path + ".gz") } else { try writePlain(file.encoded(), to: path) }
    }
}

/// Runs `python3 -c script args…` (the independent oracle: NumPy, Pillow) and returns its
/// standard output; a non-zero exit is a thrown error with its standard error.
func python(_ script: String, _ arguments: [String] = []) throws -> String {
    let process = Process(), out = Pipe(), err = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    struct PythonFailed: Error, CustomStringConvertible { let description: String }
    guard process.terminationStatus == 0 else { throw PythonFailed(description: String(decoding: stderr, as: UTF8.self)) }
    return String(decoding: stdout, as: UTF8.self)
}

/// Pseudo-random bytes (a 64-bit LCG's top bytes), the same on every run.
func noiseBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}
