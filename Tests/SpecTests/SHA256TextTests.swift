import Foundation
import Testing
import Spec

/// SHA-256 (OpenSSL's libcrypto) against published vectors and coreutils' `sha256sum`.
@Suite struct SHA256TextTests {
    @Test func publishedVectors() {
        // FIPS 180-2, appendix B.1 and B.2, and the empty message.
        #expect(SHA256Text.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Text.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Text.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aStreamFedInPiecesEqualsTheWholeAndACopyGoesOnAlone() throws {
        var bytes = [UInt8](repeating: 0, count: 1_000_003)
        var state: UInt32 = 1
        for i in bytes.indices { state = state &* 1_664_525 &+ 1_013_904_223; bytes[i] = UInt8(truncatingIfNeeded: state >> 24) }
        let whole = SHA256Text.hex(bytes)
        #expect(whole == (try coreutilsSHA256(bytes)))
        var stream = SHA256Text.Stream()
        var start = 0
        for size in [0, 1, 63, 64, 65, 4096, 999] {
            stream.update(Array(bytes[start..<(start + size)]))
            start += size
        }
        let half = stream            // a copy here must not see what the original is fed later
        let halfDigest = half.hex()
        stream.update(Array(bytes[start...]))
        #expect(stream.hex() == whole)
        #expect(stream.hex() == whole, "hex() does not end the stream")
        #expect(half.hex() == halfDigest)
        #expect(halfDigest == SHA256Text.hex(Array(bytes[..<start])))
    }
}

/// `sha256sum` of `bytes`, as lowercase hex: an implementation GenLab does not link.
func coreutilsSHA256(_ bytes: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread { input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close() }
    writer.start()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
