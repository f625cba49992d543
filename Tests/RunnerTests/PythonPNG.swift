import Foundation

/// The PNG decoder independent of libpng shared with ReportTests (`Tests/png_decode.py`): chunk
/// CRCs, IHDR, IDAT inflated with zlib, the five filter types undone by hand. Prints
/// `width height channels hex filters`.
private let pythonPNGDecoder: String = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("png_decode.py").path
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "raise SystemExit('missing \(path)')"
}()

/// An image as the independent decoder reads it.
struct DecodedPNG {
    let width: Int
    let height: Int
    let channels: Int
    /// Row-major, channels interleaved.
    let pixels: [UInt8]

    /// The channel values at column x, row y.
    subscript(x: Int, y: Int) -> [UInt8] {
        let start = (y * width + x) * channels
        return Array(pixels[start..<(start + channels)])
    }
}

enum PythonPNG {
    /// Whether `python3` with zlib is there to decode.
    static let available: Bool = (try? run(["-c", "import zlib"])) != nil

    static func decode(_ path: String) throws -> DecodedPNG {
        let fields = try run(["-c", pythonPNGDecoder, path]).split(separator: " ")
        guard fields.count == 5, let w = Int(fields[0]), let h = Int(fields[1]), let c = Int(fields[2]) else {
            throw PythonFailure(message: "unexpected decoder output for \(path)")
        }
        let hex = Array(fields[3].trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        func nibble(_ b: UInt8) -> UInt8 { b <= 57 ? b - 48 : b - 87 }
        let bytes = stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
        return DecodedPNG(width: w, height: h, channels: c, pixels: bytes)
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailure(message: "python3 exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
