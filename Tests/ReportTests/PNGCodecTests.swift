import Formats
import Foundation
import Report
import Testing

/// A deterministic test pattern: gradients, a checkerboard and a hash, so libpng's adaptive
/// filtering picks several filter types.
func testPattern(width: Int, height: Int, channels: Int) -> PixelImage {
    var pixels = [UInt8]()
    for y in 0..<height {
        for x in 0..<width {
            for c in 0..<channels {
                let value: Int
                switch (y / 4) % 3 {
                case 0: value = x * 9 + c * 40
                case 1: value = ((x / 2 + y / 2) % 2) * 255 - c * 30
                default: value = (((x * 31) ^ (y * 17) ^ (c * 101)) * 40503) >> 3
                }
                pixels.append(UInt8(truncatingIfNeeded: value))
            }
        }
    }
    return PixelImage(width: width, height: height, channels: channels, pixels: pixels)
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

@Suite struct PNGCodecTests {
    @Test(arguments: [1, 3, 4])
    func roundTripKeepsEveryPixel(channels: Int) throws {
        let image = testPattern(width: 23, height: 17, channels: channels)
        let png = try PNGCodec.encode(image)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try PNGCodec.decode(png) == image)
    }

    @Test func knownPixelsOfEachFormat() throws {
        let gray = PixelImage(width: 2, height: 2, channels: 1, pixels: [0, 128, 255, 7])
        let rgb = PixelImage(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255])
        let rgba = PixelImage(width: 1, height: 2, channels: 4, pixels: [1, 2, 3, 0, 250, 251, 252, 255])
        for image in [gray, rgb, rgba] {
            let decoded = try PNGCodec.decode(try PNGCodec.encode(image))
            #expect(decoded == image)
        }
        #expect(try PNGCodec.decode(try PNGCodec.encode(rgb))[1, 0] == [0, 0, 255])
        // Transparent pixels keep their colour: straight alpha, no premultiplication.
        #expect(try PNGCodec.decode(try PNGCodec.encode(rgba))[0, 0] == [1, 2, 3, 0])
    }

    @Test(arguments: [1, 3, 4])
    func equalPixelsGiveEqualBytes(channels: Int) throws {
        let image = testPattern(width: 64, height: 48, channels: channels)
        let first = try PNGCodec.encode(image)
        let second = try PNGCodec.encode(image)
        #expect(first == second)
        var other = image
        other.pixels[5] &+= 1
        #expect(try PNGCodec.encode(other) != first)
    }

    @Test func malformedBytesThrowWithLibpngMessage() throws {
        do {
            _ = try PNGCodec.decode([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
            Issue.record("expected a decode error")
        } catch let error as PNGError {
            #expect(!error.message.isEmpty)
        }
        var png = try PNGCodec.encode(testPattern(width: 8, height: 8, channels: 3))
        png[40] ^= 0xFF  // inside IDAT: a CRC or inflate error
        #expect(throws: PNGError.self) { _ = try PNGCodec.decode(png) }
    }

    @Test(.enabled(if: Python.canImport("zlib"), "python3 not found: independent PNG decoder skipped"),
          arguments: [1, 3, 4])
    func independentDecoderReadsTheSamePixels(channels: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = testPattern(width: 37, height: 24, channels: channels)
        let path = folder.file("pattern.png")
        try AtomicFile.write(try PNGCodec.encode(image), to: path)

        let fields = try Python.run(pythonPNGDecoder, arguments: [path]).split(separator: " ")
        try #require(fields.count == 5)
        #expect(fields[0] == "37")
        #expect(fields[1] == "24")
        #expect(fields[2] == "\(channels)")
        #expect(fields[3] == hex(image.pixels)[...])
        // The pattern makes libpng use more than one filter type, so unfiltering is exercised.
        #expect(fields[4].split(separator: ",").count > 1, "filter types used: \(fields[4])")
    }

    @Test(.enabled(if: Python.canImport("zlib"), "python3 not found: independent PNG decoder skipped"))
    func independentDecoderReadsAGrid() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (n, c, h, w) = (6, 3, 5, 4)
        let floats = (0..<(n * c * h * w)).map { Float(($0 * 37) % 256) / 255 }  // (N, C, H, W)
        let grid = try ImageGrid(columns: 4, spacing: 2, separatorColor: GridColor(red: 10, green: 20, blue: 30), scale: 3)
            .compose(floats, count: n, channels: c, height: h, width: w)
        let path = folder.file("grid.png")
        try AtomicFile.write(try PNGCodec.encode(grid), to: path)

        let fields = try Python.run(pythonPNGDecoder, arguments: [path]).split(separator: " ")
        try #require(fields.count == 5)
        #expect(fields[0] == "\(grid.width)" && fields[1] == "\(grid.height)" && fields[2] == "3")
        #expect(fields[3] == hex(grid.pixels)[...])
    }

    /// A gray + alpha file (colour type 4), which GenLab never writes, decodes to RGBA.
    @Test(.enabled(if: Python.canImport("zlib"), "python3 not found: foreign PNG check skipped"))
    func grayAlphaFileDecodesToRGBA() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("gray-alpha.png")
        _ = try Python.run(#"""
            import sys, struct, zlib
            def chunk(kind, body):
                return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
            header = struct.pack('>IIBBBBB', 2, 1, 8, 4, 0, 0, 0)
            raw = bytes([0, 10, 255, 200, 0])  # filter 0, then (gray, alpha) × 2
            open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header)
                                          + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
            """#, arguments: [path])
        let image = try PNGCodec.decode([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
        #expect(image == PixelImage(width: 2, height: 1, channels: 4, pixels: [10, 10, 10, 255, 200, 200, 200, 0]))
    }
}
