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

/// A decoder independent of libpng: chunk CRCs, IHDR, IDAT inflated with zlib, and the five
/// PNG filter types undone by hand (PNG spec §9). Prints `width height channels hex filters`.
let pythonPNGDecoder = #"""
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
stride, out, prev, p, used = w * ch, bytearray(), bytearray(w * ch), 0, set()
for y in range(h):
    ft, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
    p += 1 + stride
    used.add(ft)
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
print(w, h, ch, out.hex(), ','.join(map(str, sorted(used))))
"""#

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
