import Formats
import Foundation
import Report

/// A fresh empty folder under the system temporary folder; removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("genlab-report-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func file(_ name: String) -> String { path + "/" + name }
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `python3` (found on PATH) as an independent oracle for the file formats.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 exited \(status): \(stderr)" }
    }

    /// Runs `script` with `arguments`; returns standard output, throws on a non-zero exit.
    static func run(_ script: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read to the end before waiting, so a large output cannot fill the pipe and block.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// Whether `python3 -c "import <module>"` succeeds (false when python3 is missing).
    static func canImport(_ module: String) -> Bool {
        (try? run("import \(module)")) != nil
    }
}

/// The PNG decoder independent of libpng (`Tests/png_decode.py`, shared with RunnerTests): chunk
/// CRCs, IHDR, IDAT inflated with zlib, the five filter types undone by hand. Run with
/// `Python.run`; prints `width height channels hex filters`.
let pythonPNGDecoder: String = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("png_decode.py").path
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "raise SystemExit('missing \(path)')"
}()

/// Decodes PNG bytes with ``pythonPNGDecoder`` (independent of libpng) through a temporary file.
func decodeWithPython(_ png: [UInt8]) throws -> PixelImage {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = folder.file("image.png")
    try AtomicFile.write(png, to: path)
    let fields = try Python.run(pythonPNGDecoder, arguments: [path]).split(separator: " ")
    guard fields.count == 5, let width = Int(fields[0]), let height = Int(fields[1]), let channels = Int(fields[2])
    else { throw Python.Failure(status: 0, stderr: "unexpected decoder output") }
    var pixels = [UInt8]()
    pixels.reserveCapacity(width * height * channels)
    var hex = fields[3].utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
    while let high = hex.next(), let low = hex.next() { pixels.append(nibble(high) << 4 | nibble(low)) }
    return PixelImage(width: width, height: height, channels: channels, pixels: pixels)
}

/// Whether the independent PNG decoder can run (python3 with zlib).
let pythonDecoderAvailable = Python.canImport("zlib")

/// Writes `image` as `name` into the folder named by `GENLAB_PLOT_EXAMPLES`, when set, so the
/// figures the tests draw can be looked at (`GENLAB_PLOT_EXAMPLES=/tmp/x swift test --filter …`).
func saveExample(_ name: String, _ image: PixelImage) throws {
    guard let folder = ProcessInfo.processInfo.environment["GENLAB_PLOT_EXAMPLES"] else { return }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try AtomicFile.write(try PNGCodec.encode(image), to: folder + "/" + name)
}
