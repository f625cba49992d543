import Foundation

/// A PNG decoder independent of libpng (the one of Tests/ReportTests/PNGCodecTests.swift): chunk
/// CRCs, IHDR, IDAT inflated with zlib, the five filter types undone by hand. Prints
/// `width height channels hex`.
private let pythonPNGDecoder = #"""
import sys, struct, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    (n,) = struct.unpack('>I', data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    (crc,) = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
    assert crc == zlib.crc32(kind + body) & 0xffffffff, 'crc of ' + str(kind)
    pos += 12 + n
    if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT': idat += body
    elif kind == b'IEND': break
w, h, depth, ctype, comp, filt, interlace = ihdr
assert depth == 8 and comp == 0 and filt == 0 and interlace == 0, ihdr
ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride, out, prev, p = w * ch, bytearray(), bytearray(w * ch), 0
for y in range(h):
    ft, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
    p += 1 + stride
    for i in range(stride):
        a = line[i - ch] if i >= ch else 0
        b = prev[i]
        c = prev[i - ch] if i >= ch else 0
        if ft == 0: pr = 0
        elif ft == 1: pr = a
        elif ft == 2: pr = b
        elif ft == 3: pr = (a + b) // 2
        elif ft == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        else: raise ValueError('filter type %d' % ft)
        line[i] = (line[i] + pr) & 255
    out += line
    prev = line
assert p == len(raw), 'trailing image data'
print(w, h, ch, out.hex())
"""#

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
        guard fields.count == 4, let w = Int(fields[0]), let h = Int(fields[1]), let c = Int(fields[2]) else {
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
